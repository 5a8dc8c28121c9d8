package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.InvalidField;
import io.lazarus.common.contract.RunVariables;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --vars-file} and {@code --var}: the run's variables, which its script sees as {@code LAZARUS_VAR_<KEY>}. */
final class VarsOptions {

    @Option(
            names = "--vars-file",
            paramLabel = "FILE",
            description = "the run's variables from a flat YAML or JSON map of scalars; --var overrides a key")
    Path file;

    // picocli splits at the first '=' and keeps the last value of a key, as Ansible's -e does
    @Option(
            names = "--var",
            paramLabel = "KEY=VALUE",
            description = "give the script LAZARUS_VAR_<KEY in upper case>=VALUE (repeatable; the last of a key wins;"
                    + " KEY: [A-Za-z_][A-Za-z0-9_]*, at most 64); not for secrets: see --secret")
    Map<String, String> pairs = new LinkedHashMap<>();

    /** The variables: the file's, then each {@code --var} over them. */
    Map<String, String> vars() {
        Map<String, String> vars = file == null ? new LinkedHashMap<>() : VarsFile.read(file);
        pairs.forEach((key, value) -> {
            try {
                RunVariables.checkKey(key);
                RunVariables.checkValue(key, value);
            } catch (InvalidField e) {
                throw new InputException("--var " + e.getMessage());
            }
            vars.put(key, value);
        });
        try {
            return RunVariables.validated(vars);
        } catch (InvalidField e) {
            throw new InputException((file == null ? "--var " : "--var/--vars-file ") + e.getMessage());
        }
    }
}
