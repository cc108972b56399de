package io.brook.server.cli.user;

import io.brook.server.cli.UsageCommand;

import picocli.CommandLine.Command;

/** {@code brook user}: list, create and delete SCRAM users. */
@Command(name = "user", description = "List, create and delete SCRAM users.")
public final class UserCommand extends UsageCommand {
}
