package io.brook.server.cli;

import io.brook.server.cli.acl.AclCommand;
import io.brook.server.cli.acl.AclCreateCommand;
import io.brook.server.cli.acl.AclDeleteCommand;
import io.brook.server.cli.acl.AclListCommand;
import io.brook.server.cli.group.GroupCommand;
import io.brook.server.cli.group.GroupDeleteCommand;
import io.brook.server.cli.group.GroupDescribeCommand;
import io.brook.server.cli.group.GroupListCommand;
import io.brook.server.cli.group.GroupResetOffsetsCommand;
import io.brook.server.cli.io.ConsumeCommand;
import io.brook.server.cli.io.ProduceCommand;
import io.brook.server.cli.topic.TopicAddPartitionsCommand;
import io.brook.server.cli.topic.TopicAlterConfigCommand;
import io.brook.server.cli.topic.TopicCommand;
import io.brook.server.cli.topic.TopicCreateCommand;
import io.brook.server.cli.topic.TopicDeleteCommand;
import io.brook.server.cli.topic.TopicDescribeCommand;
import io.brook.server.cli.topic.TopicListCommand;
import io.brook.server.cli.user.UserCommand;
import io.brook.server.cli.user.UserCreateCommand;
import io.brook.server.cli.user.UserDeleteCommand;
import io.brook.server.cli.user.UserListCommand;

import picocli.CommandLine;

/** Registers the client commands (topic, produce, consume, group, acl, user, completion) under {@code brook}. */
public final class CliCommands {

    private CliCommands() {
    }

    public static void addTo(CommandLine brook, CliContext context) {
        brook.addSubcommand(new CommandLine(new TopicCommand())
                .addSubcommand(new CommandLine(new TopicCreateCommand(context)))
                .addSubcommand(new CommandLine(new TopicListCommand(context)))
                .addSubcommand(new CommandLine(new TopicDescribeCommand(context)))
                .addSubcommand(new CommandLine(new TopicAlterConfigCommand(context)))
                .addSubcommand(new CommandLine(new TopicDeleteCommand(context)))
                .addSubcommand(new CommandLine(new TopicAddPartitionsCommand(context))));
        brook.addSubcommand(new CommandLine(new ProduceCommand(context)));
        brook.addSubcommand(new CommandLine(new ConsumeCommand(context)));
        brook.addSubcommand(new CommandLine(new GroupCommand())
                .addSubcommand(new CommandLine(new GroupListCommand(context)))
                .addSubcommand(new CommandLine(new GroupDescribeCommand(context)))
                .addSubcommand(new CommandLine(new GroupResetOffsetsCommand(context)))
                .addSubcommand(new CommandLine(new GroupDeleteCommand(context))));
        brook.addSubcommand(new CommandLine(new AclCommand())
                .addSubcommand(new CommandLine(new AclListCommand(context)))
                .addSubcommand(new CommandLine(new AclCreateCommand(context)))
                .addSubcommand(new CommandLine(new AclDeleteCommand(context))));
        brook.addSubcommand(new CommandLine(new UserCommand())
                .addSubcommand(new CommandLine(new UserListCommand(context)))
                .addSubcommand(new CommandLine(new UserCreateCommand(context)))
                .addSubcommand(new CommandLine(new UserDeleteCommand(context))));
        brook.addSubcommand(new CommandLine(new CompletionCommand()));
    }
}
