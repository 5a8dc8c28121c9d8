package io.lazarus.coordinator.service;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.service.*}: the coordinator as a long-running service ({@code lazarus-coordinator.jar serve}).
 *
 * @param enabled      set by {@code serve}; the command-line commands run without it
 * @param apiToken     one token with every scope, named {@code api-token} ({@code LAZARUS_SERVICE_API_TOKEN})
 * @param tokens       named tokens with their scopes ({@code lazarus.service.tokens[0].name/value/scopes})
 * @param tokenFile    without any configured token, the service's own token: read from this file, or created there
 *                     (0600, directory 0700) when missing; default {@code ~/.lazarus/service-token}
 * @param allowedHosts the names a request's {@code Host} header may carry (DNS-rebinding defence); empty: localhost,
 *                     127.0.0.1, [::1] and {@code server.address}
 */
@ConfigurationProperties("lazarus.service")
public record ServiceProperties(
        @DefaultValue("false") boolean enabled,
        String apiToken,
        @DefaultValue List<Token> tokens,
        Path tokenFile,
        @DefaultValue List<String> allowedHosts) {

    public ServiceProperties {
        tokens = List.copyOf(tokens);
        allowedHosts = List.copyOf(allowedHosts);
        tokenFile =
                tokenFile == null ? Path.of(System.getProperty("user.home"), ".lazarus", "service-token") : tokenFile;
    }

    /** A named API token; its name (never its value) is what the audit log shows. */
    public record Token(
            String name, String value, @DefaultValue Set<Scope> scopes) {

        public Token {
            scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        }

        static Token allScopes(String name, String value) {
            return new Token(name, value, EnumSet.allOf(Scope.class));
        }

        @Override
        public String toString() {
            return "Token[name=" + name + ", value=(hidden), scopes=" + scopes + "]";
        }
    }

    @Override
    public String toString() {
        return "ServiceProperties[enabled=" + enabled + ", apiToken=" + (apiToken == null ? "none" : "(hidden)")
                + ", tokens=" + tokens + ", tokenFile=" + tokenFile + ", allowedHosts=" + allowedHosts + "]";
    }

    public boolean hasConfiguredToken() {
        return (apiToken != null && !apiToken.isBlank()) || !tokens.isEmpty();
    }
}
