package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known_hosts file as operators keep it: plain and hashed names, and what accept-new adds to it. */
class KnownHostsRepositoryTest {

    @TempDir
    Path dir;

    private final byte[] web1 = key();
    private final byte[] web2 = key();
    private final byte[] hashed = key();
    private final byte[] stranger = key();

    @Test
    void plainHashedAndMultiNameEntriesAreRecognised() throws Exception {
        Path file = Files.write(
                dir.resolve("known_hosts"),
                List.of(
                        "# the operator's file",
                        "web1,10.0.0.5 " + line(web1),
                        "[web2]:2222 " + line(web2),
                        hashedLine("db1", hashed)));
        KnownHostsRepository strict = new KnownHostsRepository(file, HostKeyPolicy.STRICT);

        assertThat(strict.check("web1", web1)).isEqualTo(HostKeyRepository.OK);
        assertThat(strict.check("10.0.0.5", web1)).isEqualTo(HostKeyRepository.OK);
        assertThat(strict.check("[web2]:2222", web2)).isEqualTo(HostKeyRepository.OK);
        assertThat(strict.check("db1", hashed)).isEqualTo(HostKeyRepository.OK);
        assertThat(strict.check("web1", web2)).isEqualTo(HostKeyRepository.CHANGED);
        assertThat(strict.check("db1", web2)).isEqualTo(HostKeyRepository.CHANGED);
        assertThat(strict.check("web3", stranger)).isEqualTo(HostKeyRepository.NOT_INCLUDED);
    }

    @Test
    void acceptNewAppendsOneLinePerNewHostAndNeverRewritesTheFile() throws Exception {
        Path file = Files.write(dir.resolve("known_hosts"), List.of("# keep me", "web1 " + line(web1)));
        KnownHostsRepository acceptNew = new KnownHostsRepository(file, HostKeyPolicy.ACCEPT_NEW);

        // many sessions reach the same new host at once: one of them records it, the others agree
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Integer> results = IntStream.range(0, 50)
                    .mapToObj(i -> threads.submit(() -> acceptNew.check("[10.1.0.9]:22", stranger)))
                    .map(f -> {
                        try {
                            return f.get();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    })
                    .toList();
            assertThat(results).containsOnly(HostKeyRepository.OK);
        }

        assertThat(Files.readAllLines(file))
                .containsExactly("# keep me", "web1 " + line(web1), "[10.1.0.9]:22 " + line(stranger));
        assertThat(acceptNew.check("[10.1.0.9]:22", web2))
                .as("a changed key is rejected, not recorded")
                .isEqualTo(HostKeyRepository.CHANGED);
        assertThat(new KnownHostsRepository(file, HostKeyPolicy.STRICT).check("[10.1.0.9]:22", stranger))
                .as("what accept-new recorded, strict reads")
                .isEqualTo(HostKeyRepository.OK);
    }

    private static byte[] key() {
        try {
            return KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256).getPublicKeyBlob();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String line(byte[] key) {
        return "ecdsa-sha2-nistp256 " + Base64.getEncoder().encodeToString(key);
    }

    /** What {@code ssh-keygen -H} writes: {@code |1|salt|HMAC-SHA1(salt, host)}. */
    private static String hashedLine(String host, byte[] key) throws Exception {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(host.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Base64.Encoder b64 = Base64.getEncoder();
        return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash) + " " + line(key);
    }
}
