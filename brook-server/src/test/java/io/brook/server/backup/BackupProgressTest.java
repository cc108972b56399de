package io.brook.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BackupProgressTest {

    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);

    @Test
    void shouldPrintOnePlainLinePerPartitionWhenNotOnATerminal() {
        StringWriter err = new StringWriter();
        BackupProgress progress = new BackupProgress(new PrintWriter(err), false);

        progress.copying(ORDERS, 1024, 10, 10, 100);
        progress.partitionDone(ORDERS, 0, 100, 2048, 100);

        assertThat(err.toString()).isEqualTo("orders-0: offsets [0, 100), 100 records, 2.0 KiB copied"
                + System.lineSeparator());
    }

    @Test
    void shouldRewriteOneLineWithRunningTotalsWhenOnATerminal() {
        StringWriter err = new StringWriter();
        BackupProgress progress = new BackupProgress(new PrintWriter(err), true);

        progress.partitionDone(new TopicPartition("a", 0), 0, 5, 100, 5);
        progress.copying(ORDERS, 1024, 10, 10, 100);

        assertThat(err.toString()).endsWith("\rorders-0: offset 10 of 100 | total 1.1 KiB, 15 records");
    }
}
