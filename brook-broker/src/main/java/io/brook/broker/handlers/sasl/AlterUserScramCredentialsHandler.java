package io.brook.broker.handlers.sasl;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.ScramUserCredential;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;

/**
 * AlterUserScramCredentials: turns each upsertion's salted password into the stored and server keys here (so only
 * the keys are replicated), submits one {@link MetadataCommand.AlterScramCredentials} and answers the per-user
 * results once it is applied. Validation (empty names, unknown mechanisms, iteration bounds, a user altered twice,
 * deleting what does not exist) is the metadata's, with Kafka's errors. Never blocks.
 */
final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequest> {

    private final BrokerContext context;

    AlterUserScramCredentialsHandler(BrokerContext context) {
        this.context = context;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            AlterUserScramCredentialsRequest request) {
        AlterUserScramCredentialsRequestData data = request.data();
        Set<String> users = new LinkedHashSet<>();
        List<MetadataCommand.ScramDeletion> deletions = new ArrayList<>();
        for (var deletion : data.deletions()) {
            users.add(deletion.name());
            deletions.add(new MetadataCommand.ScramDeletion(deletion.name(), mechanismName(deletion.mechanism())));
        }
        List<MetadataCommand.ScramUpsertion> upsertions = new ArrayList<>();
        for (var upsertion : data.upsertions()) {
            users.add(upsertion.name());
            String mechanism = mechanismName(upsertion.mechanism());
            upsertions.add(new MetadataCommand.ScramUpsertion(upsertion.name(), mechanism,
                    credential(mechanism, upsertion.salt(), upsertion.saltedPassword(), upsertion.iterations())));
        }
        if (users.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new AlterUserScramCredentialsResponse(new AlterUserScramCredentialsResponseData()));
        }
        return context.metadata().submit(new MetadataCommand.AlterScramCredentials(upsertions, deletions))
                .thenApply(reply -> response(users, reply));
    }

    private static AbstractResponse response(Set<String> users, CommandReply reply) {
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        if (reply instanceof CommandReply.UserResults results) {
            for (CommandReply.UserResult result : results.users()) {
                response.results().add(new AlterUserScramCredentialsResult().setUser(result.user())
                        .setErrorCode(result.errorCode()).setErrorMessage(result.message()));
            }
        } else {
            CommandReply.Failed failed = reply instanceof CommandReply.Failed f
                    ? f
                    : CommandReply.Failed.of(Errors.UNKNOWN_SERVER_ERROR, "unexpected reply");
            for (String user : users) {
                response.results().add(new AlterUserScramCredentialsResult().setUser(user)
                        .setErrorCode(failed.errorCode()).setErrorMessage(failed.message()));
            }
        }
        return new AlterUserScramCredentialsResponse(response);
    }

    /** The mechanism's name, or UNKNOWN, which the metadata refuses with UNSUPPORTED_SASL_MECHANISM. */
    private static String mechanismName(byte type) {
        ScramMechanism mechanism = ScramMechanism.fromType(type);
        return mechanism == ScramMechanism.UNKNOWN ? "UNKNOWN" : mechanism.mechanismName();
    }

    /**
     * The stored form of a credential (RFC 5802 StoredKey and ServerKey); null for an unknown mechanism or an empty
     * salt or salted password (no key can be derived from those), which the metadata refuses as
     * UNACCEPTABLE_CREDENTIAL.
     */
    private static ScramUserCredential credential(String mechanism, byte[] salt, byte[] saltedPassword,
            int iterations) {
        var internal = org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(mechanism);
        if (internal == null || salt == null || salt.length == 0 || saltedPassword == null
                || saltedPassword.length == 0) {
            return null;
        }
        try {
            ScramFormatter formatter = new ScramFormatter(internal);
            Base64.Encoder base64 = Base64.getEncoder();
            return new ScramUserCredential(base64.encodeToString(salt),
                    base64.encodeToString(formatter.storedKey(formatter.clientKey(saltedPassword))),
                    base64.encodeToString(formatter.serverKey(saltedPassword)), iterations);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("SCRAM keys for " + mechanism + " cannot be computed", e);
        }
    }
}
