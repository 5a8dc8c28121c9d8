package io.lazarus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileUploadTest {

    static final String DIGEST = "a".repeat(64);

    private final InstallMessage install = InstallMessage.firstAttempt(
            "run-1",
            new NodeTarget("web-01", "10.0.0.5", 22, "deploy", Map.of()),
            InstallScript.of("install.sh", "true"),
            null,
            Instant.parse("2026-11-21T12:00:00Z"));

    @ParameterizedTest
    @ValueSource(strings = {"/opt/app/tool", "/tmp/x", "/etc/app.d/10-lazarus.conf", "/a/b_c-d+e@f%g=h,i~j"})
    void aRemotePathThatIsAbsoluteAndNormalizedIsTaken(String path) {
        assertThat(FileUpload.remotePathProblem(path)).isNull();
        assertThat(FileUpload.of(DIGEST, 1, path, null).remotePath()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "relative/path",
                "/opt/../etc/passwd",
                "/opt/./x",
                "/opt//x",
                "/opt/app/",
                "/",
                "/opt/x\nrm -rf /",
                "/opt/x\r",
                "/opt/x\u0000",
                "/opt/x\u007f",
                "/opt/a b",
                "/opt/$(reboot)",
                "/opt/x'y",
                "/opt/x;y",
                "/opt/x*",
                "/opt/x?",
                "/opt/x:y",
                "/opt/x\\y",
                ""
            })
    void aRemotePathThatIsNotAbsoluteNormalizedAndPlainIsRefused(String path) {
        assertThat(FileUpload.remotePathProblem(path)).isNotNull();
        assertThatThrownBy(() -> FileUpload.of(DIGEST, 1, path, null))
                .isInstanceOf(InvalidField.class)
                .hasMessageStartingWith("upload.remotePath ");
    }

    @Test
    void aControlCharacterIsNamedAsSuchAndNeverEchoedRaw() {
        assertThatThrownBy(() -> FileUpload.of(DIGEST, 1, "/opt/x\nrm -rf /", null))
                .hasMessage("upload.remotePath must not contain control characters or newlines");
        assertThat(FileUpload.remotePathProblem("/opt/../etc")).contains("'..'");
        assertThat(FileUpload.remotePathProblem("opt/x")).contains("absolute");
    }

    @Test
    void theModeIsOctalAtMost0777AndDefaultsTo0644() {
        assertThat(FileUpload.of(DIGEST, 1, "/x", null).mode()).isEqualTo("0644");
        assertThat(FileUpload.of(DIGEST, 1, "/x", "755").mode()).isEqualTo("0755");
        assertThat(FileUpload.of(DIGEST, 1, "/x", "0755").modeBits()).isEqualTo(0755);
        for (String bad : List.of("0999", "4755", "07777", "rwx", "", "-1", "0x1ff", "75")) {
            assertThatThrownBy(() -> FileUpload.of(DIGEST, 1, "/x", bad))
                    .as(bad)
                    .isInstanceOf(InvalidField.class)
                    .hasMessageStartingWith("upload.mode ");
        }
    }

    @Test
    void theDigestIsSixtyFourLowerCaseHexDigitsAndTheStoreOneThisVersionKnows() {
        for (String bad : List.of("A".repeat(64), "a".repeat(63), "../../etc/passwd", "g".repeat(64))) {
            assertThatThrownBy(() -> FileUpload.of(bad, 1, "/x", null)).hasMessageStartingWith("upload.sha256 ");
        }
        assertThatThrownBy(() -> new FileUpload(DIGEST, 1, "/x", null, "s3://bucket"))
                .hasMessageStartingWith("upload.store ");
        assertThatThrownBy(() -> FileUpload.of(DIGEST, -1, "/x", null)).hasMessageStartingWith("upload.size ");
    }

    @Test
    void aMessageHoldsAtMostThirtyTwoUploadsEachToItsOwnPath() {
        List<FileUpload> many = IntStream.rangeClosed(0, FileUpload.MAX_PER_MESSAGE)
                .mapToObj(i -> FileUpload.of(DIGEST, 1, "/opt/f" + i, null))
                .toList();
        assertThatThrownBy(() -> install.withUploads(many)).hasMessageContaining("at most 32");
        assertThat(install.withUploads(many.subList(0, 32)).uploads()).hasSize(32);
        assertThatThrownBy(() -> install.withUploads(List.of(many.get(0), many.get(0))))
                .hasMessageContaining("/opt/f0 more than once");
    }

    @Test
    void uploadsTravelInTheMessageAndAnOlderMessageWithoutThemHasNone() {
        InstallMessage withUploads = install.withUploads(List.of(FileUpload.of(DIGEST, 42, "/opt/app/tool", "0755")));
        String json = new String(Contracts.toJson(withUploads), StandardCharsets.UTF_8);

        assertThat(json)
                .contains(
                        "\"uploads\":[{\"sha256\":\"" + DIGEST
                                + "\",\"size\":42,\"remotePath\":\"/opt/app/tool\",\"mode\":\"0755\",\"store\":\"shared-directory\"}]");
        assertThat(Contracts.readInstall(Contracts.toJson(withUploads))).isEqualTo(withUploads);
        String older = new String(Contracts.toJson(install), StandardCharsets.UTF_8).replace(",\"uploads\":[]", "");
        assertThat(older).doesNotContain("uploads");
        assertThat(Contracts.readInstall(older.getBytes(StandardCharsets.UTF_8)).uploads())
                .isEmpty();
    }

    @Test
    void aMessageWithABadUploadIsMalformedNamingTheField() {
        byte[] json = new String(
                        Contracts.toJson(install.withUploads(List.of(FileUpload.of(DIGEST, 1, "/opt/app/tool", null)))),
                        StandardCharsets.UTF_8)
                .replace("/opt/app/tool", "/opt/../../etc/shadow")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Contracts.readInstall(json))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("upload.remotePath must be normalized");
    }

    @Test
    void aFinishedEventCarriesWhatWasUploadedAndAnOlderOneReadsAsNone() {
        AttemptResult result = AttemptResult.without(Outcome.SUCCEEDED, "");
        AttemptResult uploaded = new AttemptResult(
                result.outcome(),
                0,
                null,
                "",
                10,
                List.of(),
                List.of(),
                "",
                "",
                0,
                null,
                1,
                null,
                null,
                null,
                false,
                0,
                List.of(new UploadResult("/opt/app/tool", DIGEST, 42, 7)));
        AttemptEvent event = AttemptEvent.finished(install, "worker-1", false, uploaded);

        AttemptEvent back = Contracts.readEvent(Contracts.toJson(event));

        assertThat(back.result().uploads()).containsExactly(new UploadResult("/opt/app/tool", DIGEST, 42, 7));
        assertThat(back.result().resurrectable(true).uploads()).hasSize(1);
        String older = new String(
                        Contracts.toJson(AttemptEvent.finished(install, "worker-1", false, result)),
                        StandardCharsets.UTF_8)
                .replace(",\"uploads\":[]", "");
        assertThat(older).doesNotContain("uploads");
        assertThat(Contracts.readEvent(older.getBytes(StandardCharsets.UTF_8))
                        .result()
                        .uploads())
                .isEmpty();
    }
}
