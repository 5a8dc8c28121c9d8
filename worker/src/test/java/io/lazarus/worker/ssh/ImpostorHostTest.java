package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.testkit.ClientKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that presents the host key the worker knows but does not hold its private key (someone on the path, or a
 * stolen public key): its signature of the key exchange fails verification, and the worker refuses it as a host-key
 * rejection, not as a passing connect failure to be retried, before anything runs.
 */
class ImpostorHostTest {

    @TempDir
    Path dir;

    @Test
    void aNodeThatPresentsTheKnownKeyButCannotSignWithItIsRejectedAndRunsNothing() throws Exception {
        KeyPair genuine = p256();
        KeyPair impostor = p256();
        List<String> executed = new CopyOnWriteArrayList<>();
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(new KeyPair(genuine.getPublic(), impostor.getPrivate())));
        sshd.setPublickeyAuthenticator((user, key, session) -> true);
        sshd.setCommandFactory((channel, command) -> {
            executed.add(command);
            throw new IOException("nothing runs here");
        });
        sshd.start();
        try {
            Path knownHosts = Files.writeString(
                    dir.resolve("known_hosts"),
                    "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(genuine.getPublic()) + "\n");
            SshInstaller installer =
                    new Installers(ClientKey.generate(dir)).installer("strict", knownHosts, Installers.watchdog());

            AttemptResult result = installer.install(InstallMessage.firstAttempt(
                    "run-t",
                    new NodeTarget("impostor", "127.0.0.1", sshd.getPort(), "deploy"),
                    InstallScript.of("install.sh", List.of("true")),
                    null,
                    null));

            assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.HOST_KEY_REJECTED);
            assertThat(result.reason()).contains("signature");
            assertThat(result.connectAttempts())
                    .as("not retried: a forgery does not pass")
                    .isEqualTo(1);
            assertThat(result.hostKey())
                    .as("a rejected key was verified as nothing")
                    .isNull();
            assertThat(executed).isEmpty();
        } finally {
            sshd.stop(true);
        }
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
