package io.brook.server;

import java.io.PrintWriter;
import java.util.function.Function;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;

import io.brook.broker.config.BrokerConfig;
import io.brook.server.backup.BackupCommand;
import io.brook.server.backup.RestoreCommand;
import io.brook.server.cli.CliCommands;
import io.brook.server.cluster.ClusterCommand;
import io.brook.server.cluster.ClusterStatusCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code brook} command line: {@code brook server [server.properties] [--override k=v]...},
 * {@code brook cluster status [--bootstrap-server host:port] [--format table|json]}, {@code brook backup --output DIR},
 * {@code brook restore --input DIR [server.properties]}, {@code brook version}, and the client commands of
 * {@link io.brook.server.cli.CliCommands} (topic, produce, consume, group, acl, user, completion). The only main code allowed to print to the console and to exit the process.
 *
 * <p>Exit codes: 0 after a clean stop (also on Ctrl-C or SIGTERM), 1 when the configuration is invalid or start-up
 * fails (one line on stderr naming the problem, no stack trace), 2 for a command-line usage error.
 */
@Command(name = "brook", description = "Brook: a Kafka-compatible event streaming broker.", mixinStandardHelpOptions = true, versionProvider = BrookVersion.class, subcommandsRepeatable = false)
public final class BrookCommand implements Runnable {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    /** Commands that talk to a running cluster as a client, and whose stdout is their result. */
    private static final java.util.Set<String> CLIENT_COMMANDS = java.util.Set.of("cluster", "backup", "restore",
            "topic", "produce", "consume", "group", "acl", "user", "completion");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && CLIENT_COMMANDS.contains(args[0])) {
            quietLogsForClientCommands();
        }
        int exitCode = commandLine(BrokerLauncher::start, new JvmShutdownSignal()).execute(args);
        System.exit(exitCode);
    }

    /** Builds the command line with the given way to start a broker and to wait for the stop (tests inject both). */
    static CommandLine commandLine(Function<BrokerConfig, RunningBroker> launcher, StopSignal stopSignal) {
        CommandLine cli = new CommandLine(new BrookCommand());
        cli.addSubcommand(new CommandLine(new ServerCommand(launcher, stopSignal)));
        cli.addSubcommand(new CommandLine(new VersionCommand()));
        cli.addSubcommand(new CommandLine(new ClusterCommand())
                .addSubcommand(new CommandLine(new ClusterStatusCommand())));
        cli.addSubcommand(new CommandLine(new BackupCommand()));
        cli.addSubcommand(new CommandLine(new RestoreCommand()));
        CliCommands.addTo(cli, io.brook.server.cli.CliContext.system());
        cli.setExecutionExceptionHandler(BrookCommand::onFailure);
        return cli;
    }

    /**
     * A client command's stdout is its result (a table, JSON for scripts), so the admin client's logs go to stderr and
     * only errors by default. Must run before the first logger is created: logback reads these properties (see
     * logback.xml) when it starts; BROOK_LOG_LEVEL in the environment still wins.
     */
    private static void quietLogsForClientCommands() {
        System.setProperty("BROOK_LOG_TARGET", "System.err");
        if (System.getenv("BROOK_LOG_LEVEL") == null) {
            System.setProperty("BROOK_LOG_LEVEL", "ERROR");
        }
    }

    /** {@code brook} alone prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int onFailure(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        if (e instanceof ConfigException) {
            err.println("Invalid configuration: " + e.getMessage());
        } else if (e instanceof ConfigFileException) {
            err.println(e.getMessage());
        } else {
            // Unexpected: one line for the user, the stack trace in the log for whoever debugs it.
            LoggerFactory.getLogger(BrookCommand.class).debug("Start-up failed", e);
            err.println("Brook failed to start: " + describe(e) + " (BROOK_LOG_LEVEL=DEBUG shows the stack trace)");
        }
        err.flush();
        return EXIT_FAILED;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(": ");
            }
            text.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
