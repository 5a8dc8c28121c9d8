package io.lazarus.worker.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Host key checking on top of JSch's known_hosts support, with the policy JSch lacks: {@code accept-new} records an
 * unknown host's key and rejects a changed one. JSch is always run with {@code StrictHostKeyChecking=yes} against
 * this repository, so the decision is made here and nowhere else.
 */
final class KnownHostsRepository implements HostKeyRepository {

    private static final Logger log = LoggerFactory.getLogger(KnownHostsRepository.class);

    private final HostKeyRepository knownHosts;
    private final HostKeyPolicy policy;

    KnownHostsRepository(Path file, HostKeyPolicy policy) {
        this.policy = policy;
        JSch jsch = new JSch();
        try {
            if (policy == HostKeyPolicy.ACCEPT_NEW && !Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.createFile(file);
            }
            if (Files.exists(file)) {
                jsch.setKnownHosts(file.toString());
            } else if (policy == HostKeyPolicy.STRICT) {
                throw new IllegalStateException("lazarus.ssh.known-hosts " + file
                        + " does not exist, and host-key-policy is strict: every host would be rejected");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lazarus.ssh.known-hosts " + file, e);
        } catch (JSchException e) {
            throw new IllegalStateException("cannot read lazarus.ssh.known-hosts " + file + ": " + e.getMessage(), e);
        }
        this.knownHosts = jsch.getHostKeyRepository();
    }

    @Override
    public int check(String host, byte[] key) {
        if (policy == HostKeyPolicy.OFF) {
            log.warn("host key of {} NOT verified (lazarus.ssh.host-key-policy=off)", host);
            return OK;
        }
        synchronized (this) {
            int result = knownHosts.check(host, key);
            if (result == NOT_INCLUDED && policy == HostKeyPolicy.ACCEPT_NEW) {
                try {
                    knownHosts.add(new HostKey(host, key), null);
                    log.info("recorded the host key of {} (accept-new)", host);
                    return OK;
                } catch (JSchException e) {
                    log.warn("cannot record the host key of {}: {}", host, e.getMessage());
                    return NOT_INCLUDED;
                }
            }
            return result;
        }
    }

    @Override
    public synchronized void add(HostKey hostkey, UserInfo ui) {
        knownHosts.add(hostkey, ui);
    }

    @Override
    public synchronized void remove(String host, String type) {
        knownHosts.remove(host, type);
    }

    @Override
    public synchronized void remove(String host, String type, byte[] key) {
        knownHosts.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHosts.getKnownHostsRepositoryID();
    }

    @Override
    public synchronized HostKey[] getHostKey() {
        return knownHosts.getHostKey();
    }

    @Override
    public synchronized HostKey[] getHostKey(String host, String type) {
        return knownHosts.getHostKey(host, type);
    }
}
