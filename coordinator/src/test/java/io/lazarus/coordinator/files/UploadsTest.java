package io.lazarus.coordinator.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.files.DirectoryContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadsTest {

    /** sha256 of "hello\n". */
    static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path dir;

    @Test
    void localRemoteAndModeAreReadAndTheModeDefaultsTo0644() {
        assertThat(UploadSpec.parse("build/tool:/opt/app/tool:755"))
                .isEqualTo(new UploadSpec(Path.of("build/tool"), "/opt/app/tool", "0755"));
        assertThat(UploadSpec.parse("/tmp/app.conf:/etc/app.conf"))
                .isEqualTo(new UploadSpec(Path.of("/tmp/app.conf"), "/etc/app.conf", "0644"));
        assertThat(UploadSpec.parse("a:/b:0600").mode()).isEqualTo("0600");
    }

    @Test
    void aValueThatIsNotLocalRemoteAndModeIsRefusedNamingIt() {
        assertThatThrownBy(() -> UploadSpec.parse("tool"))
                .isInstanceOf(UploadException.class)
                .hasMessage("--upload tool: expected LOCAL:REMOTE or LOCAL:REMOTE:MODE (a colon in either path is"
                        + " not supported)");
        assertThatThrownBy(() -> UploadSpec.parse("C:\\tool:/opt/tool:0755"))
                .hasMessageContaining("a colon in either path is not supported");
        assertThatThrownBy(() -> UploadSpec.parse(":/opt/tool"))
                .hasMessage("--upload :/opt/tool: the local file is missing");
        assertThatThrownBy(() -> UploadSpec.parse("tool:opt/tool"))
                .hasMessage("--upload tool:opt/tool: the remote path must be absolute, was 'opt/tool'");
        assertThatThrownBy(() -> UploadSpec.parse("tool:/opt/../etc/tool")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> UploadSpec.parse("tool:/opt/tool:")).hasMessageContaining("the mode must be octal");
        assertThatThrownBy(() -> UploadSpec.parse("tool:/opt/tool:4755"))
                .hasMessageStartingWith("--upload tool:/opt/tool:4755: the mode must be octal permission bits")
                .hasMessageContaining("at most 0777");
        assertThatThrownBy(() -> UploadSpec.parse("tool:/opt/tool:rwx")).hasMessageContaining("the mode");
    }

    @Test
    void eachFileIsPutInTheStoreAndNamedByItsDigest() throws Exception {
        Uploads uploads = new Uploads(new DirectoryContentStore(dir.resolve("store")));
        Path local = Files.writeString(dir.resolve("hello.txt"), "hello\n");

        List<FileUpload> staged = uploads.stage(List.of(local + ":/opt/hello:0755", local + ":/etc/hello"));

        assertThat(staged)
                .containsExactly(
                        FileUpload.of(HELLO, 6, "/opt/hello", "0755"), FileUpload.of(HELLO, 6, "/etc/hello", "0644"));
        assertThat(dir.resolve("store/sha256/" + HELLO)).hasContent("hello\n");
        uploads.requireStored(staged);
    }

    @Test
    void aMissingFileADuplicatePathOrTooManyAreRefusedNamingTheValue() throws Exception {
        Uploads uploads = new Uploads(new DirectoryContentStore(dir.resolve("store")));
        Path local = Files.writeString(dir.resolve("hello.txt"), "hello\n");

        assertThatThrownBy(() -> uploads.stage(List.of(dir.resolve("missing") + ":/opt/x")))
                .isInstanceOf(UploadException.class)
                .hasMessage(
                        "--upload " + dir.resolve("missing") + ":/opt/x: " + dir.resolve("missing") + ": no such file");
        assertThatThrownBy(() -> uploads.stage(List.of(local + ":/opt/x", local + ":/opt/x:0755")))
                .hasMessage("--upload " + local + ":/opt/x:0755: another --upload goes to /opt/x too");
        assertThatThrownBy(() -> uploads.stage(Collections.nCopies(33, local + ":/opt/x")))
                .hasMessage("--upload: at most 32 per run, got 33");
    }

    @Test
    void uploadsNamedByDigestMustBeInTheStoreIntact() throws Exception {
        Uploads uploads = new Uploads(new DirectoryContentStore(dir));
        FileUpload hello = uploads.stage(List.of(Files.writeString(dir.resolve("h"), "hello\n") + ":/opt/h"))
                .getFirst();

        assertThatThrownBy(() -> uploads.requireStored(List.of(FileUpload.of("0".repeat(64), 6, "/opt/x", null))))
                .hasMessageStartingWith("the upload to /opt/x: the file store " + dir + " holds no sha256 ");
        Files.writeString(dir.resolve("sha256/" + HELLO), "jello\n");
        assertThatThrownBy(() -> uploads.requireStored(List.of(hello))).hasMessageContaining("is damaged");
    }
}
