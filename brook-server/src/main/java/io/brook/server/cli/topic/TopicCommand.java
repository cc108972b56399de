package io.brook.server.cli.topic;

import io.brook.server.cli.UsageCommand;

import picocli.CommandLine.Command;

/** {@code brook topic}: create, list, describe, alter and delete topics. */
@Command(name = "topic", description = "Create, list, describe, alter and delete topics.")
public final class TopicCommand extends UsageCommand {
}
