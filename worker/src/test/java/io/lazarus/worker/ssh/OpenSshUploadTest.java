package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.AttemptStep;
import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.UploadResult;
import io.lazarus.common.files.DirectoryContentStore;
import io.lazarus.common.files.StoredContent;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads through a real OpenSSH sshd on loopback (the node's file system is this machine's): the file lands with its
 * mode before the script runs, an existing one is replaced, and a file that is not what the message names never takes
 * its place.
 */
class OpenSshUploadTest {

    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static DirectoryContentStore store;
    static SshInstaller installer;

    @BeforeAll
    static void start() throws Exception {
        ClientKey key = ClientKey.generate(dir);
        store = new DirectoryContentStore(dir.resolve("store"));
        sshd = OpenSshServer.start(Files.createDirectories(dir.resolve("sshd")), "127.0.3.77", key.publicKeyLine());
        installer =
                new Installers(key, store).installer("accept-new", dir.resolve("known_hosts"), Installers.watchdog());
    }

    @AfterAll
    static void stop() throws Exception {
        sshd.close();
    }

    @Test
    void aFileLandsWithItsModeBeforeTheScriptRunsIt() throws Exception {
        Path node = Files.createDirectories(dir.resolve("node-a"));
        StoredContent tool = store.put(Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh\necho tool ran \"$@\"\n"));
        StoredContent data = store.put(Files.writeString(dir.resolve("data.txt"), "data\n"));
        Files.writeString(node.resolve("data.txt"), "an older version\n");
        String toolPath = node.resolve("tool").toString();

        AttemptResult result = installer.install(message(
                List.of(
                        FileUpload.of(tool.sha256(), tool.size(), toolPath, "0755"),
                        FileUpload.of(
                                data.sha256(),
                                data.size(),
                                node.resolve("data.txt").toString(),
                                null)),
                toolPath + " once; sha256sum " + toolPath + "; cat " + node.resolve("data.txt")));

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.stdoutTail()).contains("tool ran once", tool.sha256(), "data\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(toolPath))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.resolve("data.txt"))))
                .isEqualTo("rw-r--r--");
        assertThat(result.uploads())
                .extracting(UploadResult::remotePath, UploadResult::sha256, UploadResult::bytes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(toolPath, tool.sha256(), tool.size()),
                        org.assertj.core.groups.Tuple.tuple(
                                node.resolve("data.txt").toString(), data.sha256(), 5L));
        assertThat(result.steps())
                .extracting(AttemptStep::phase, AttemptStep::command)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("connect", null),
                        org.assertj.core.groups.Tuple.tuple("upload", 0),
                        org.assertj.core.groups.Tuple.tuple("upload", 1),
                        org.assertj.core.groups.Tuple.tuple("command", 0));
        assertThat(leftovers(node)).isEmpty();
    }

    @Test
    void aStoreCopyThatIsNotWhatTheMessageNamesIsNeverPutInPlaceAndTheScriptDoesNotRun() throws Exception {
        Path node = Files.createDirectories(dir.resolve("node-b"));
        StoredContent content = store.put(Files.writeString(dir.resolve("config"), "port=8080\n"));
        Files.writeString(dir.resolve("store/sha256/" + content.sha256()), "port=6666\n");
        Path marker = node.resolve("script-ran");

        AttemptResult result = installer.install(message(
                List.of(FileUpload.of(
                        content.sha256(),
                        content.size(),
                        node.resolve("app.conf").toString(),
                        null)),
                "touch " + marker));

        assertThat(result.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(result.reason())
                .startsWith("upload 1/1 " + node.resolve("app.conf") + ": the file store's copy of sha256 "
                        + content.sha256() + " changed while it was sent")
                .endsWith("not put in place");
        assertThat(result.uploads()).isEmpty();
        assertThat(node.resolve("app.conf")).doesNotExist();
        assertThat(marker).doesNotExist();
        assertThat(leftovers(node)).isEmpty();
    }

    @Test
    void aDirectoryTheNodeLacksFailsTheAttemptNamingTheUpload() throws Exception {
        StoredContent content = store.put(Files.writeString(dir.resolve("x"), "x"));
        String remote = dir.resolve("no-such-dir/x").toString();

        AttemptResult result = installer.install(
                message(List.of(FileUpload.of(content.sha256(), content.size(), remote, null)), "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(result.reason())
                .startsWith("upload 1/1 " + remote + ": while sending it to ")
                .contains("no such");
    }

    @Test
    void theScriptThatFindsItsFilesGetsTheRunsVariablesAndItsWholeOutputIsOnlyWhatTheScriptPrinted() throws Exception {
        Path node = Files.createDirectories(dir.resolve("node-c"));
        StoredContent greeting = store.put(Files.writeString(dir.resolve("greeting"), "hello\n"));
        String remote = node.resolve("greeting").toString();
        List<OutputChunk> sent = new CopyOnWriteArrayList<>();
        InstallMessage install = InstallMessage.firstAttempt(
                        "run-upload",
                        target(),
                        InstallScript.of("install.sh", List.of("echo \"$(cat " + remote + ") $LAZARUS_VAR_WHO\"")),
                        null,
                        null,
                        List.of(),
                        Map.of("who", "world"))
                .withUploads(List.of(FileUpload.of(greeting.sha256(), greeting.size(), remote, null)));

        AttemptResult result = installer.install(install, installer.secrets(Map.of()), sent::addAll);

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.uploads()).extracting(UploadResult::remotePath).containsExactly(remote);
        assertThat(sent.stream().map(OutputChunk::text).collect(Collectors.joining()))
                .as("the upload's digest check on the node is not the script's output (a pty ends lines with CR LF)")
                .isEqualToNormalizingNewlines("hello world\n");
    }

    private static List<Path> leftovers(Path node) throws Exception {
        try (Stream<Path> files = Files.list(node)) {
            return files.filter(f -> f.getFileName().toString().contains(".lazarus-"))
                    .toList();
        }
    }

    private static InstallMessage message(List<FileUpload> uploads, String... commands) {
        return InstallMessage.firstAttempt(
                        "run-upload", target(), InstallScript.of("install.sh", List.of(commands)), null, null)
                .withUploads(uploads);
    }

    private static NodeTarget target() {
        return new NodeTarget("openssh", sshd.host(), sshd.port(), sshd.user());
    }
}
