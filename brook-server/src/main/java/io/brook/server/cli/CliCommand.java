package io.brook.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.slf4j.LoggerFactory;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a cluster: the shared connection options, and one place that turns failures into one line
 * on stderr and an exit code (0 done, 1 failed, 2 usage). Subclasses implement {@link #execute()}. Runs on the
 * calling thread; not thread-safe.
 */
public abstract class CliCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected ConnectionOptions connection;

    protected final CliContext context;

    protected CliCommand(CliContext context) {
        this.context = context;
    }

    /** Does the work; returns the exit code. */
    protected abstract int execute() throws Exception;

    /** How long the command waits for the cluster, for the message when it does not answer. */
    protected abstract int timeoutMs();

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (CliException e) {
            return fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(new CliException("interrupted"));
        } catch (Exception e) {
            return fail(CliErrors.translate(e, connection.bootstrapServers(context.env()), timeoutMs()));
        }
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int fail(CliException e) {
        LoggerFactory.getLogger(getClass()).debug("Command failed", e);
        out().flush();
        err().println(e.getMessage());
        err().flush();
        return e.exitCode();
    }
}
