package io.lazarus.coordinator.resurrection;

/**
 * Port: the queues where install messages wait for a judgement ({@code lazarus.resurrection}, the candidates) or for
 * an operator ({@code lazarus.quarantine}), read one pass at a time.
 */
public interface ParkedQueues {

    /** Starts a pass over {@code queue}: it sees the messages the queue held when it began. */
    Pass open(String queue);

    /**
     * One pass: each message is acknowledged once dealt with, or held until the pass ends and then given back. A pass
     * that ends half way gives back everything not acknowledged.
     */
    interface Pass extends AutoCloseable {

        /** The next message not yet seen in this pass, or null when there is none. */
        ParkedMessage next();

        /** Done with: gone from the queue. */
        void ack(ParkedMessage message);

        /** Keeps the message out of this pass; it goes back to the queue when the pass ends. */
        void hold(ParkedMessage message);

        @Override
        void close();
    }
}
