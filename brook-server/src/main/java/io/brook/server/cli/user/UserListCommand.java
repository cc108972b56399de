package io.brook.server.cli.user;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code brook user list}: every SCRAM user with its mechanisms and iterations (never secrets). */
@Command(name = "list", aliases = "ls", description = "List SCRAM users and their mechanisms.")
public final class UserListCommand extends ClientCommand {

    @Mixin
    private FormatOption format;

    public UserListCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        Map<String, UserScramCredentialsDescription> users = new TreeMap<>(
                await(admin.describeUserScramCredentials().all()));
        Table table = Table.withColumns("user", "mechanisms");
        users.forEach((name, d) -> table.row(name, d.credentialInfos().stream()
                .map(c -> c.mechanism().mechanismName() + " (" + c.iterations() + " iterations)")
                .collect(Collectors.joining(", "))));
        table.print(format.format(), out());
        return 0;
    }
}
