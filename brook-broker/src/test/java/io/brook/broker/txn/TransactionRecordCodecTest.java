package io.brook.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class TransactionRecordCodecTest {

    @Test
    void shouldRoundTripEveryStoredField() {
        TransactionMetadata m = new TransactionMetadata("tx-é", 4242, RecordBatch.NO_PRODUCER_ID, (short) 7,
                RecordBatch.NO_PRODUCER_EPOCH, 60_000, TransactionState.PREPARE_COMMIT,
                Set.of(new TopicPartition("a", 0), new TopicPartition("a", 3), new TopicPartition("b", 1)), 1000,
                2000);

        String id = TransactionRecordCodec.decodeKey(ByteBuffer.wrap(TransactionRecordCodec.key("tx-é")));
        TransactionMetadata decoded = TransactionRecordCodec.decodeValue(id,
                ByteBuffer.wrap(TransactionRecordCodec.value(m)));

        assertThat(id).isEqualTo("tx-é");
        assertThat(decoded).isEqualTo(m);
    }

    @Test
    void shouldRoundTripTransactionVersion2FieldsWhenSet() {
        TransactionMetadata m = new TransactionMetadata("t2", 9, 8, (short) 32766, RecordBatch.NO_PRODUCER_EPOCH,
                1000, TransactionState.PREPARE_ABORT, Set.of(new TopicPartition("a", 1)), 10, 20, 77,
                TransactionMetadata.TRANSACTION_VERSION_2);

        TransactionMetadata decoded = TransactionRecordCodec.decodeValue("t2",
                ByteBuffer.wrap(TransactionRecordCodec.value(m)));

        assertThat(decoded).isEqualTo(m);
        assertThat(decoded.nextProducerId()).isEqualTo(77);
        assertThat(decoded.previousProducerId()).isEqualTo(8);
        assertThat(decoded.isTransactionVersion2()).isTrue();
    }

    @Test
    void shouldWriteKafkasVersionOneLayout() {
        TransactionMetadata m = new TransactionMetadata("t", 1, -1, (short) 2, (short) -1, 3,
                TransactionState.ONGOING, Set.of(new TopicPartition("x", 5)), 4, 6, 300, (short) 2);

        ByteBuffer key = ByteBuffer.wrap(TransactionRecordCodec.key("t"));
        assertThat(key.getShort()).isZero();
        assertThat(key.getShort()).isEqualTo((short) 1);
        assertThat(key.get()).isEqualTo((byte) 't');

        ByteBuffer value = ByteBuffer.wrap(TransactionRecordCodec.value(m));
        assertThat(value.getShort()).as("version").isEqualTo((short) 1);
        assertThat(value.getLong()).as("producer id").isEqualTo(1);
        assertThat(value.getShort()).as("epoch").isEqualTo((short) 2);
        assertThat(value.getInt()).as("timeout").isEqualTo(3);
        assertThat(value.get()).as("state Ongoing").isEqualTo((byte) 1);
        assertThat(value.get()).as("topics + 1").isEqualTo((byte) 2);
        assertThat(value.get()).as("topic length + 1").isEqualTo((byte) 2);
        assertThat(value.get()).isEqualTo((byte) 'x');
        assertThat(value.get()).as("partitions + 1").isEqualTo((byte) 2);
        assertThat(value.getInt()).isEqualTo(5);
        assertThat(value.get()).as("no tagged fields in the topic").isZero();
        assertThat(value.getLong()).as("last update").isEqualTo(6);
        assertThat(value.getLong()).as("start").isEqualTo(4);
        assertThat(value.get()).as("tagged fields: previous id is the default, so left out").isEqualTo((byte) 2);
        assertThat(value.get()).as("tag next producer id").isEqualTo((byte) 1);
        assertThat(value.get()).as("size").isEqualTo((byte) 8);
        assertThat(value.getLong()).isEqualTo(300);
        assertThat(value.get()).as("tag client transaction version").isEqualTo((byte) 2);
        assertThat(value.get()).as("size").isEqualTo((byte) 2);
        assertThat(value.getShort()).isEqualTo((short) 2);
        assertThat(value.hasRemaining()).isFalse();
    }

    @Test
    void shouldWriteNoPartitionsAsANullArrayAndReadThemBackEmpty() {
        TransactionMetadata m = new TransactionMetadata("t", 1, -1, (short) 2, (short) -1, 3,
                TransactionState.COMPLETE_COMMIT, Set.of(), 4, 6);

        byte[] bytes = TransactionRecordCodec.value(m);

        assertThat(bytes[2 + 8 + 2 + 4 + 1]).as("null array").isZero();
        assertThat(TransactionRecordCodec.decodeValue("t", ByteBuffer.wrap(bytes))).isEqualTo(m);
    }

    @Test
    void shouldLoadKafkasVersionZeroLayout() {
        ByteBuffer value = ByteBuffer.allocate(2 + 8 + 2 + 4 + 1 + 4 + 2 + 1 + 4 + 4 + 8 + 8);
        value.putShort((short) 0).putLong(1).putShort((short) 2).putInt(3).put((byte) 1).putInt(1)
                .putShort((short) 1).put((byte) 'x').putInt(1).putInt(5).putLong(6).putLong(4).flip();

        TransactionMetadata decoded = TransactionRecordCodec.decodeValue("t", value);

        assertThat(decoded).isEqualTo(new TransactionMetadata("t", 1, -1, (short) 2, (short) -1, 3,
                TransactionState.ONGOING, Set.of(new TopicPartition("x", 5)), 4, 6));
    }

    @Test
    void shouldRefuseAnUnknownValueVersion() {
        ByteBuffer value = ByteBuffer.allocate(2).putShort(0, (short) 9);

        assertThatThrownBy(() -> TransactionRecordCodec.decodeValue("t", value))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TransactionRecordCodec.isKnownKey(ByteBuffer.allocate(2).putShort(0, (short) 3))).isFalse();
    }
}
