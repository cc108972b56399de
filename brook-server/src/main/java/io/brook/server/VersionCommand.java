package io.brook.server;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code brook version}: prints Brook's version and the Kafka protocol library's. */
@Command(name = "version", description = "Print the version and exit.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : new BrookVersion().getVersion()) {
            out.println(line);
        }
        out.flush();
        return 0;
    }
}
