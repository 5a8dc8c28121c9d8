package io.lazarus.coordinator.dispatch;

import io.lazarus.common.contract.CancelNotice;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.coordinator.trust.RunSigner;
import java.nio.file.Files;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;

/**
 * Publishes a {@link CancelNotice} on {@code lazarus.control}, signed with the run-signing key as the run's install
 * messages are. Transient: each worker's queue lives only as long as the worker, and the notice is repeated while it
 * matters.
 */
@Component
class CancelAnnouncer implements CancelPublisher {

    private static final Logger log = LoggerFactory.getLogger(CancelAnnouncer.class);

    private final InstallDispatcher dispatcher;
    private final RunSigner signer;

    CancelAnnouncer(InstallDispatcher dispatcher, RunSigner signer) {
        this.dispatcher = dispatcher;
        this.signer = signer;
    }

    @Override
    public void announce(String runId, Instant cancelledAt, Instant runDeadline) {
        if (!Files.exists(signer.properties().keyFile())) {
            // no key of the run's here (a cancel from another machine): a new one would sign nothing the workers
            // trust; the run's follower, which holds the key, tells them
            log.info(
                    "no run-signing key here ({}): the follower of run {} tells the workers",
                    signer.properties().keyFile(),
                    runId);
            return;
        }
        SigningKey key = signer.key();
        CancelNotice notice = CancelNotice.of(runId, cancelledAt, runDeadline);
        byte[] body = Contracts.toJson(notice);
        dispatcher.publishConfirmed(
                Topology.CONTROL_EXCHANGE,
                "",
                false,
                MessageBuilder.withBody(body)
                        .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                        .setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT)
                        .setMessageId(notice.noticeId())
                        .setHeader(Topology.HEADER_RUN_ID, runId)
                        .setHeader(InstallSignature.HEADER_KEY_ID, key.keyId())
                        .setHeader(
                                InstallSignature.HEADER_SIGNATURE,
                                InstallSignature.signCancel(key, notice.noticeId(), runId, body))
                        .build());
    }
}
