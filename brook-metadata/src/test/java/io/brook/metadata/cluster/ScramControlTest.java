package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.ScramUserCredential;
import io.brook.metadata.cluster.MetadataCommand.AlterScramCredentials;
import io.brook.metadata.cluster.MetadataCommand.ScramDeletion;
import io.brook.metadata.cluster.MetadataCommand.ScramUpsertion;

class ScramControlTest {

    private static final ScramUserCredential CREDENTIAL = new ScramUserCredential("c2FsdA==", "a2V5", "c2s=", 4096);

    private MetadataImage image = MetadataImage.EMPTY;

    private List<CommandReply.UserResult> apply(List<ScramUpsertion> upsertions, List<ScramDeletion> deletions) {
        MetadataCommandApplier.Applied applied = MetadataCommandApplier.apply(image, 1,
                new AlterScramCredentials(upsertions, deletions));
        image = applied.image();
        return ((CommandReply.UserResults) applied.reply()).users();
    }

    @Test
    void shouldStoreAndDeleteACredentialPerMechanism() {
        assertThat(apply(List.of(new ScramUpsertion("alice", "SCRAM-SHA-256", CREDENTIAL)), List.of()))
                .extracting(CommandReply.UserResult::error).containsExactly(Errors.NONE);
        apply(List.of(new ScramUpsertion("alice", "SCRAM-SHA-512", CREDENTIAL)), List.of());
        assertThat(image.scramCredential("alice", "SCRAM-SHA-256")).hasValue(CREDENTIAL);

        apply(List.of(), List.of(new ScramDeletion("alice", "SCRAM-SHA-256")));

        assertThat(image.scramCredential("alice", "SCRAM-SHA-256")).isEmpty();
        assertThat(image.scramCredential("alice", "SCRAM-SHA-512")).hasValue(CREDENTIAL);
        apply(List.of(), List.of(new ScramDeletion("alice", "SCRAM-SHA-512")));
        assertThat(image.scramUsers()).isEmpty();
    }

    @Test
    void shouldRefuseAnInvalidAlterationOfOneUserWhileOtherUsersApply() {
        List<CommandReply.UserResult> results = apply(List.of(
                new ScramUpsertion("alice", "SCRAM-SHA-512", new ScramUserCredential("c2FsdA==", "a2V5", "c2s=", 10)),
                new ScramUpsertion("bob", "SCRAM-SHA-256", CREDENTIAL)), List.of());

        assertThat(results).extracting(CommandReply.UserResult::user, CommandReply.UserResult::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", Errors.UNACCEPTABLE_CREDENTIAL),
                        org.assertj.core.groups.Tuple.tuple("bob", Errors.NONE));
        assertThat(image.scramUsers()).containsOnlyKeys("bob");
    }

    @Test
    void shouldAnswerKafkasErrorsForBadAlterations() {
        assertThat(apply(List.of(new ScramUpsertion("", "SCRAM-SHA-256", CREDENTIAL)), List.of()).get(0).error())
                .isEqualTo(Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(apply(List.of(new ScramUpsertion("a", "SCRAM-SHA-1", CREDENTIAL)), List.of()).get(0).error())
                .isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(apply(List.of(new ScramUpsertion("a", "SCRAM-SHA-256", new ScramUserCredential("", "", "",
                20000))), List.of()).get(0).message()).isEqualTo("Too many iterations");
        assertThat(apply(List.of(), List.of(new ScramDeletion("ghost", "SCRAM-SHA-256"))).get(0).error())
                .isEqualTo(Errors.RESOURCE_NOT_FOUND);
        assertThat(apply(List.of(new ScramUpsertion("a", "SCRAM-SHA-256", CREDENTIAL),
                new ScramUpsertion("a", "SCRAM-SHA-512", CREDENTIAL)), List.of()).get(0).error())
                .isEqualTo(Errors.DUPLICATE_RESOURCE);
        assertThat(image.scramUsers()).isEmpty();
    }

    @Test
    void shouldNeverShowKeysInToString() {
        assertThat(CREDENTIAL.toString()).doesNotContain("a2V5").doesNotContain("c2FsdA");
    }
}
