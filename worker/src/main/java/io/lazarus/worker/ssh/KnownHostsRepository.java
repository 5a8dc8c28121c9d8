package io.lazarus.worker.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.common.trust.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host key checking with the policy JSch lacks: {@code accept-new} records an unknown host's key and rejects a
 * changed one. JSch runs with {@code StrictHostKeyChecking=yes} against this repository, so the decision is made here.
 *
 * <p>Entries for plain host names live in an index, so a check costs one lookup however large the file grows, and a
 * recorded host is one appended line. (JSch's own repository scans every entry per check and rewrites the whole file
 * per new host, under one lock: quadratic in the fleet.) Hashed names, wildcards and markers of an operator's file are
 * left to JSch's parser, consulted only for hosts the index does not know.
 */
final class KnownHostsRepository implements HostKeyRepository {

    private static final Logger log = LoggerFactory.getLogger(KnownHostsRepository.class);

    private final Path file;
    private final HostKeyPolicy policy;
    private final Map<String, List<HostKey>> index = new ConcurrentHashMap<>();
    private final HostKeyRepository patterns;

    KnownHostsRepository(Path file, HostKeyPolicy policy) {
        this.file = file;
        this.policy = policy;
        List<String> plain = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try {
            if (policy == HostKeyPolicy.ACCEPT_NEW && !Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.createFile(file);
            }
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    (isPlain(line) ? plain : other).add(line);
                }
            } else if (policy == HostKeyPolicy.STRICT) {
                throw new IllegalStateException("lazarus.ssh.known-hosts " + file
                        + " does not exist, and host-key-policy is strict: every host would be rejected");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create lazarus.ssh.known-hosts " + file, e);
        }
        for (HostKey entry : parse(plain).getHostKey()) {
            for (String host : entry.getHost().split(",")) {
                index.computeIfAbsent(host, h -> new ArrayList<>()).add(entry);
            }
        }
        this.patterns = parse(other);
    }

    /** JSch's parser over some lines of the file, read from memory: it never writes them back. */
    private HostKeyRepository parse(List<String> lines) {
        JSch jsch = new JSch();
        try {
            jsch.setKnownHosts(
                    new java.io.ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
        } catch (JSchException e) {
            throw new IllegalStateException("cannot read lazarus.ssh.known-hosts " + file + ": " + e.getMessage(), e);
        }
        return jsch.getHostKeyRepository();
    }

    /** A line naming hosts outright: no marker, no hashed name, no wildcard or negation. */
    private static boolean isPlain(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("@") || trimmed.startsWith("|")) {
            return false;
        }
        String hosts = trimmed.split("\\s+", 2)[0];
        return hosts.chars().noneMatch(c -> c == '*' || c == '?' || c == '!');
    }

    /** JSch's answer for one session, and how it was reached: the record of every attempt says which. */
    record Verdict(int result, HostKeyCheck check) {}

    @Override
    public int check(String host, byte[] key) {
        return verify(host, key).result();
    }

    /** Decides one presented key; {@code check} is null when the key is rejected. */
    Verdict verify(String host, byte[] key) {
        if (policy == HostKeyPolicy.OFF) {
            log.warn("host key of {} NOT verified (lazarus.ssh.host-key-policy=off)", Printable.of(host, 300));
            return new Verdict(OK, HostKeyCheck.NOT_VERIFIED);
        }
        HostKey presented;
        try {
            presented = new HostKey(host, key);
        } catch (JSchException e) {
            return new Verdict(NOT_INCLUDED, null);
        }
        int result = lookup(host, key, presented);
        if (result == NOT_INCLUDED && policy == HostKeyPolicy.ACCEPT_NEW) {
            return record(presented);
        }
        return new Verdict(result, result == OK ? HostKeyCheck.KNOWN : null);
    }

    private int lookup(String host, byte[] key, HostKey presented) {
        List<HostKey> known = index.get(host);
        if (known == null) {
            return patterns.check(host, key);
        }
        synchronized (known) {
            boolean sameType = false;
            for (HostKey entry : known) {
                if (entry.getType().equals(presented.getType())) {
                    if (entry.getKey().equals(presented.getKey())) {
                        return OK;
                    }
                    sameType = true;
                }
            }
            return sameType ? CHANGED : NOT_INCLUDED;
        }
    }

    /** Records an unknown host; if another session recorded it meanwhile, that key decides. */
    private Verdict record(HostKey presented) {
        List<HostKey> known = index.computeIfAbsent(presented.getHost(), h -> new ArrayList<>());
        synchronized (known) {
            for (HostKey entry : known) {
                if (entry.getType().equals(presented.getType())) {
                    // recorded by another session a moment ago: still this worker's first contact with the host
                    return entry.getKey().equals(presented.getKey())
                            ? new Verdict(OK, HostKeyCheck.NEW_RECORDED)
                            : new Verdict(CHANGED, null);
                }
            }
            known.add(presented);
        }
        String line = presented.getHost() + " " + presented.getType() + " " + presented.getKey() + "\n";
        try {
            synchronized (file) {
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            log.info("recorded the host key of {} (accept-new)", Printable.of(presented.getHost(), 300));
        } catch (IOException e) {
            log.warn(
                    "cannot record the host key of {} in {}: {}; it is trusted until the worker restarts",
                    Printable.of(presented.getHost(), 300),
                    file,
                    e.getMessage());
        }
        return new Verdict(OK, HostKeyCheck.NEW_RECORDED);
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // only check() records, and only under accept-new
    }

    @Override
    public void remove(String host, String type) {
        // the file is the operator's: nothing is removed from it
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // the file is the operator's: nothing is removed from it
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        List<HostKey> all = new ArrayList<>(List.of(patterns.getHostKey()));
        index.values().forEach(keys -> {
            synchronized (keys) {
                all.addAll(keys);
            }
        });
        return all.toArray(HostKey[]::new);
    }

    /** Asked for every session, to prefer the key types already known for the host. */
    @Override
    public HostKey[] getHostKey(String host, String type) {
        List<HostKey> known = index.get(host);
        if (known == null) {
            return patterns.getHostKey(host, type);
        }
        synchronized (known) {
            return known.stream()
                    .filter(k -> type == null || k.getType().equals(type))
                    .toArray(HostKey[]::new);
        }
    }
}
