package io.lazarus.coordinator.trust;

import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.common.trust.TrustedKey;
import io.lazarus.common.trust.TrustedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signs install messages with the run-signing key, read when first needed: a command that publishes nothing never
 * touches it. On a machine with none it is created, and trusted by the workers of this machine, so one machine needs
 * no set-up.
 */
@Component
public class RunSigner {

    private static final Logger log = LoggerFactory.getLogger(RunSigner.class);

    private final SigningProperties properties;
    private volatile SigningKey key;

    RunSigner(SigningProperties properties) {
        this.properties = properties;
    }

    /**
     * The signature headers' values for a window of messages whose bodies are {@code bodies}, signed as one batch: the
     * key id, the batch's signature, and each message's path to the batch's root.
     */
    public List<Signature> sign(List<InstallMessage> installs, List<byte[]> bodies) {
        SigningKey signing = key();
        List<InstallSignature.Signed> batch = new ArrayList<>(installs.size());
        for (int i = 0; i < installs.size(); i++) {
            InstallMessage install = installs.get(i);
            batch.add(new InstallSignature.Signed(
                    install.attemptId(), install.runId(), install.node().id(), install.attempt(), bodies.get(i)));
        }
        return InstallSignature.sign(signing, batch).stream()
                .map(seal -> new Signature(signing.keyId(), seal.signature(), seal.proof()))
                .toList();
    }

    public record Signature(String keyId, String value, String proof) {}

    /**
     * The keys a message of this coordinator may carry: its own, and those of the local trust file (a rotation keeps
     * the former key there until it is retired). The gatekeeper judges candidates by them.
     */
    public TrustedKeys trusted() {
        List<TrustedKey> keys = new ArrayList<>();
        keys.add(key().publicKey());
        if (Files.exists(properties.localTrustFile())) {
            try {
                keys.addAll(TrustedKeys.read(properties.localTrustFile()));
            } catch (IOException | IllegalArgumentException e) {
                log.warn("cannot read {}: {}", properties.localTrustFile(), e.getMessage());
            }
        }
        return TrustedKeys.of(keys);
    }

    public SigningKey key() {
        SigningKey loaded = key;
        if (loaded == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate();
                    InstallSignature.prepare();
                }
                loaded = key;
            }
        }
        return loaded;
    }

    private SigningKey loadOrCreate() {
        if (Files.exists(properties.keyFile())) {
            return SigningKey.read(properties.keyFile());
        }
        SigningKey created = SigningKey.generate();
        try {
            created.writeNew(properties.keyFile());
        } catch (FileAlreadyExistsException raced) {
            return SigningKey.read(properties.keyFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run-signing key " + properties.keyFile(), e);
        }
        try {
            TrustedKeys.trust(properties.localTrustFile(), created.publicKey());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add the new key to " + properties.localTrustFile(), e);
        }
        System.err.printf(
                "lazarus: created run-signing key %s in %s; workers on this machine trust it through %s%n",
                created.keyId(), properties.keyFile(), properties.localTrustFile());
        return created;
    }

    /** Forgets the loaded key, after {@code lazarus keys rotate} replaced the file. */
    public synchronized void reload() {
        key = null;
    }

    public SigningProperties properties() {
        return properties;
    }
}
