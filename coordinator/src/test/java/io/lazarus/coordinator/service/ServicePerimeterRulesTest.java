package io.lazarus.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.coordinator.service.ServiceProperties.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The perimeter's decisions without a server: scopes, host names, tokens and the token file. */
class ServicePerimeterRulesTest {

    @TempDir
    Path dir;

    @Test
    void readingNeedsReadCreatingNeedsSubmitAnyOtherChangeNeedsOperate() {
        assertThat(Scope.required("GET", "/api/runs/x/events")).isEqualTo(Scope.READ);
        assertThat(Scope.required("POST", "/api/runs")).isEqualTo(Scope.SUBMIT);
        assertThat(Scope.required("POST", "/api/runs/")).isEqualTo(Scope.SUBMIT);
        assertThat(Scope.required("POST", "/api/runs/x/cancel")).isEqualTo(Scope.OPERATE);
        assertThat(Scope.required("DELETE", "/api/runs")).isEqualTo(Scope.OPERATE);
        assertThat(Scope.required("PUT", "/api/runs/x")).isEqualTo(Scope.OPERATE);
    }

    @Test
    void theHostNameIsTheHeaderWithoutItsPort() {
        assertThat(AllowedHostFilter.hostName("LocalHost:8080")).hasValue("localhost");
        assertThat(AllowedHostFilter.hostName("[::1]:8080")).hasValue("[::1]");
        assertThat(AllowedHostFilter.hostName("127.0.0.1")).hasValue("127.0.0.1");
        assertThat(AllowedHostFilter.hostName("::1")).isEmpty();
        assertThat(AllowedHostFilter.hostName("")).isEmpty();
        assertThat(AllowedHostFilter.hostName(null)).isEmpty();
    }

    @Test
    void withoutConfiguredNamesLoopbackAndTheServerAddressAreAllowedButNeverAWildcard() {
        assertThat(AllowedHostFilter.allowed(List.of(), "127.0.0.1"))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "[::1]");
        assertThat(AllowedHostFilter.allowed(List.of(), "10.0.0.5")).contains("10.0.0.5");
        assertThat(AllowedHostFilter.allowed(List.of(), "::1")).contains("[::1]");
        assertThat(AllowedHostFilter.allowed(List.of(), "0.0.0.0")).doesNotContain("0.0.0.0");
        assertThat(AllowedHostFilter.allowed(List.of("Lazarus.Example.COM", " localhost"), "0.0.0.0"))
                .containsExactly("lazarus.example.com", "localhost");
    }

    @Test
    void withoutAConfiguredTokenOneIsMadeInAnOwnerOnlyFileAndUsedAgainAtTheNextStart() throws Exception {
        Path file = dir.resolve("home/.lazarus/service-token");
        ServiceProperties properties = new ServiceProperties(true, null, List.of(), file, List.of());

        ServiceTokens first = ServiceTokens.of(properties);
        String token = Files.readString(file).strip();
        ServiceTokens second = ServiceTokens.of(properties);

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(first.generatedFile()).hasValue(file);
        assertThat(first.match("Bearer " + token)).hasValueSatisfying(t -> {
            assertThat(t.name()).isEqualTo(ServiceTokens.GENERATED_NAME);
            assertThat(t.scopes()).containsExactlyInAnyOrder(Scope.values());
        });
        assertThat(second.match("Bearer " + token)).isPresent();
        assertThat(first.match("Bearer " + token + "x")).isEmpty();
        assertThat(first.match(token)).isEmpty();
    }

    @Test
    void aTokenFileOthersCanReadIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("service-token"), "a".repeat(43));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ServiceTokens.of(new ServiceProperties(true, null, List.of(), file, List.of())))
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void configuredTokensAreMatchedToTheirNamesAndScopesAndTheSingleTokenHasEveryScope() {
        ServiceTokens tokens = ServiceTokens.of(new ServiceProperties(
                true,
                "single-token-0123456789",
                List.of(new Token("reader", "reader-token-0123456789", Set.of(Scope.READ))),
                dir.resolve("unused"),
                List.of()));

        assertThat(tokens.match("Bearer reader-token-0123456789")).hasValueSatisfying(t -> {
            assertThat(t.name()).isEqualTo("reader");
            assertThat(t.scopes()).containsExactly(Scope.READ);
        });
        assertThat(tokens.match("bearer single-token-0123456789"))
                .hasValueSatisfying(t -> assertThat(t.scopes()).containsExactlyInAnyOrder(Scope.values()));
        assertThat(tokens.generatedFile()).isEmpty();
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void aTokenWithoutScopesATooShortOneAndTwoOfTheSameNameAreRefusedNamingWhich() {
        assertThatThrownBy(() -> ServiceTokens.of(properties(new Token("ci", "ci-token-0123456789", Set.of()))))
                .hasMessageContaining("lazarus.service.tokens[0].scopes");
        assertThatThrownBy(() -> ServiceTokens.of(properties(new Token("ci", "short", Set.of(Scope.READ)))))
                .hasMessageContaining("lazarus.service.tokens[0].value");
        assertThatThrownBy(() -> ServiceTokens.of(properties(
                        new Token("ci", "ci-token-0123456789", Set.of(Scope.READ)),
                        new Token("ci", "ci-token-9876543210", Set.of(Scope.READ)))))
                .hasMessageContaining("named 'ci'");
    }

    @Test
    void noTokenValueShowsInTheConfigurationsText() {
        ServiceProperties properties = new ServiceProperties(
                true,
                "single-token-0123456789",
                List.of(new Token("reader", "reader-token-0123456789", Set.of(Scope.READ))),
                dir.resolve("f"),
                List.of());

        assertThat(properties.toString()).contains("reader").doesNotContain("single-token", "reader-token");
    }

    private ServiceProperties properties(Token... tokens) {
        return new ServiceProperties(true, null, List.of(tokens), dir.resolve("unused"), List.of());
    }
}
