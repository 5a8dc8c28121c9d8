package io.lazarus.coordinator.cli;

import io.lazarus.common.trust.SigningKey;
import io.lazarus.common.trust.TrustedKey;
import io.lazarus.common.trust.TrustedKeys;
import io.lazarus.coordinator.trust.RunSigner;
import io.lazarus.coordinator.trust.SigningProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = {
            "The run-signing key: every install message is signed with it, and workers run only messages"
                    + " signed by a key in their trusted-keys file (lazarus.trust.trusted-keys).",
            "The key is lazarus.signing.key-file (default ~/.lazarus/signing.key, 0600); a key created here is"
                    + " trusted at once in lazarus.signing.local-trust-file (default ~/.lazarus/trusted-keys, the"
                    + " trusted-keys file of workers on this machine)."
        },
        subcommands = {
            KeysCommand.Show.class,
            KeysCommand.Create.class,
            KeysCommand.Rotate.class,
            KeysCommand.Untrust.class
        })
final class KeysCommand {

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Prints the key id and the public key line to put in workers' trusted-keys files (creates the"
                    + " key if there is none).")
    static final class Show implements Callable<Integer> {
        private final RunSigner signer;

        Show(RunSigner signer) {
            this.signer = signer;
        }

        @Override
        public Integer call() {
            SigningKey key = signer.key();
            SigningProperties paths = signer.properties();
            System.out.println("key id:      " + key.keyId());
            System.out.println("private key: " + paths.keyFile());
            System.out.println("public key (one line of a worker's trusted-keys file):");
            System.out.println(key.publicKey().line());
            return Cli.EXIT_OK;
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates the key pair if there is none; an existing key is never replaced (see rotate).")
    static final class Create implements Callable<Integer> {
        private final RunSigner signer;

        Create(RunSigner signer) {
            this.signer = signer;
        }

        @Override
        public Integer call() {
            boolean existed = Files.exists(signer.properties().keyFile());
            SigningKey key = signer.key();
            System.out.println((existed ? "exists: " : "created: ") + key.keyId() + " in "
                    + signer.properties().keyFile());
            System.out.println(key.publicKey().line());
            return Cli.EXIT_OK;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = {
                "Replaces the signing key with a new one. The new public key is added to the local trusted-keys"
                        + " file and the former one stays there, so messages already queued still run; the former private key"
                        + " is kept beside as signing.key.<id>.retired.",
                "Across machines: add the new public key (printed) to every worker's trusted-keys file first; workers"
                        + " read the file again when it changes, no restart. Once no message of the former key is"
                        + " queued (the runs' deadlines passed), remove it: lazarus keys untrust ID."
            })
    static final class Rotate implements Callable<Integer> {
        private final RunSigner signer;

        Rotate(RunSigner signer) {
            this.signer = signer;
        }

        @Override
        public Integer call() throws IOException {
            SigningProperties paths = signer.properties();
            SigningKey former = signer.key();
            SigningKey next = SigningKey.generate();
            Path staged = paths.keyFile().resolveSibling(paths.keyFile().getFileName() + ".next");
            Files.deleteIfExists(staged);
            next.writeNew(staged);
            TrustedKeys.trust(paths.localTrustFile(), next.publicKey());
            Path retired =
                    paths.keyFile().resolveSibling(paths.keyFile().getFileName() + "." + former.keyId() + ".retired");
            Files.copy(
                    paths.keyFile(), retired, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            Files.move(staged, paths.keyFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            signer.reload();
            System.out.println("signing with " + next.keyId() + " from now on; " + former.keyId()
                    + " stays trusted in " + paths.localTrustFile() + " (retire it with: lazarus keys untrust "
                    + former.keyId() + ")");
            System.out.println("new public key (add it to every worker's trusted-keys file):");
            System.out.println(next.publicKey().line());
            return Cli.EXIT_OK;
        }
    }

    @Command(
            name = "untrust",
            mixinStandardHelpOptions = true,
            description = "Removes a key from the local trusted-keys file: workers reading it refuse its messages from"
                    + " then on.")
    static final class Untrust implements Callable<Integer> {
        private final RunSigner signer;

        @Parameters(paramLabel = "KEY_ID", description = "the key id, as keys show or rotate printed it")
        String keyId;

        Untrust(RunSigner signer) {
            this.signer = signer;
        }

        @Override
        public Integer call() throws IOException {
            Path file = signer.properties().localTrustFile();
            if (keyId.equals(signer.key().keyId())) {
                throw new InputException(keyId + " is the key messages are signed with now: rotate first");
            }
            if (!TrustedKeys.untrust(file, keyId)) {
                throw new InputException("no key " + keyId + " in " + file + " (trusted: "
                        + TrustedKeys.read(file).stream().map(TrustedKey::keyId).toList() + ")");
            }
            System.out.println(keyId + " is no longer trusted in " + file);
            return Cli.EXIT_OK;
        }
    }
}
