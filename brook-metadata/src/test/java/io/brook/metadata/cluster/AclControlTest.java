package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataImage;

class AclControlTest {

    private static final AclEntry READ_TEAM_A = new AclEntry(ResourceType.TOPIC, "team-a-", PatternType.PREFIXED,
            "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclEntry WRITE_ORDERS = new AclEntry(ResourceType.TOPIC, "orders", PatternType.LITERAL,
            "User:bob", "*", AclOperation.WRITE, AclPermissionType.ALLOW);

    @Test
    void shouldAddAclsOnceWhenCreatedTwice() {
        MetadataImage image = apply(MetadataImage.EMPTY, new MetadataCommand.CreateAcls(List.of(READ_TEAM_A)));
        image = apply(image, new MetadataCommand.CreateAcls(List.of(READ_TEAM_A, WRITE_ORDERS)));

        assertThat(image.acls()).containsExactlyInAnyOrder(READ_TEAM_A, WRITE_ORDERS);
    }

    @Test
    void shouldDeleteWhatEachFilterMatchesAndReportIt() {
        MetadataImage image = apply(MetadataImage.EMPTY,
                new MetadataCommand.CreateAcls(List.of(READ_TEAM_A, WRITE_ORDERS)));
        MetadataCommand.AclFilter byPrincipal = new MetadataCommand.AclFilter(ResourceType.ANY, null,
                PatternType.ANY, "User:bob", null, AclOperation.ANY, AclPermissionType.ANY);
        MetadataCommand.AclFilter matchingTopic = new MetadataCommand.AclFilter(ResourceType.TOPIC, "team-a-x",
                PatternType.MATCH, null, null, AclOperation.ANY, AclPermissionType.ANY);

        MetadataCommandApplier.Applied applied = MetadataCommandApplier.apply(image, 2,
                new MetadataCommand.DeleteAcls(List.of(byPrincipal, matchingTopic)));

        assertThat(applied.image().acls()).isEmpty();
        assertThat(((CommandReply.AclsDeleted) applied.reply()).deletedPerFilter())
                .containsExactly(List.of(WRITE_ORDERS), List.of(READ_TEAM_A));
    }

    @Test
    void shouldKeepAclsThroughCodecAndSnapshot() {
        MetadataCommand command = new MetadataCommand.CreateAcls(List.of(READ_TEAM_A, WRITE_ORDERS));
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
        MetadataImage image = apply(MetadataImage.EMPTY, command);

        ImageSnapshot.Contents contents = ImageSnapshot.decode(ImageSnapshot.encode(image, 7));

        assertThat(contents.image().acls()).isEqualTo(image.acls());
        assertThat(ImageSnapshot.encode(contents.image(), 7)).isEqualTo(ImageSnapshot.encode(image, 7));
    }

    private static MetadataImage apply(MetadataImage image, MetadataCommand command) {
        return MetadataCommandApplier.apply(image, 1, command).image();
    }
}
