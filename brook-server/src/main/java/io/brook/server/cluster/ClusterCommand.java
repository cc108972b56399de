package io.brook.server.cluster;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code brook cluster}: the group of commands about a running cluster; alone, it prints its usage. */
@Command(name = "cluster", description = "Inspect a running Brook (or Kafka) cluster.")
public final class ClusterCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
