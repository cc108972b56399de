package io.brook.server.cli.group;

import io.brook.server.cli.UsageCommand;

import picocli.CommandLine.Command;

/** {@code brook group}: list, describe, reset the offsets of and delete consumer groups. */
@Command(name = "group", description = "List, describe, reset offsets of and delete consumer groups.")
public final class GroupCommand extends UsageCommand {
}
