package io.lazarus.coordinator.service;

import io.lazarus.coordinator.service.ServiceProperties.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tokens the service accepts: the configured ones, or else its own, kept in {@code lazarus.service.token-file}.
 * The service never runs without a token.
 */
public final class ServiceTokens {

    /** The name the audit log gives the service's own token. */
    public static final String GENERATED_NAME = "service-token";

    private static final int GENERATED_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final List<Token> tokens;
    private final List<byte[]> digests;
    private final Path generatedFile;

    private ServiceTokens(List<Token> tokens, Path generatedFile) {
        this.tokens = List.copyOf(tokens);
        this.digests = tokens.stream().map(t -> sha256(t.value())).toList();
        this.generatedFile = generatedFile;
    }

    /** The configured tokens, checked; without any, the token in the token file, created when missing. */
    public static ServiceTokens of(ServiceProperties properties) {
        if (!properties.hasConfiguredToken()) {
            return new ServiceTokens(
                    List.of(Token.allScopes(GENERATED_NAME, readOrCreate(properties.tokenFile()))),
                    properties.tokenFile());
        }
        List<Token> tokens = new ArrayList<>();
        if (properties.apiToken() != null && !properties.apiToken().isBlank()) {
            tokens.add(Token.allScopes("api-token", properties.apiToken().strip()));
        }
        Set<String> names = new HashSet<>();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < properties.tokens().size(); i++) {
            Token token = properties.tokens().get(i);
            String where = "lazarus.service.tokens[" + i + "]";
            if (token.name() == null || !token.name().matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalStateException(where + ".name must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (token.value() == null || token.value().strip().length() < 16) {
                throw new IllegalStateException(
                        where + ".value (token '" + token.name() + "') must be at least 16 characters");
            }
            if (token.scopes().isEmpty()) {
                throw new IllegalStateException(
                        where + ".scopes (token '" + token.name() + "') names no scope: read," + " submit, operate");
            }
            tokens.add(new Token(token.name(), token.value().strip(), token.scopes()));
        }
        for (Token token : tokens) {
            if (!names.add(token.name())) {
                throw new IllegalStateException("two service tokens are named '" + token.name() + "'");
            }
            if (!values.add(token.value())) {
                throw new IllegalStateException("service token '" + token.name() + "' has the value of another token");
            }
        }
        return new ServiceTokens(tokens, null);
    }

    /**
     * The token that {@code authorization} ({@code Bearer <token>}) presents. Every token is compared, each in
     * constant time over fixed-length digests, so the answer's timing says nothing about any of them.
     */
    public Optional<Token> match(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = sha256(authorization.substring(7).strip());
        Token found = null;
        for (int i = 0; i < tokens.size(); i++) {
            if (MessageDigest.isEqual(digests.get(i), presented)) {
                found = tokens.get(i);
            }
        }
        return Optional.ofNullable(found);
    }

    /** Where the service's own token is, when it has no configured one. */
    public Optional<Path> generatedFile() {
        return Optional.ofNullable(generatedFile);
    }

    public List<String> names() {
        return tokens.stream().map(Token::name).toList();
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (!OWNER_ONLY.containsAll(permissions)) {
                    throw new IllegalStateException("the service token file " + file + " is "
                            + PosixFilePermissions.toString(permissions) + ": make it readable by its owner only"
                            + " (chmod 600 " + file + ")");
                }
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (token.length() < 32) {
                    throw new IllegalStateException("the service token file " + file + " holds a token shorter than"
                            + " 32 characters: delete it and a new one is made at the next start");
                }
                return token;
            }
            byte[] random = new byte[GENERATED_BYTES];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path directory = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(
                        directory,
                        PosixFilePermissions.asFileAttribute(EnumSet.of(
                                PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE,
                                PosixFilePermission.OWNER_EXECUTE)));
            }
            // written whole under another name, then moved: a reader never sees half a token
            Path temporary = Files.createTempFile(
                    directory, ".service-token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read or create the service token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
