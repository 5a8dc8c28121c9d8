package io.lazarus.coordinator.cli;

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

    /**
     * The variables: the file's, then each {@code --var} over them. The file's keys are checked as it is read, to
     * name the line; the rest is the run request's to check, as the API's are.
     */
    Map<String, String> vars() {
        Map<String, String> vars = file == null ? new LinkedHashMap<>() : VarsFile.read(file);
        vars.putAll(pairs);
        return vars;
    }
}
