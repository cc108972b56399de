package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import io.brook.metadata.cluster.MetadataCommand.AlterScramCredentials;
import io.brook.metadata.cluster.MetadataCommand.ScramDeletion;
import io.brook.metadata.cluster.MetadataCommand.ScramUpsertion;

/**
 * SCRAM credentials in the cluster metadata: the deterministic half of AlterUserScramCredentials, with the errors and
 * messages Kafka's controller gives. Each user is judged on its own: one invalid alteration of a user refuses all of
 * that user's alterations and leaves other users' alone; as in Kafka, a user may be altered once per request.
 *
 * <p>Stateless.
 */
final class ScramControl {

    private static final String EMPTY_USER = "Username must not be empty";
    private static final String UNKNOWN_MECHANISM = "Unknown SCRAM mechanism";
    private static final String TWICE = "A user credential cannot be altered twice in the same request";

    private ScramControl() {
    }

    static CommandReply alter(ImageBuilder image, AlterScramCredentials command) {
        Map<String, CommandReply.UserResult> results = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (ScramDeletion deletion : command.deletions()) {
            String user = deletion.user();
            results.putIfAbsent(user, ok(user));
            String error = validate(user, deletion.mechanism(), seen);
            if (error == null && image.scramUsers().getOrDefault(user, Map.of()).get(deletion.mechanism()) == null) {
                fail(results, user, Errors.RESOURCE_NOT_FOUND,
                        "Attempt to delete a user credential that does not exist");
            } else if (error != null) {
                fail(results, user, errorOf(error), error);
            }
        }
        for (ScramUpsertion upsertion : command.upsertions()) {
            String user = upsertion.user();
            results.putIfAbsent(user, ok(user));
            String error = validate(user, upsertion.mechanism(), seen);
            if (error != null) {
                fail(results, user, errorOf(error), error);
                continue;
            }
            ScramMechanism mechanism = ScramMechanism.forMechanismName(upsertion.mechanism());
            if (upsertion.credential() == null) {
                // the submitting broker could not derive keys: an empty salt or salted password
                fail(results, user, Errors.UNACCEPTABLE_CREDENTIAL, "The salt and salted password must not be empty");
                continue;
            }
            int iterations = upsertion.credential().iterations();
            if (iterations < mechanism.minIterations()) {
                fail(results, user, Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
            } else if (iterations > mechanism.maxIterations()) {
                fail(results, user, Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
            }
        }
        for (ScramDeletion deletion : command.deletions()) {
            if (results.get(deletion.user()).errorCode() == Errors.NONE.code()) {
                image.scramCredential(deletion.user(), deletion.mechanism(), null);
            }
        }
        for (ScramUpsertion upsertion : command.upsertions()) {
            if (results.get(upsertion.user()).errorCode() == Errors.NONE.code()) {
                image.scramCredential(upsertion.user(), upsertion.mechanism(), upsertion.credential());
            }
        }
        return new CommandReply.UserResults(new ArrayList<>(results.values()));
    }

    /** The message of the first rule the alteration breaks, or null. */
    private static String validate(String user, String mechanism, Set<String> seen) {
        if (user == null || user.isEmpty()) {
            return EMPTY_USER;
        }
        if (mechanism == null || ScramMechanism.forMechanismName(mechanism) == null) {
            return UNKNOWN_MECHANISM;
        }
        if (!seen.add(user)) {
            return TWICE;
        }
        return null;
    }

    private static Errors errorOf(String message) {
        return switch (message) {
            case EMPTY_USER -> Errors.UNACCEPTABLE_CREDENTIAL;
            case UNKNOWN_MECHANISM -> Errors.UNSUPPORTED_SASL_MECHANISM;
            default -> Errors.DUPLICATE_RESOURCE;
        };
    }

    private static CommandReply.UserResult ok(String user) {
        return new CommandReply.UserResult(user, Errors.NONE.code(), null);
    }

    /** Keeps a user's first error. */
    private static void fail(Map<String, CommandReply.UserResult> results, String user, Errors error,
            String message) {
        if (results.get(user).errorCode() == Errors.NONE.code()) {
            results.put(user, new CommandReply.UserResult(user, error.code(), message));
        }
    }
}
