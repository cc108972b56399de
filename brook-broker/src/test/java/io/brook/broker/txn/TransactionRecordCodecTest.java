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
    void shouldWriteKafkasVersionZeroLayout() {
        TransactionMetadata m = new TransactionMetadata("t", 1, -1, (short) 2, (short) -1, 3,
                TransactionState.ONGOING, Set.of(new TopicPartition("x", 5)), 4, 6);

        ByteBuffer key = ByteBuffer.wrap(TransactionRecordCodec.key("t"));
        assertThat(key.getShort()).isZero();
        assertThat(key.getShort()).isEqualTo((short) 1);
        assertThat(key.get()).isEqualTo((byte) 't');

        ByteBuffer value = ByteBuffer.wrap(TransactionRecordCodec.value(m));
        assertThat(value.getShort()).as("version").isZero();
        assertThat(value.getLong()).as("producer id").isEqualTo(1);
        assertThat(value.getShort()).as("epoch").isEqualTo((short) 2);
        assertThat(value.getInt()).as("timeout").isEqualTo(3);
        assertThat(value.get()).as("state Ongoing").isEqualTo((byte) 1);
        assertThat(value.getInt()).as("topics").isEqualTo(1);
        assertThat(value.getShort()).isEqualTo((short) 1);
        assertThat(value.get()).isEqualTo((byte) 'x');
        assertThat(value.getInt()).isEqualTo(1);
        assertThat(value.getInt()).isEqualTo(5);
        assertThat(value.getLong()).as("last update").isEqualTo(6);
        assertThat(value.getLong()).as("start").isEqualTo(4);
        assertThat(value.hasRemaining()).isFalse();
    }

    @Test
    void shouldRefuseAnUnknownValueVersion() {
        ByteBuffer value = ByteBuffer.allocate(2).putShort(0, (short) 9);

        assertThatThrownBy(() -> TransactionRecordCodec.decodeValue("t", value))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TransactionRecordCodec.isKnownKey(ByteBuffer.allocate(2).putShort(0, (short) 3))).isFalse();
    }
}
