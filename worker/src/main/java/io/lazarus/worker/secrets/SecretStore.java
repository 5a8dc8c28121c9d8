package io.lazarus.worker.secrets;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The worker's own secrets: a run names them, the worker holds them. A name is looked up as a file in the directory,
 * then in the environment; see {@link SecretsProperties}. Messages only ever carry names, which {@code InstallMessage}
 * validated, so a name cannot reach outside the directory.
 */
@Component
public class SecretStore {

    private final Path directory;
    private final String prefix;
    private final Function<String, String> environment;

    @Autowired
    public SecretStore(SecretsProperties properties) {
        this(properties, System::getenv);
    }

    public SecretStore(SecretsProperties properties, Function<String, String> environment) {
        this.directory = properties.directory();
        this.prefix = properties.environmentPrefix();
        this.environment = environment;
    }

    /** The values of these names, in order; throws naming every name it lacks or cannot use, never a value. */
    public Map<String, String> resolve(List<String> names) throws UnusableSecrets {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        for (String name : names) {
            String value;
            try {
                value = lookUp(name);
            } catch (IOException e) {
                unusable.add(name + " (its file cannot be read as UTF-8 text)");
                continue;
            }
            if (value == null) {
                missing.add(name);
            } else if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
                // a terminal would act on them (^C, ^D, ^U...) instead of passing them on
                unusable.add(name + " (its value holds a control character other than newline or tab)");
            } else {
                values.put(name, value);
            }
        }
        if (!missing.isEmpty() || !unusable.isEmpty()) {
            List<String> problems = new ArrayList<>();
            if (!missing.isEmpty()) {
                problems.add("this worker has no secret " + String.join(", ", missing) + " (looked in "
                        + (directory == null ? "" : directory + "/<name>, then ") + "the environment as " + prefix
                        + "<name>)");
            }
            if (!unusable.isEmpty()) {
                problems.add("unusable secret " + String.join(", ", unusable));
            }
            throw new UnusableSecrets(String.join("; ", problems));
        }
        return values;
    }

    private String lookUp(String name) throws IOException {
        if (directory != null) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file)) {
                return withoutFinalNewline(read(file));
            }
        }
        return environment.apply(prefix + name);
    }

    private static String read(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8", e);
        }
    }

    /** {@code echo value > file} and editors end a file with a newline that is not part of the value. */
    private static String withoutFinalNewline(String value) {
        if (value.endsWith("\r\n")) {
            return value.substring(0, value.length() - 2);
        }
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    /** A run names secrets this worker cannot give: the message is refused, nothing runs. */
    public static final class UnusableSecrets extends Exception {
        UnusableSecrets(String reason) {
            super(reason, null, false, false);
        }
    }
}
