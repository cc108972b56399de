package io.brook.server.cli.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.ResourceNotFoundException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Json;
import io.brook.server.cli.OutputFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brook user delete NAME [--mechanism M]}: deletes one mechanism's credential, or all of the user's. */
@Command(name = "delete", description = "Delete a SCRAM user (all mechanisms unless --mechanism).")
public final class UserDeleteCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
    private String name;

    @Option(names = {"-m",
            "--mechanism"}, paramLabel = "MECHANISM", description = "Delete only this mechanism's credential.")
    private String mechanism;

    @Mixin
    private FormatOption format;

    public UserDeleteCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        List<UserScramCredentialAlteration> deletions = new ArrayList<>();
        if (mechanism != null) {
            deletions.add(new UserScramCredentialDeletion(name, UserCreateCommand.mechanism(mechanism)));
        } else {
            Map<String, UserScramCredentialsDescription> users;
            try {
                users = await(admin.describeUserScramCredentials(List.of(name)).all());
            } catch (ResourceNotFoundException e) {
                users = Map.of();
            }
            UserScramCredentialsDescription user = users.get(name);
            if (user == null || user.credentialInfos().isEmpty()) {
                throw new CliException("user '" + name + "' does not exist; list users with: brook user list");
            }
            for (ScramCredentialInfo info : user.credentialInfos()) {
                deletions.add(new UserScramCredentialDeletion(name, info.mechanism()));
            }
        }
        try {
            await(admin.alterUserScramCredentials(deletions).all());
        } catch (ResourceNotFoundException e) {
            throw new CliException("user '" + name + "' has no " + mechanism
                    + " credential; list users with: brook user list");
        }
        if (format.format() == OutputFormat.JSON) {
            ObjectNode result = Json.MAPPER.createObjectNode().put("user", name);
            var mechanisms = result.putArray("deletedMechanisms");
            deletions.forEach(d -> mechanisms.add(((UserScramCredentialDeletion) d).mechanism().mechanismName()));
            Json.print(result, out());
        }
        err().println("deleted " + deletions.size() + " credential(s) of user '" + name + "'");
        err().flush();
        return 0;
    }
}
