package io.brook.server.cli.user;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

import io.brook.server.cli.CliContext;
import io.brook.server.cli.CliException;
import io.brook.server.cli.ClientCommand;
import io.brook.server.cli.FormatOption;
import io.brook.server.cli.Json;
import io.brook.server.cli.OutputFormat;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code brook user create NAME (--password P | --password-stdin) [--mechanism SCRAM-SHA-256|SCRAM-SHA-512]
 * [--iterations N]}: creates the user's SCRAM credential, or replaces it (to change a password).
 */
@Command(name = "create", description = "Create (or change the password of) a SCRAM user.")
public final class UserCreateCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
    private String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private PasswordSource password;

    @Option(names = {"-m",
            "--mechanism"}, paramLabel = "MECHANISM", defaultValue = "SCRAM-SHA-512", description = "SCRAM-SHA-256 or SCRAM-SHA-512 (default: ${DEFAULT-VALUE}).")
    private String mechanism;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "4096", description = "SCRAM iterations (default: ${DEFAULT-VALUE}).")
    private int iterations;

    static final class PasswordSource {
        @Option(names = {"-p",
                "--password"}, paramLabel = "PASSWORD", description = "The password (visible to other local users in the process list; prefer --password-stdin).")
        String value;
        @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
        boolean stdin;
    }

    @Mixin
    private FormatOption format;

    public UserCreateCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(Admin admin) throws Exception {
        ScramMechanism scram = mechanism(mechanism);
        String secret = password.stdin ? readPassword() : password.value;
        if (secret == null || secret.isEmpty()) {
            throw CliException.usage("the password must not be empty");
        }
        await(admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion(name, new ScramCredentialInfo(scram, iterations), secret))).all());
        if (format.format() == OutputFormat.JSON) {
            Json.print(Json.MAPPER.createObjectNode().put("user", name).put("mechanism", scram.mechanismName())
                    .put("iterations", iterations), out());
        }
        err().println("created " + scram.mechanismName() + " credentials for user '" + name + "'");
        err().flush();
        return 0;
    }

    private String readPassword() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
        return reader.readLine();
    }

    static ScramMechanism mechanism(String text) {
        ScramMechanism scram = ScramMechanism.fromMechanismName(text.toUpperCase(Locale.ROOT));
        if (scram == ScramMechanism.UNKNOWN) {
            throw CliException.usage("--mechanism: '" + text + "' is not SCRAM-SHA-256 or SCRAM-SHA-512");
        }
        return scram;
    }
}
