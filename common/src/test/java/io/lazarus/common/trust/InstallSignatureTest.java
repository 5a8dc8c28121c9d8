package io.lazarus.common.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallSignatureTest {

    private final SigningKey key = SigningKey.generate();
    private final TrustedKeys trusted = TrustedKeys.of(List.of(key.publicKey()));
    private final InstallSignature.Signed message = new InstallSignature.Signed(
            "run-1/web-01/1/abcd", "run-1", "web-01", 1, "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void aSignedMessageVerifiesWithTheTrustedKey() {
        String signature = InstallSignature.sign(key, message);

        assertThat(InstallSignature.verify(trusted, key.keyId(), signature, message)
                        .keyId())
                .isEqualTo(key.keyId());
    }

    /** The arithmetic is BouncyCastle's, the keys the JDK's: a signature of either verifies with the other. */
    @Test
    void theSignatureIsTheJdksEd25519Signature() throws Exception {
        byte[] canonical = InstallSignature.canonical(key.keyId(), message);
        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
        jdk.initSign(key.privateKey());
        jdk.update(canonical);
        byte[] jdkSignature = jdk.sign();

        String signature = InstallSignature.sign(key, message);

        assertThat(java.util.Base64.getDecoder().decode(signature)).isEqualTo(jdkSignature);
        assertThat(InstallSignature.verify(
                                trusted,
                                key.keyId(),
                                java.util.Base64.getEncoder().encodeToString(jdkSignature),
                                message)
                        .keyId())
                .isEqualTo(key.keyId());
    }

    /** A cancel notice is signed in a domain of its own: neither kind of signature passes for the other. */
    @Test
    void aCancelNoticeSignatureIsNoInstallSignatureNorTheOtherWayRound() {
        byte[] body = message.body();
        String cancel = InstallSignature.signCancel(key, "run-1/cancel/1", "run-1", body);
        var asInstall = new InstallSignature.Signed("run-1/cancel/1", "run-1", null, 0, body);
        String install = InstallSignature.sign(key, asInstall);

        assertThat(InstallSignature.verifyCancel(trusted, key.keyId(), cancel, "run-1/cancel/1", "run-1", body)
                        .keyId())
                .isEqualTo(key.keyId());
        assertThatThrownBy(() -> InstallSignature.verify(trusted, key.keyId(), cancel, asInstall))
                .hasMessageStartingWith("bad signature");
        assertThatThrownBy(() ->
                        InstallSignature.verifyCancel(trusted, key.keyId(), install, "run-1/cancel/1", "run-1", body))
                .hasMessageStartingWith("bad signature");
        assertThatThrownBy(() ->
                        InstallSignature.verifyCancel(trusted, key.keyId(), cancel, "run-1/cancel/1", "run-2", body))
                .as("another run")
                .hasMessageStartingWith("bad signature");
    }

    @Test
    void aSignatureOfTheWrongLengthIsABadSignature() {
        assertThatThrownBy(() -> InstallSignature.verify(trusted, key.keyId(), "AAAA", message))
                .isInstanceOf(UntrustedMessageException.class)
                .hasMessageStartingWith("bad signature");
    }

    @Test
    void aChangedBodyOrHeaderBreaksTheSignature() {
        String signature = InstallSignature.sign(key, message);
        var otherBody = new InstallSignature.Signed(
                message.messageId(),
                message.runId(),
                message.nodeId(),
                1,
                "{\"schemaVersion\":1} ".getBytes(StandardCharsets.UTF_8));
        var otherNode = new InstallSignature.Signed(message.messageId(), message.runId(), "web-02", 1, message.body());
        var otherAttempt =
                new InstallSignature.Signed(message.messageId(), message.runId(), message.nodeId(), 2, message.body());

        for (var changed : List.of(otherBody, otherNode, otherAttempt)) {
            assertThatThrownBy(() -> InstallSignature.verify(trusted, key.keyId(), signature, changed))
                    .isInstanceOf(UntrustedMessageException.class)
                    .hasMessageStartingWith("bad signature");
        }
    }

    /** The signature covers the whole body: the uploads' digests and paths cannot be swapped in transit. */
    @Test
    void aTamperedUploadDigestOrRemotePathBreaksTheSignature() {
        String digest = "ab".repeat(32);
        var install = io.lazarus.common.contract.InstallMessage.firstAttempt(
                        "run-1",
                        new io.lazarus.common.contract.NodeTarget(
                                "web-01", "10.0.0.5", 22, "deploy", java.util.Map.of()),
                        io.lazarus.common.contract.InstallScript.of("install.sh", "/opt/app/tool"),
                        null,
                        null)
                .withUploads(List.of(io.lazarus.common.contract.FileUpload.of(digest, 42, "/opt/app/tool", "0755")));
        String body = new String(io.lazarus.common.contract.Contracts.toJson(install), StandardCharsets.UTF_8);
        var signed = new InstallSignature.Signed(
                install.attemptId(), "run-1", "web-01", 1, body.getBytes(StandardCharsets.UTF_8));
        String signature = InstallSignature.sign(key, signed);
        assertThat(InstallSignature.verify(trusted, key.keyId(), signature, signed)
                        .keyId())
                .isEqualTo(key.keyId());

        for (String tampered : List.of(
                body.replace(digest, "cd".repeat(32)),
                body.replace("/opt/app/tool\",\"mode", "/etc/cron.d/evil\",\"mode"),
                body.replace("\"0755\"", "\"0777\""))) {
            assertThat(tampered).isNotEqualTo(body);
            var changed = new InstallSignature.Signed(
                    install.attemptId(), "run-1", "web-01", 1, tampered.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> InstallSignature.verify(trusted, key.keyId(), signature, changed))
                    .isInstanceOf(UntrustedMessageException.class)
                    .hasMessageStartingWith("bad signature");
        }
    }

    @Test
    void aMessageWithoutSignatureOrFromAnUnknownKeyIsRefusedSayingWhich() {
        SigningKey stranger = SigningKey.generate();
        String forged = InstallSignature.sign(stranger, message);

        assertThatThrownBy(() -> InstallSignature.verify(trusted, null, null, message))
                .hasMessageStartingWith("unsigned");
        assertThatThrownBy(() -> InstallSignature.verify(trusted, stranger.keyId(), forged, message))
                .hasMessageContaining("unknown key " + stranger.keyId())
                .hasMessageContaining(key.keyId());
        // a stranger's signature presented under the trusted key's id
        assertThatThrownBy(() -> InstallSignature.verify(trusted, key.keyId(), forged, message))
                .hasMessageStartingWith("bad signature");
        assertThatThrownBy(() -> InstallSignature.verify(trusted, key.keyId(), "not base64!", message))
                .hasMessageStartingWith("bad signature");
    }

    @Test
    void theKeyFileIsPrivateAndReadsBackAsTheSameKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/signing.key");
        key.writeNew(file);

        SigningKey read = SigningKey.read(file);

        assertThat(read.keyId()).isEqualTo(key.keyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String signature = InstallSignature.sign(read, message);
        assertThat(InstallSignature.verify(trusted, key.keyId(), signature, message)
                        .keyId())
                .isEqualTo(key.keyId());
        assertThatThrownBy(() -> key.writeNew(file)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void aKeyFileThatIsNotAKeyIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("signing.key"), "hello");

        assertThatThrownBy(() -> SigningKey.read(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a PEM private key");
    }

    @Test
    void aTrustedKeysFileIsReadAgainWhenItChangesSoKeysRotateWithoutARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trusted-keys");
        TrustedKeys keys = TrustedKeys.file(file);
        assertThat(keys.find(key.keyId())).isEmpty();

        TrustedKeys.trust(file, key.publicKey());
        assertThat(keys.find(key.keyId())).isPresent();

        SigningKey next = SigningKey.generate();
        TrustedKeys.trust(file, next.publicKey());
        TrustedKeys.untrust(file, key.keyId());
        Files.setLastModifiedTime(
                file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Thread.sleep(1_100);
        assertThat(keys.find(next.keyId())).isPresent();
        assertThat(keys.find(key.keyId())).isEmpty();
    }

    @Test
    void aBadLineInTheTrustedKeysFileIsRefusedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("trusted-keys"), "# keys\n" + key.publicKey().line() + "\nssh-rsa AAAA\n");

        assertThatThrownBy(() -> TrustedKeys.file(file)).hasMessageStartingWith(file + ":3: expected 'lazarus-ed25519");
    }

    /** How the compose set-up makes the key pair, with no Java at hand (docker/make-secrets.sh). */
    @Test
    void anOpensslEd25519KeyAndItsPublicLineWorkAsTheCoordinatorsAndTheWorkersKeys(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("signing_key");
        run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        String publicDer = run(dir, "sh", "-c", "openssl pkey -in " + key + " -pubout -outform DER | base64 -w0");

        SigningKey coordinator = SigningKey.read(key);
        TrustedKey worker = TrustedKey.parse("lazarus-ed25519 " + publicDer.strip() + " compose");

        assertThat(worker.keyId()).isEqualTo(coordinator.keyId());
        String signature = InstallSignature.sign(coordinator, message);
        assertThat(InstallSignature.verify(TrustedKeys.of(List.of(worker)), worker.keyId(), signature, message)
                        .keyId())
                .isEqualTo(coordinator.keyId());
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
        return output;
    }

    @Test
    void controlCharactersFromStrangersAreEscapedForTheLog() {
        assertThat(Printable.of("web-01\n2026-11-30 ERROR forged line\u001b[31m", 200))
                .isEqualTo("web-01\\n2026-11-30 ERROR forged line\\u001b[31m");
        assertThat(Printable.of("x".repeat(50), 10)).isEqualTo("xxxxxxxxxx...");
    }
}
