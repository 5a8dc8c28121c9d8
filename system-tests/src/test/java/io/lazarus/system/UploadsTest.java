package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.UploadResult;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.testkit.OpenSshServer;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code lazarus run --upload}, end to end: the lazarus command and the worker jar as processes sharing a file store,
 * the real broker, a real OpenSSH sshd with SFTP as the node (its file system is this machine's). The file lands with
 * its mode before the script runs; a missing local file stops the run before anything is published; a store copy that
 * is not what the run names is never sent.
 */
class UploadsTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create();

    static Path dir;
    static OpenSshServer sshd;
    static Path workerStore;
    static LazarusCli lazarus;

    @BeforeAll
    static void system() throws Exception {
        dir = system.dir();
        sshd = system.closeAtEnd(OpenSshServer.start(
                Files.createDirectories(dir.resolve("sshd")),
                "127.0.9.31",
                system.sshKey().publicKeyLine()));
        workerStore = dir.resolve("files");
        system.startWorker(Map.of("LAZARUS_FILES_ROOT", workerStore.toString(), "LAZARUS_SSH_CONNECT_ATTEMPTS", "2"));
        lazarus = system.cli().withEnvironment(Map.of("LAZARUS_FILES_ROOT", workerStore.toString()));
    }

    @Test
    void aFileLandsWithItsModeAndTheScriptChecksAndRunsIt() throws Exception {
        Path node = Files.createDirectories(dir.resolve("node-ok"));
        byte[] tool = "#!/bin/sh\necho \"tool says $1\"\n".getBytes();
        Path local = Files.write(dir.resolve("tool.sh"), tool);
        String digest = sha256(tool);
        Path remote = node.resolve("tool");
        Path script = Files.writeString(
                dir.resolve("use-tool.sh"),
                "set -e\ntest \"$(sha256sum " + remote + " | cut -c1-64)\" = " + digest + "\n" + remote + " hello\n");
        Path json = dir.resolve("ok.json");

        LazarusCli.Result run = lazarus.run(
                "run",
                "--inventory",
                inventory().toString(),
                "--script",
                script.toString(),
                "--upload",
                local + ":" + remote + ":0755",
                "--wait",
                "--json",
                json.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        NodeReport report = Reports.read(json).nodes().getFirst();
        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(report.stdoutTail()).contains("tool says hello");
        assertThat(report.uploads()).singleElement().satisfies(upload -> {
            assertThat(upload.remotePath()).isEqualTo(remote.toString());
            assertThat(upload.sha256()).isEqualTo(digest);
            assertThat(upload.bytes()).isEqualTo(tool.length);
            assertThat(upload.durationMs()).isNotNegative();
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)))
                .isEqualTo("rwxr-xr-x");
        assertThat(workerStore.resolve("sha256/" + digest)).hasBinaryContent(tool);
        assertThat(run.stdout()).contains("uploaded " + remote + " (" + tool.length + " bytes) to 1 node(s): median ");
        assertThat(Files.readString(json).replaceAll("\\s", ""))
                .contains("\"uploads\":[{\"remotePath\":\"" + remote + "\"");
    }

    @Test
    void aMissingLocalFileStopsTheRunBeforeAnythingIsPublished() throws Exception {
        LazarusCli fresh = system.cliOn(system.broker().uri().toString())
                .withEnvironment(Map.of("LAZARUS_FILES_ROOT", workerStore.toString()));
        Path missing = dir.resolve("no-such-tool");
        Path script = Files.writeString(dir.resolve("touch.sh"), "touch " + dir.resolve("ran") + "\n");

        LazarusCli.Result run = fresh.run(
                "run",
                "--inventory",
                inventory().toString(),
                "--script",
                script.toString(),
                "--upload",
                missing + ":/tmp/tool:0755",
                "--wait");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("--upload " + missing + ":/tmp/tool:0755: " + missing + ": no such file");
        assertThat(run.stdout()).doesNotContain("run ");
        assertThat(fresh.recordedRuns())
                .as("no run was recorded, so none was published")
                .isZero();
        assertThat(dir.resolve("ran")).doesNotExist();
    }

    @Test
    void aStoreCopyThatIsNotWhatTheRunNamesIsNeverSentAndTheNodeFails() throws Exception {
        // the command writes a store of its own: the worker's copy of the same digest is damaged
        LazarusCli elsewhere = system.cli()
                .withEnvironment(
                        Map.of("LAZARUS_FILES_ROOT", dir.resolve("cli-files").toString()));
        byte[] content = "port=8080\n".getBytes();
        String digest = sha256(content);
        Files.createDirectories(workerStore.resolve("sha256"));
        Files.writeString(workerStore.resolve("sha256/" + digest), "port=6666\n");
        Path node = Files.createDirectories(dir.resolve("node-bad"));
        Path ran = node.resolve("script-ran");
        Path json = dir.resolve("bad.json");

        LazarusCli.Result run = elsewhere.run(
                "run",
                "--inventory",
                inventory().toString(),
                "--script",
                Files.writeString(dir.resolve("mark.sh"), "touch " + ran + "\n").toString(),
                "--upload",
                Files.write(dir.resolve("app.conf"), content) + ":" + node.resolve("app.conf"),
                "--wait",
                "--json",
                json.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        NodeReport report = Reports.read(json).nodes().getFirst();
        assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(report.reason())
                .startsWith("upload not sent: the file store's copy of sha256 " + digest)
                .contains("is damaged");
        assertThat(report.uploads()).extracting(UploadResult::remotePath).isEmpty();
        assertThat(node.resolve("app.conf")).doesNotExist();
        assertThat(ran).doesNotExist();
    }

    private static Path inventory() throws Exception {
        return Files.writeString(
                dir.resolve("inventory"), sshd.user() + "@" + sshd.host() + ":" + sshd.port() + " name=node-1\n");
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }
}
