package io.brook.server.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brook completion bash}: prints a bash (and zsh) completion script; {@code source <(brook completion bash)}. */
@Command(name = "completion", description = "Print a shell completion script: source <(brook completion bash).")
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash (the script works in zsh too, after bashcompinit).")
    private String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("no completion for '" + shell + "': use bash (or zsh)");
            spec.commandLine().getErr().flush();
            return CliException.USAGE;
        }
        spec.commandLine().getOut().print(AutoComplete.bash("brook", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
