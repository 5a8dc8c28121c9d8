package io.lazarus.worker.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;

import java.util.Arrays;
import java.util.Base64;

/** A host key pinned in the install message ({@code "<type> <base64>"}): that key and no other. */
final class PinnedHostKeyRepository implements HostKeyRepository {

    private final byte[] pinned;

    PinnedHostKeyRepository(String pinnedHostKey) {
        String[] parts = pinnedHostKey.trim().split("\\s+");
        String base64 = parts.length >= 2 ? parts[1] : parts[0];
        try {
            this.pinned = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pinned host key is not '<type> <base64>': " + pinnedHostKey, e);
        }
    }

    @Override
    public int check(String host, byte[] key) {
        return Arrays.equals(pinned, key) ? OK : CHANGED;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // a pinned key is never replaced
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return "pinned host key";
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return new HostKey[0];
    }
}
