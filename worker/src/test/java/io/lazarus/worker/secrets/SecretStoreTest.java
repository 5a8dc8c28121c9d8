package io.lazarus.worker.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {

    @TempDir
    Path dir;

    @Test
    void aFileInTheDirectoryComesBeforeTheEnvironmentAndLosesOneFinalNewline() throws Exception {
        Files.writeString(dir.resolve("DB_PASSWORD"), "from-file\n");
        Map<String, String> env = Map.of("LAZARUS_SECRET_DB_PASSWORD", "from-env", "LAZARUS_SECRET_API_TOKEN", "tok");
        SecretStore store = new SecretStore(new SecretsProperties(dir, null), env::get);

        assertThat(store.resolve(List.of("DB_PASSWORD", "API_TOKEN")))
                .containsExactly(Map.entry("DB_PASSWORD", "from-file"), Map.entry("API_TOKEN", "tok"));
    }

    @Test
    void aMultiLineValueKeepsItsInnerLines() throws Exception {
        Files.writeString(dir.resolve("KEY"), "line 1\nline 2\n\n");
        SecretStore store = new SecretStore(new SecretsProperties(dir, null), name -> null);

        assertThat(store.resolve(List.of("KEY"))).containsEntry("KEY", "line 1\nline 2\n");
    }

    @Test
    void missingSecretsAreNamedAllAtOnceAndNoValueIsShown() throws Exception {
        Files.writeString(dir.resolve("PRESENT"), "the-value");
        SecretStore store = new SecretStore(new SecretsProperties(dir, "MY_"), name -> null);

        assertThatThrownBy(() -> store.resolve(List.of("PRESENT", "ABSENT_ONE", "ABSENT_TWO")))
                .isInstanceOf(SecretStore.UnusableSecrets.class)
                .hasMessageContaining("no secret ABSENT_ONE, ABSENT_TWO")
                .hasMessageContaining("MY_<name>")
                .hasMessageNotContaining("the-value")
                .hasMessageNotContaining("PRESENT");
    }

    @Test
    void aValueWithAControlCharacterIsRefusedByName() {
        SecretStore store =
                new SecretStore(new SecretsProperties(null, null), Map.of("LAZARUS_SECRET_CTRL", "abc\u0003def")::get);

        assertThatThrownBy(() -> store.resolve(List.of("CTRL")))
                .hasMessageContaining("unusable secret CTRL")
                .hasMessageNotContaining("abc");
    }

    @Test
    void noNamesNeedNoStore() throws Exception {
        assertThat(new SecretStore(new SecretsProperties(null, null), name -> null).resolve(List.of()))
                .isEmpty();
    }
}
