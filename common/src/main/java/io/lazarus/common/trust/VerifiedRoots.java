package io.lazarus.common.trust;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The batch roots whose signatures were found valid, each with the key and the signature that proved it: a worker
 * takes many messages of one batch, and checks its signature once. Only successes are kept, so nothing a stranger
 * sends can make a later check pass that would have failed; the least recently used go first.
 */
final class VerifiedRoots {

    private final Map<ByteBuffer, Boolean> verified;

    VerifiedRoots(int capacity) {
        this.verified = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(TrustedKey key, byte[] signed, byte[] signature) {
        return verified.get(entry(key, signed, signature)) != null; // get, not containsKey: it counts as a use
    }

    synchronized void add(TrustedKey key, byte[] signed, byte[] signature) {
        verified.put(entry(key, signed, signature), Boolean.TRUE);
    }

    private static ByteBuffer entry(TrustedKey key, byte[] signed, byte[] signature) {
        byte[] raw = key.raw();
        return ByteBuffer.allocate(raw.length + 4 + signed.length + signature.length)
                .put(raw)
                .putInt(signed.length)
                .put(signed)
                .put(signature)
                .flip();
    }
}
