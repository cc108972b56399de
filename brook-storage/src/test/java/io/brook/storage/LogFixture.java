package io.brook.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;

/**
 * One log directory with a {@link DefaultLogManager} on a manual clock and no flusher thread (tests call
 * {@link #flushAll()}), which can be closed cleanly, or halted as a killed process would be, and reopened. Close it in
 * {@code @AfterEach}.
 */
final class LogFixture implements AutoCloseable {

    final Path dir;
    final ManualTime time = new ManualTime();
    private final LogConfig config;
    private DefaultLogManager manager;

    LogFixture(Path dir, LogConfig config) {
        this.dir = dir;
        this.config = config;
        this.manager = DefaultLogManager.open(List.of(dir), config, time, false);
    }

    static LogConfig smallSegments(int segmentBytes) {
        LogConfig d = LogConfig.defaults();
        return new LogConfig(segmentBytes, d.segmentMs(), 256, 4096, d.maxMessageBytes(), d.flushIntervalMessages(),
                d.flushIntervalMs(), false);
    }

    DefaultLogManager manager() {
        return manager;
    }

    DefaultPartitionLog log(TopicPartition tp) {
        return (DefaultPartitionLog) manager.getOrCreate(tp, config);
    }

    /** One flusher pass: fsyncs every log with a pending request. */
    void flushAll() {
        for (PartitionLog log : manager.all()) {
            log.awaitDurable(log.logEndOffset());
        }
        manager.flusher().doWork();
    }

    /** Clean shutdown and restart. */
    void reopen() {
        manager.close();
        manager = DefaultLogManager.open(List.of(dir), config, time, false);
    }

    /** Kill (nothing flushed or checkpointed beyond what already is) and restart: recovery runs. */
    void crashAndReopen() {
        manager.haltForTest();
        manager = DefaultLogManager.open(List.of(dir), config, time, false);
    }

    Path partitionDir(TopicPartition tp) {
        return dir.resolve(tp.topic() + "-" + tp.partition());
    }

    List<String> checkpointLines(String fileName) {
        try {
            return Files.readAllLines(dir.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything a replica fetch from {@code offset} would get, copied to memory. */
    static MemoryRecords fetchAll(PartitionLog log, long offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long next = offset;
        while (next < log.logEndOffset()) {
            Records records = log.read(next, Integer.MAX_VALUE, true, FetchIsolation.LOG_END).records();
            if (records.sizeInBytes() == 0) {
                break;
            }
            for (RecordBatch batch : records.batches()) {
                ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
                batch.writeTo(copy);
                out.write(copy.array(), 0, copy.capacity());
                next = batch.nextOffset();
            }
        }
        return MemoryRecords.readableRecords(ByteBuffer.wrap(out.toByteArray()));
    }

    /** The bytes of every batch in the log, in order. */
    static byte[] logBytes(PartitionLog log) {
        ByteBuffer all = fetchAll(log, log.logStartOffset()).buffer();
        byte[] bytes = new byte[all.remaining()];
        all.get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        manager.close();
    }
}
