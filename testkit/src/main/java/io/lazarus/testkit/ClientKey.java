package io.lazarus.testkit;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh ECDSA key pair for a test worker: the private key file it holds and the public line nodes accept. */
public record ClientKey(Path privateKey, Path publicKeyFile, String publicKeyLine) {

    public static ClientKey generate(Path directory) {
        try {
            KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
            Path privateKey = directory.resolve("id_ecdsa");
            pair.writePrivateKey(privateKey.toString());
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            pair.writePublicKey(line, "lazarus-test");
            String publicLine = line.toString(StandardCharsets.UTF_8).trim();
            Path publicKeyFile = Files.writeString(directory.resolve("id_ecdsa.pub"), publicLine + "\n");
            return new ClientKey(privateKey, publicKeyFile, publicLine);
        } catch (JSchException e) {
            throw new IllegalStateException("cannot generate a test key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
