package io.brook.broker.handlers.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.Test;

import io.brook.broker.handlers.data.FetchSessionCache.FetchContext;

class FetchSessionCacheTest {

    private static final FetchPartitionKey A0 = FetchPartitionKey.byName("a", 0);
    private static final FetchPartitionKey A1 = FetchPartitionKey.byName("a", 1);
    private static final FetchPartitionKey B0 = FetchPartitionKey.byName("b", 0);

    private final AtomicInteger ids = new AtomicInteger(100);
    private FetchSessionCache cache = new FetchSessionCache(10, 1_000, ids::incrementAndGet);

    private static FetchPartitionRequest at(FetchPartitionKey key, long offset) {
        return new FetchPartitionRequest(key, offset, 1024, -1);
    }

    private static FetchPartitionResponse quiet(FetchPartitionKey key, long highWatermark) {
        return new FetchPartitionResponse(key, new FetchResponseData.PartitionData()
                .setPartitionIndex(key.partition())
                .setHighWatermark(highWatermark)
                .setLastStableOffset(highWatermark)
                .setLogStartOffset(0)
                .setRecords(MemoryRecords.EMPTY));
    }

    private static FetchPartitionResponse withData(FetchPartitionKey key, long highWatermark) {
        return new FetchPartitionResponse(key, quiet(key, highWatermark).data()
                .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))));
    }

    private int openSession(List<FetchPartitionRequest> partitions, List<FetchPartitionResponse> responses) {
        FetchContext context = cache.newContext(0, 0, false, partitions, List.of(), 0);
        assertThat(context).isInstanceOf(FetchContext.Full.class);
        return cache.complete(context, responses, 0).sessionId();
    }

    @Test
    void shouldCreateSessionOnFullFetchWithEpochZero() {
        int id = openSession(List.of(at(A0, 0), at(B0, 0)), List.of(quiet(A0, 5), quiet(B0, 5)));

        assertThat(id).isEqualTo(101);
        assertThat(cache.contains(id)).isTrue();
        assertThat(cache.expectedEpoch(id)).isEqualTo(1);
    }

    @Test
    void shouldAnswerEveryPartitionWithoutSessionWhenEpochIsFinal() {
        FetchContext context = cache.newContext(0, -1, false, List.of(at(A0, 0)), List.of(), 0);

        assertThat(context).isInstanceOf(FetchContext.Sessionless.class);
        FetchSessionCache.SessionResponse response = cache.complete(context, List.of(quiet(A0, 5)), 0);
        assertThat(response.sessionId()).isZero();
        assertThat(response.partitions()).hasSize(1);
        assertThat(cache.size()).isZero();
    }

    @Test
    void shouldCloseSessionWhenFinalEpochNamesIt() {
        int id = openSession(List.of(at(A0, 0)), List.of(quiet(A0, 5)));

        cache.newContext(id, -1, false, List.of(at(A0, 0)), List.of(), 10);

        assertThat(cache.contains(id)).isFalse();
    }

    @Test
    void shouldReadAllSessionPartitionsButAnswerOnlyChangedOnesWhenIncremental() {
        int id = openSession(List.of(at(A0, 0), at(B0, 0)), List.of(quiet(A0, 5), quiet(B0, 5)));

        FetchContext context = cache.newContext(id, 1, false, List.of(), List.of(), 10);

        assertThat(context).isInstanceOf(FetchContext.Incremental.class);
        assertThat(context.partitions()).extracting(FetchPartitionRequest::key).containsExactly(A0, B0);
        FetchSessionCache.SessionResponse response = cache.complete(context,
                List.of(quiet(A0, 5), quiet(B0, 6)), 10);
        assertThat(response.sessionId()).isEqualTo(id);
        assertThat(response.partitions()).extracting(FetchPartitionResponse::key).containsExactly(B0);
        assertThat(cache.expectedEpoch(id)).isEqualTo(2);
    }

    @Test
    void shouldAnswerPartitionWithRecordsAndMoveItToTheEnd() {
        int id = openSession(List.of(at(A0, 0), at(B0, 0)), List.of(quiet(A0, 5), quiet(B0, 5)));

        FetchContext first = cache.newContext(id, 1, false, List.of(), List.of(), 10);
        FetchSessionCache.SessionResponse response = cache.complete(first, List.of(withData(A0, 5), quiet(B0, 5)), 10);
        assertThat(response.partitions()).extracting(FetchPartitionResponse::key).containsExactly(A0);

        FetchContext second = cache.newContext(id, 2, false, List.of(at(A0, 1)), List.of(), 20);
        assertThat(second.partitions()).extracting(FetchPartitionRequest::key).containsExactly(B0, A0);
        assertThat(second.partitions().get(1).fetchOffset()).isEqualTo(1);
    }

    @Test
    void shouldAddUpdateAndForgetPartitionsWhenIncremental() {
        int id = openSession(List.of(at(A0, 0), at(A1, 0)), List.of(quiet(A0, 5), quiet(A1, 5)));

        FetchContext context = cache.newContext(id, 1, false, List.of(at(A0, 3), at(B0, 7)), List.of(A1), 10);

        assertThat(context.partitions()).containsExactly(at(A0, 3), at(B0, 7));
        FetchSessionCache.SessionResponse response = cache.complete(context, List.of(quiet(A0, 5), quiet(B0, 9)),
                10);
        // B0 is new to the client (never told its high watermark), A0 unchanged
        assertThat(response.partitions()).extracting(FetchPartitionResponse::key).containsExactly(B0);
    }

    @Test
    void shouldAlwaysAnswerPartitionsWithErrorsAndResendThemOnceRecovered() {
        int id = openSession(List.of(at(A0, 0)), List.of(quiet(A0, 5)));

        FetchContext failing = cache.newContext(id, 1, false, List.of(), List.of(), 10);
        FetchPartitionResponse error = new FetchPartitionResponse(A0,
                FetchResponse.partitionResponse(0, Errors.NOT_LEADER_OR_FOLLOWER));
        assertThat(cache.complete(failing, List.of(error), 10).partitions()).hasSize(1);

        FetchContext recovered = cache.newContext(id, 2, false, List.of(), List.of(), 20);
        assertThat(cache.complete(recovered, List.of(quiet(A0, 5)), 20).partitions()).hasSize(1);
    }

    @Test
    void shouldAnswerSessionIdNotFoundWhenSessionUnknown() {
        FetchContext context = cache.newContext(12345, 1, false, List.of(), List.of(), 0);

        assertThat(context).isEqualTo(new FetchContext.SessionError(Errors.FETCH_SESSION_ID_NOT_FOUND));
    }

    @Test
    void shouldAnswerInvalidEpochWhenEpochDoesNotMatch() {
        int id = openSession(List.of(at(A0, 0)), List.of(quiet(A0, 5)));

        assertThat(cache.newContext(id, 2, false, List.of(), List.of(), 0))
                .isEqualTo(new FetchContext.SessionError(Errors.INVALID_FETCH_SESSION_EPOCH));
        // A rejected request does not advance the epoch
        assertThat(cache.expectedEpoch(id)).isEqualTo(1);
    }

    @Test
    void shouldAnswerTopicIdErrorWhenSessionAndRequestNameTopicsDifferently() {
        int id = openSession(List.of(at(A0, 0)), List.of(quiet(A0, 5)));

        FetchPartitionRequest byId = at(FetchPartitionKey.byId(Uuid.randomUuid(), 0), 0);
        assertThat(cache.newContext(id, 1, true, List.of(byId), List.of(), 0))
                .isEqualTo(new FetchContext.SessionError(Errors.FETCH_SESSION_TOPIC_ID_ERROR));
    }

    @Test
    void shouldReplaceSessionWhenEpochZeroNamesAnExistingSession() {
        int id = openSession(List.of(at(A0, 0)), List.of(quiet(A0, 5)));

        FetchContext context = cache.newContext(id, 0, false, List.of(at(B0, 0)), List.of(), 10);
        int newId = cache.complete(context, List.of(quiet(B0, 1)), 10).sessionId();

        assertThat(cache.contains(id)).isFalse();
        assertThat(newId).isNotEqualTo(id).isNotZero();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void shouldGiveNoSessionWhenCacheIsFullAndNoSessionIsEvictable() {
        cache = new FetchSessionCache(1, 1_000, ids::incrementAndGet);
        int first = openSession(List.of(at(A0, 0), at(A1, 0)), List.of(quiet(A0, 1), quiet(A1, 1)));

        FetchContext context = cache.newContext(0, 0, false, List.of(at(B0, 0)), List.of(), 500);
        int second = cache.complete(context, List.of(quiet(B0, 1)), 500).sessionId();

        assertThat(second).isZero();
        assertThat(cache.contains(first)).isTrue();
    }

    @Test
    void shouldEvictIdleSessionWhenCacheIsFull() {
        cache = new FetchSessionCache(1, 1_000, ids::incrementAndGet);
        int first = openSession(List.of(at(A0, 0), at(A1, 0)), List.of(quiet(A0, 1), quiet(A1, 1)));

        FetchContext context = cache.newContext(0, 0, false, List.of(at(B0, 0)), List.of(), 1_000);
        int second = cache.complete(context, List.of(quiet(B0, 1)), 1_000).sessionId();

        assertThat(second).isNotZero();
        assertThat(cache.contains(first)).isFalse();
    }

    @Test
    void shouldEvictSmallerBusySessionForLargerNewSession() {
        cache = new FetchSessionCache(1, 1_000, ids::incrementAndGet);
        int small = openSession(List.of(at(A0, 0)), List.of(quiet(A0, 1)));

        FetchContext context = cache.newContext(0, 0, false, List.of(at(A1, 0), at(B0, 0)), List.of(), 10);
        int large = cache.complete(context, List.of(quiet(A1, 1), quiet(B0, 1)), 10).sessionId();

        assertThat(large).isNotZero();
        assertThat(cache.contains(small)).isFalse();
    }

    @Test
    void shouldNeverHandOutSessionIdZeroOrOneInUse() {
        AtomicInteger sequence = new AtomicInteger();
        int[] candidates = {0, 7, 7, 8};
        cache = new FetchSessionCache(10, 1_000, () -> candidates[sequence.getAndIncrement()]);

        int first = openSession(List.of(at(A0, 0)), List.of(quiet(A0, 1)));
        int second = openSession(List.of(at(B0, 0)), List.of(quiet(B0, 1)));

        assertThat(first).isEqualTo(7);
        assertThat(second).isEqualTo(8);
    }
}
