package io.lazarus.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexedHostKeysTest {

    @TempDir
    Path dir;

    @Test
    void aKnownKeyIsOkAnotherKeyForTheSameHostIsChangedAndAnUnknownHostIsNotIncluded() throws Exception {
        JSch jsch = new JSch();
        byte[] first = publicKey(jsch);
        byte[] second = publicKey(jsch);
        Path knownHosts = Files.writeString(
                dir.resolve("known_hosts"),
                "[127.1.0.1]:2222 ecdsa-sha2-nistp256 " + Base64.getEncoder().encodeToString(first) + "\n"
                        + "[127.1.0.2]:2222 ecdsa-sha2-nistp256 "
                        + Base64.getEncoder().encodeToString(second)
                        + "\n");
        jsch.setKnownHosts(knownHosts.toString());

        IndexedHostKeys keys = new IndexedHostKeys(jsch.getHostKeyRepository());

        assertThat(keys.check("[127.1.0.1]:2222", first)).isEqualTo(HostKeyRepository.OK);
        assertThat(keys.check("[127.1.0.2]:2222", second)).isEqualTo(HostKeyRepository.OK);
        assertThat(keys.check("[127.1.0.1]:2222", second)).isEqualTo(HostKeyRepository.CHANGED);
        assertThat(keys.check("[127.1.0.3]:2222", first)).isEqualTo(HostKeyRepository.NOT_INCLUDED);
        assertThat(keys.check("127.1.0.1", first)).as("another port").isEqualTo(HostKeyRepository.NOT_INCLUDED);
    }

    private static byte[] publicKey(JSch jsch) throws Exception {
        return KeyPair.genKeyPair(jsch, KeyPair.ECDSA, 256).getPublicKeyBlob();
    }
}
