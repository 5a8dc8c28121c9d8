package io.lazarus.common.topology;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import io.lazarus.common.Errors;
import java.util.Optional;

/**
 * RabbitMQ's refusal of a declaration whose arguments differ from those of the queue or exchange it already has:
 * the channel closed with reply code 406 (PRECONDITION_FAILED), told by the code, never by the text.
 */
public final class TopologyConflict {

    private TopologyConflict() {}

    /** The broker's reply text ({@code PRECONDITION_FAILED - inequivalent arg ...}) if {@code e} is such a refusal. */
    public static Optional<String> replyText(Throwable e) {
        return Errors.causeOf(e, ShutdownSignalException.class)
                .map(ShutdownSignalException::getReason)
                .filter(AMQP.Channel.Close.class::isInstance)
                .map(AMQP.Channel.Close.class::cast)
                .filter(close -> close.getReplyCode() == AMQP.PRECONDITION_FAILED)
                .map(AMQP.Channel.Close::getReplyText);
    }
}
