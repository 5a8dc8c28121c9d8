package io.lazarus.coordinator.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Tab completion of commands and options for bash, and for zsh through its bash compatibility: picocli writes it. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the shell completion script of lazarus for bash and zsh.",
            "bash: ./lazarus completion > ~/.local/share/bash-completion/completions/lazarus",
            "zsh: add to ~/.zshrc  autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit;"
                    + " source <(lazarus completion)"
        })
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("lazarus", spec.root().commandLine()));
        System.out.flush();
        return Cli.EXIT_OK;
    }
}
