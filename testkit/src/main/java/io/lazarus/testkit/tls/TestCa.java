package io.lazarus.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test with {@code /usr/bin/openssl}: its certificate, and server certificates it
 * issues. Short-lived (two days) EC P-256 keys. Without openssl it fails loudly ({@code .ci/run} installs it).
 */
public final class TestCa {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final String DAYS = "2";

    private final Path dir;
    private final Path certificate;
    private final Path key;

    private TestCa(Path dir, Path certificate, Path key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /** A server's certificate (PEM, with the CA's only as issuer) and its unencrypted private key (PEM, PKCS#8). */
    public record ServerCertificate(Path certificate, Path key) {}

    /** A self-signed CA named {@code name}, its files in {@code dir/name/}. */
    public static TestCa create(Path dir, String name) {
        if (!Files.isExecutable(OPENSSL)) {
            throw new IllegalStateException(OPENSSL + " not found: install openssl (apt-get install openssl)");
        }
        try {
            Path home = Files.createDirectories(dir.resolve(name));
            Path certificate = home.resolve("ca.pem");
            Path key = home.resolve("ca.key");
            openssl(
                    home,
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    key.toString(),
                    "-out",
                    certificate.toString(),
                    "-days",
                    DAYS,
                    "-subj",
                    "/O=Lazarus tests/CN=" + name,
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign");
            return new TestCa(home, certificate, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA's certificate (PEM): what a client trusts. */
    public Path certificate() {
        return certificate;
    }

    /**
     * Issues a server certificate for {@code commonName} with the given subject alternative names, for example
     * {@code DNS:localhost} and {@code IP:127.0.0.1}; clients verify the host name against these.
     */
    public ServerCertificate issue(String commonName, List<String> subjectAltNames) {
        try {
            Path home = Files.createDirectories(dir.resolve("issued-" + commonName.replaceAll("[^A-Za-z0-9.-]", "_")));
            Path key = home.resolve("server.key");
            Path request = home.resolve("server.csr");
            Path certificate = home.resolve("server.pem");
            Path extensions = Files.writeString(
                    home.resolve("server.ext"),
                    String.join(
                            "\n",
                            "basicConstraints = critical, CA:FALSE",
                            "keyUsage = critical, digitalSignature, keyEncipherment",
                            "extendedKeyUsage = serverAuth",
                            "subjectAltName = " + String.join(", ", subjectAltNames),
                            ""));
            openssl(
                    home,
                    "req",
                    "-new",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    key.toString(),
                    "-out",
                    request.toString(),
                    "-subj",
                    "/O=Lazarus tests/CN=" + commonName);
            openssl(
                    home,
                    "x509",
                    "-req",
                    "-in",
                    request.toString(),
                    "-CA",
                    certificate().toString(),
                    "-CAkey",
                    this.key.toString(),
                    "-CAcreateserial",
                    "-out",
                    certificate.toString(),
                    "-days",
                    DAYS,
                    "-extfile",
                    extensions.toString());
            return new ServerCertificate(certificate, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path workingDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
