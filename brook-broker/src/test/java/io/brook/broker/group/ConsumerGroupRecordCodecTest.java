package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.brook.broker.group.GroupRecord.ConsumerGroupEpoch;
import io.brook.broker.group.GroupRecord.ConsumerMember;
import io.brook.broker.group.GroupRecord.CurrentAssignment;
import io.brook.broker.group.GroupRecord.GroupEpoch;
import io.brook.broker.group.GroupRecord.MemberSubscription;
import io.brook.broker.group.GroupRecord.TargetAssignmentEpoch;
import io.brook.broker.group.GroupRecord.TargetAssignmentMember;

/** Every consumer-protocol record, and its tombstone, survives encoding. */
class ConsumerGroupRecordCodecTest {

    private static final Uuid T1 = Uuid.randomUuid();
    private static final Uuid T2 = Uuid.randomUuid();

    static Stream<GroupRecord> records() {
        TreeMap<Uuid, Set<Integer>> partitions = new TreeMap<>(Map.of(T1, Set.of(0, 3), T2, Set.of(1)));
        return Stream.of(
                new ConsumerGroupEpoch("g", new GroupEpoch(7, List.of(new TopicsView.Topic("orders", T1, 6),
                        new TopicsView.Topic("påyments", T2, 2)))),
                new ConsumerGroupEpoch("g", null),
                new ConsumerMember("g", "m1", new MemberSubscription("i1", "rack-a", "client", "/127.0.0.1", 30_000,
                        List.of("orders", "payments"), "pay.*", "range")),
                new ConsumerMember("g", "m1", new MemberSubscription(null, null, "", "", -1, List.of(), null, null)),
                new ConsumerMember("g", "m1", null), new TargetAssignmentEpoch("g", 7),
                new TargetAssignmentEpoch("g", null), new TargetAssignmentMember("g", "m1", partitions),
                new TargetAssignmentMember("g", "m1", null),
                new CurrentAssignment("g", "m1", new MemberAssignment(MemberAssignment.State.UNREVOKED_PARTITIONS, 6,
                        5, partitions, new TreeMap<>(Map.of(T2, Set.of(4))))),
                new CurrentAssignment("g", "m1", null));
    }

    @ParameterizedTest
    @MethodSource("records")
    void shouldDecodeWhatItEncodes(GroupRecord record) {
        byte[] value = GroupRecordCodec.value(record);

        GroupRecord decoded = GroupRecordCodec.decode(ByteBuffer.wrap(GroupRecordCodec.key(record)),
                value == null ? null : ByteBuffer.wrap(value));

        assertThat(decoded).isEqualTo(record);
    }
}
