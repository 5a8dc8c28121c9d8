package io.lazarus.common.trust;

import io.lazarus.common.files.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A SHA-256 Merkle tree over a batch of messages, hashed as RFC 6962 does (a leaf's bytes after 0x00, two children's
 * hashes after 0x01), so that no leaf can pass for an inner node. A level's last node without a partner goes up
 * unpaired. One signature of the root covers every leaf; each leaf's proof is its path to the root, one step per
 * level it is paired in: a side byte (where the partner sits) and the partner's hash.
 */
final class MerkleTree {

    static final int HASH_BYTES = 32;
    static final int STEP_BYTES = 1 + HASH_BYTES;
    /** A path longer than this belongs to no batch (2^32 messages). */
    static final int MAX_STEPS = 32;

    private static final byte LEAF = 0;
    private static final byte NODE = 1;
    private static final byte PARTNER_LEFT = 0;
    private static final byte PARTNER_RIGHT = 1;

    /** Level 0 holds the leaves' hashes, the last level the root alone. */
    private final List<byte[][]> levels = new ArrayList<>();

    MerkleTree(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a batch of no messages has no root");
        }
        MessageDigest sha256 = Sha256.digest();
        byte[][] level = leaves.stream().map(leaf -> leafHash(sha256, leaf)).toArray(byte[][]::new);
        levels.add(level);
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < up.length; i++) {
                int left = 2 * i;
                up[i] = left + 1 < level.length ? nodeHash(sha256, level[left], level[left + 1]) : level[left];
            }
            levels.add(up);
            level = up;
        }
    }

    byte[] root() {
        return levels.getLast()[0];
    }

    /** The path from leaf {@code index} to the root. */
    byte[] proof(int index) {
        ByteBuffer steps = ByteBuffer.allocate((levels.size() - 1) * STEP_BYTES);
        for (byte[][] level : levels.subList(0, levels.size() - 1)) {
            int partner = index ^ 1;
            if (partner < level.length) {
                steps.put(partner < index ? PARTNER_LEFT : PARTNER_RIGHT).put(level[partner]);
            }
            index /= 2;
        }
        return Arrays.copyOf(steps.array(), steps.position());
    }

    /** The root a leaf's path leads to; throws {@link IllegalArgumentException} for a path no tree could make. */
    static byte[] rootOf(byte[] leaf, byte[] proof) {
        if (proof.length % STEP_BYTES != 0) {
            throw new IllegalArgumentException(
                    "a path of " + proof.length + " bytes, not a whole number of " + STEP_BYTES + "-byte steps");
        }
        if (proof.length / STEP_BYTES > MAX_STEPS) {
            throw new IllegalArgumentException(
                    "a path of " + proof.length / STEP_BYTES + " steps, more than " + MAX_STEPS);
        }
        MessageDigest sha256 = Sha256.digest();
        byte[] hash = leafHash(sha256, leaf);
        for (int at = 0; at < proof.length; at += STEP_BYTES) {
            byte side = proof[at];
            byte[] partner = Arrays.copyOfRange(proof, at + 1, at + STEP_BYTES);
            hash = switch (side) {
                case PARTNER_LEFT -> nodeHash(sha256, partner, hash);
                case PARTNER_RIGHT -> nodeHash(sha256, hash, partner);
                default -> throw new IllegalArgumentException("step " + at / STEP_BYTES + " has side " + side);
            };
        }
        return hash;
    }

    private static byte[] leafHash(MessageDigest sha256, byte[] leaf) {
        sha256.update(LEAF);
        return sha256.digest(leaf);
    }

    private static byte[] nodeHash(MessageDigest sha256, byte[] left, byte[] right) {
        sha256.update(NODE);
        sha256.update(left);
        return sha256.digest(right);
    }
}
