package io.brook.server.cli.acl;

import io.brook.server.cli.UsageCommand;

import picocli.CommandLine.Command;

/** {@code brook acl}: list, create and delete ACLs. */
@Command(name = "acl", description = "List, create and delete ACLs.")
public final class AclCommand extends UsageCommand {
}
