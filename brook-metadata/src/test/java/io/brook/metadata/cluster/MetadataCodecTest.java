package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import io.brook.metadata.AclEntry;
import io.brook.metadata.Endpoint;
import io.brook.metadata.cluster.MetadataCommand.ElectionType;

class MetadataCodecTest {

    private static final Uuid ID = Uuid.randomUuid();
    private static final AclEntry ACL = new AclEntry(ResourceType.TOPIC, "t", PatternType.PREFIXED, "User:a", "*",
            AclOperation.READ, AclPermissionType.DENY);

    /** One sample of every command; the test below checks none is missing. */
    static List<MetadataCommand> everyCommand() {
        return List.of(
                new MetadataCommand.RegisterBroker(1, ID, List.of(new Endpoint("PLAINTEXT", "h", 9092, "PLAINTEXT"),
                        new Endpoint("REPLICATION", "h", 9093, "SASL_SSL")), "rack-a"),
                new MetadataCommand.RegisterBroker(2, ID, List.of(), null),
                new MetadataCommand.UnfenceBroker(1, 7), new MetadataCommand.FenceBroker(1, 7),
                new MetadataCommand.ControlledShutdown(1, 7), new MetadataCommand.UnregisterBroker(3),
                new MetadataCommand.CreateTopics(List.of(
                        new MetadataCommand.NewTopic("a", ID, 3, (short) 2, Map.of(), Map.of("retention.ms", "5")),
                        new MetadataCommand.NewTopic("b", Uuid.randomUuid(), -1, (short) -1,
                                Map.of(0, List.of(1, 2), 1, List.of(2, 1)), Map.of())),
                        -42L),
                new MetadataCommand.DeleteTopics(List.of(ID)),
                new MetadataCommand.CreatePartitions(List.of(new MetadataCommand.PartitionsIncrease("a", 4, null),
                        new MetadataCommand.PartitionsIncrease("b", 3, List.of(List.of(1, 2)))), 9),
                new MetadataCommand.AlterTopicConfigs("a", Map.of("x", "y"), List.of("z"), true),
                new MetadataCommand.AlterBrokerConfigs(Map.of("log.retention.ms", "1"), List.of(), false),
                new MetadataCommand.AllocateProducerIds(1, 7, 1000),
                new MetadataCommand.AlterPartition(1, 7, List.of(new MetadataCommand.PartitionIsrChange(ID, 0, 3, 4,
                        List.of(new MetadataCommand.IsrMember(1, 7), new MetadataCommand.IsrMember(2, -1))))),
                new MetadataCommand.ElectLeaders(ElectionType.PREFERRED, null),
                new MetadataCommand.ElectLeaders(ElectionType.UNCLEAN,
                        List.of(new MetadataCommand.TopicPartitionRef("a", 1))),
                new MetadataCommand.AlterPartitionReassignments(List.of(
                        new MetadataCommand.Reassignment("a", 0, List.of(2, 3)),
                        new MetadataCommand.Reassignment("a", 1, null))),
                new MetadataCommand.SetVoters(List.of(1, 2, 3)),
                new MetadataCommand.MarkReplicasOffline(1, 7, List.of(new MetadataCommand.ReplicaRef(ID, 0))),
                new MetadataCommand.ImportLegacyMetadata(1, List.of(new MetadataCommand.LegacyTopic("old", ID, 2,
                        Map.of("k", "v"))), Map.of("log.retention.ms", "9"), 100),
                new MetadataCommand.AlterScramCredentials(List.of(new MetadataCommand.ScramUpsertion("alice",
                        "SCRAM-SHA-256", new io.brook.metadata.ScramUserCredential("c2FsdA==", "a2V5", "c2s=", 4096))),
                        List.of(new MetadataCommand.ScramDeletion("bob", "SCRAM-SHA-512"))),
                new MetadataCommand.CreateAcls(List.of(ACL)),
                new MetadataCommand.DeleteAcls(List.of(new MetadataCommand.AclFilter(ResourceType.ANY, null,
                        PatternType.MATCH, "User:a", null, AclOperation.ANY, AclPermissionType.ANY))),
                new MetadataCommand.AlterClientQuotas(List.of(new MetadataCommand.QuotaAlteration(
                        io.brook.metadata.ClientQuotaEntity.userAndClient("alice", null),
                        java.util.Arrays.asList(new MetadataCommand.QuotaOp("producer_byte_rate", 1024.0),
                                new MetadataCommand.QuotaOp("request_percentage", null))))));
    }

    @Test
    void shouldRoundTripEveryCommandType() {
        for (MetadataCommand command : everyCommand()) {
            byte[] bytes = MetadataCodec.encode(command);

            assertThat(bytes[0]).isEqualTo(MetadataCodec.VERSION);
            assertThat(MetadataCodec.decodeCommand(bytes)).isEqualTo(command);
            assertThat(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8))
                    .startsWith("{\"type\":\"" + command.getClass().getSimpleName() + "\"");
        }
        Set<Class<?>> covered = everyCommand().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(MetadataCommand.class.getPermittedSubclasses());
    }

    @Test
    void shouldRoundTripEveryReplyAndQuery() {
        List<CommandReply> replies = List.of(CommandReply.Failed.of(Errors.STALE_BROKER_EPOCH, "stale"),
                new CommandReply.Done(), new CommandReply.BrokerRegistered(1, 5),
                new CommandReply.TopicResults(List.of(new CommandReply.TopicResult("a", ID, (short) 0, null, 3,
                        (short) 2))),
                new CommandReply.ProducerIdBlock(1, 1000, 1000),
                new CommandReply.AlterPartitionResults(List.of(new CommandReply.AlterPartitionResult(ID, 0, (short) 0,
                        1, 2, 3, List.of(1, 2)))),
                new CommandReply.PartitionResults(List.of(new CommandReply.PartitionResult("a", 0, (short) 0, null))),
                new CommandReply.UserResults(List.of(new CommandReply.UserResult("alice", (short) 0, null))),
                new CommandReply.AclsDeleted(List.of(List.of(ACL), List.of())));
        for (CommandReply reply : replies) {
            assertThat(MetadataCodec.decodeReply(MetadataCodec.encode(reply))).isEqualTo(reply);
        }
        assertThat(replies.stream().map(Object::getClass).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(CommandReply.class.getPermittedSubclasses());

        MetadataQuery query = new MetadataQuery.BrokerHeartbeat(1, 2, 3, true, false);
        MetadataQuery.Answer answer = new MetadataQuery.HeartbeatAnswer((short) 0, true, false, false,
                new MetadataCommand.UnfenceBroker(1, 2));
        assertThat(MetadataCodec.decodeQuery(MetadataCodec.encode(query))).isEqualTo(query);
        assertThat(MetadataCodec.decodeAnswer(MetadataCodec.encode(answer))).isEqualTo(answer);
    }

    @Test
    void shouldEncodeEqualCommandsToEqualBytes() {
        MetadataCommand a = new MetadataCommand.AlterBrokerConfigs(Map.of("b", "1", "a", "2", "c", "3"), List.of(),
                false);
        MetadataCommand b = new MetadataCommand.AlterBrokerConfigs(Map.of("c", "3", "a", "2", "b", "1"), List.of(),
                false);

        assertThat(MetadataCodec.encode(a)).isEqualTo(MetadataCodec.encode(b));
    }

    @Test
    void shouldRejectUnknownVersionsTypesPropertiesAndTrailingBytes() {
        byte[] good = MetadataCodec.encode(new MetadataCommand.UnregisterBroker(3));
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        trailing[good.length] = ' ';
        trailing[good.length + 1] = '1';

        assertThatThrownBy(() -> MetadataCodec.decodeCommand(badVersion)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataCodec.decodeCommand(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataCodec.decodeCommand(trailing)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataCodec.decodeCommand(json("{\"type\":\"Nope\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataCodec.decodeCommand(json("{\"type\":\"UnregisterBroker\",\"brokerId\":1,"
                + "\"extra\":2}"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] json(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = MetadataCodec.VERSION;
        System.arraycopy(body, 0, bytes, 1, body.length);
        return bytes;
    }
}
