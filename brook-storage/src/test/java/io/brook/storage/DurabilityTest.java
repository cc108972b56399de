package io.brook.storage;

import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private DefaultLogManager manager;

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.close();
        }
    }

    private PartitionLog open(LogConfig config, boolean flusherThread) {
        manager = DefaultLogManager.open(List.of(dir), config, time, flusherThread);
        return manager.getOrCreate(TP, config);
    }

    private static LogConfig flushEvery(long messages, long ms) {
        LogConfig d = LogConfig.defaults();
        return new LogConfig(d.segmentBytes(), d.segmentMs(), d.indexIntervalBytes(), d.maxIndexBytes(),
                d.maxMessageBytes(), messages, ms, false);
    }

    @Test
    void shouldShareOneFsyncAmongManyConcurrentWaiters() throws Exception {
        PartitionLog log = open(LogConfig.defaults(), false);
        int producers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CompletableFuture<Void>>> submitted = new ArrayList<>();
        try {
            for (int i = 0; i < producers; i++) {
                int n = i;
                submitted.add(pool.submit(() -> {
                    start.await();
                    LogAppendInfo info = log.appendAsLeader(batch(1L, "p" + n), 0);
                    return log.awaitDurable(info.lastOffset() + 1);
                }));
            }
            start.countDown();
            List<CompletableFuture<Void>> waiters = new ArrayList<>();
            for (Future<CompletableFuture<Void>> f : submitted) {
                waiters.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(waiters).noneMatch(CompletableFuture::isDone);

            manager.flusher().doWork();

            assertThat(waiters).allMatch(w -> w.isDone() && !w.isCompletedExceptionally());
            assertThat(manager.flusher().fsyncCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCompleteImmediatelyWhenOffsetIsAlreadyDurable() {
        PartitionLog log = open(LogConfig.defaults(), false);
        log.appendAsLeader(batch(1L, "a"), 0);
        CompletableFuture<Void> first = log.awaitDurable(1);
        manager.flusher().doWork();

        assertThat(first).isCompleted();
        assertThat(log.awaitDurable(1)).isCompleted();
        assertThat(manager.flusher().fsyncCount()).isEqualTo(1);
    }

    @Test
    void shouldFlushInBackgroundWhenFlushMessagesIsExceeded() {
        PartitionLog log = open(flushEvery(3, Long.MAX_VALUE), false);
        log.appendAsLeader(batch(1L, "a", "b"), 0);
        manager.flusher().doWork();
        assertThat(manager.flusher().fsyncCount()).isZero();

        log.appendAsLeader(batch(1L, "c"), 0);
        manager.flusher().doWork();

        assertThat(manager.flusher().fsyncCount()).isEqualTo(1);
        assertThat(((DefaultPartitionLog) log).recoveryPoint()).isEqualTo(3);
    }

    @Test
    void shouldFlushInBackgroundWhenFlushMsElapses() {
        PartitionLog log = open(flushEvery(Long.MAX_VALUE, 5_000), false);
        log.appendAsLeader(batch(1L, "a"), 0);
        manager.flusher().doWork();
        assertThat(manager.flusher().fsyncCount()).isZero();

        time.sleep(5_000);
        manager.flusher().doWork();

        assertThat(manager.flusher().fsyncCount()).isEqualTo(1);
        assertThat(((DefaultPartitionLog) log).recoveryPoint()).isEqualTo(1);
    }

    @Test
    void shouldCompleteWaitersFromFlusherThread() {
        PartitionLog log = open(LogConfig.defaults(), true);
        log.appendAsLeader(batch(1L, "a"), 0);

        CompletableFuture<Void> durable = log.awaitDurable(1);

        await().atMost(Duration.ofSeconds(10)).until(durable::isDone);
        assertThat(durable).isCompleted();
    }

    @Test
    void shouldFailWaitersWhenLogIsDeleted() {
        PartitionLog log = open(LogConfig.defaults(), false);
        log.appendAsLeader(batch(1L, "a"), 0);
        CompletableFuture<Void> durable = log.awaitDurable(1);

        manager.delete(TP);

        assertThat(durable).isCompletedExceptionally();
        assertThat(manager.get(TP)).isEmpty();
    }

    @Test
    void shouldFailWaitersAndFurtherAppendsWhenFsyncFails() throws Exception {
        PartitionLog log = open(LogConfig.defaults(), false);
        log.appendAsLeader(batch(1L, "a"), 0);
        CompletableFuture<Void> durable = log.awaitDurable(1);
        ((DefaultPartitionLog) log).segmentsForTest().last().records().channel().close(); // next fsync fails

        manager.flusher().doWork();

        assertThat(durable).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> log.appendAsLeader(batch(1L, "b"), 0))
                .isInstanceOf(KafkaStorageException.class);
    }
}
