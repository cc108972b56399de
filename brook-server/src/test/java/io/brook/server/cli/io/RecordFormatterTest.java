package io.brook.server.cli.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.brook.server.cli.CliException;

class RecordFormatterTest {

    private static final ConsumerRecord<byte[], byte[]> RECORD = new ConsumerRecord<>("t", 2, 7L, 1000L,
            TimestampType.CREATE_TIME, 1, 1, "k".getBytes(StandardCharsets.UTF_8),
            "v".getBytes(StandardCharsets.UTF_8),
            new RecordHeaders(new RecordHeader[]{new RecordHeader("h", "x".getBytes(StandardCharsets.UTF_8))}),
            Optional.empty());

    @Test
    void shouldPrintTheValueAloneByDefault() {
        assertThat(new RecordFormatter(RecordFormatter.Format.TEXT, false, false, false).text(RECORD))
                .isEqualTo("v");
    }

    @Test
    void shouldPrintTimestampHeadersAndKeyBeforeTheValueWhenAsked() {
        assertThat(new RecordFormatter(RecordFormatter.Format.TEXT, true, true, true).text(RECORD))
                .isEqualTo("CreateTime:1000\th:x\tk\tv");
    }

    @Test
    void shouldPrintEveryFieldWhenFormatIsJson() {
        assertThat(RecordFormatter.json(RECORD).toString()).isEqualTo("{\"topic\":\"t\",\"partition\":2,\"offset\":7,"
                + "\"timestamp\":1000,\"key\":\"k\",\"value\":\"v\",\"headers\":[{\"key\":\"h\",\"value\":\"x\"}]}");
    }

    @Test
    void shouldRefuseTwoStartPositions() {
        assertThatThrownBy(() -> StartPosition.of(true, 3L, null)).isInstanceOf(CliException.class)
                .hasMessageContaining("only one of");
        assertThat(StartPosition.of(false, null, null).kind()).isEqualTo(StartPosition.Kind.END);
        assertThat(StartPosition.of(false, null, "5").value()).isEqualTo(5);
    }
}
