package io.brook.broker.handlers.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * Incremental fetch sessions (KIP-227). A client that sends epoch 0 gets a session id; later requests carry only the
 * partitions whose fetch position changed (plus those to forget), and the response carries only the partitions with
 * something new: records, a moved high watermark, last stable offset or log start offset, or an error.
 *
 * <pre>
 *   request (sessionId, epoch)      context            response session id
 *   (any, -1)                       sessionless        0   (closes sessionId if given)
 *   (any, 0)                        full               new id, or 0 when no slot (closes sessionId if given)
 *   (id, n&gt;0) known, epoch == n   incremental        id, epoch becomes n+1
 *   (id, n&gt;0) unknown             FETCH_SESSION_ID_NOT_FOUND
 *   (id, n&gt;0) epoch != n          INVALID_FETCH_SESSION_EPOCH
 *   (id, n&gt;0) names vs ids differ FETCH_SESSION_TOPIC_ID_ERROR
 * </pre>
 *
 * <p>The cache holds at most {@code maxSlots} sessions. When full, a new session evicts the least recently used one if
 * it has been idle for {@code minEvictionMs}, otherwise the smallest session if the new one has more partitions;
 * otherwise the client gets no session (id 0) and keeps sending full fetches.
 *
 * <p>No I/O, no clock: callers pass the time. Thread-safe: every method holds the instance lock.
 */
public final class FetchSessionCache {

    /** Kafka's {@code max.incremental.fetch.session.cache.slots} default. */
    public static final int DEFAULT_MAX_SLOTS = 1000;
    /** Kafka's {@code min.incremental.fetch.session.eviction.ms} (fixed at 120 s in Kafka). */
    public static final long DEFAULT_MIN_EVICTION_MS = 120_000L;

    private final int maxSlots;
    private final long minEvictionMs;
    private final IntSupplier idGenerator;
    private final Map<Integer, Session> sessions = new HashMap<>();

    public FetchSessionCache(int maxSlots, long minEvictionMs, IntSupplier idGenerator) {
        this.maxSlots = maxSlots;
        this.minEvictionMs = minEvictionMs;
        this.idGenerator = idGenerator;
    }

    /**
     * Decides how to serve a fetch and applies its session changes (added, updated and forgotten partitions, epoch).
     *
     * @param partitions the partitions in the request, in request order
     * @param forgotten the partitions the request removes from its session
     * @param usesTopicIds whether the request names topics by id (Fetch v13+)
     */
    public synchronized FetchContext newContext(int sessionId, int epoch, boolean usesTopicIds,
            List<FetchPartitionRequest> partitions, List<FetchPartitionKey> forgotten, long nowMs) {
        if (epoch == FetchMetadata.INITIAL_EPOCH || epoch == FetchMetadata.FINAL_EPOCH) {
            if (sessionId != FetchMetadata.INVALID_SESSION_ID) {
                sessions.remove(sessionId);
            }
            return epoch == FetchMetadata.FINAL_EPOCH
                    ? new FetchContext.Sessionless(List.copyOf(partitions))
                    : new FetchContext.Full(List.copyOf(partitions), usesTopicIds);
        }
        Session session = sessions.get(sessionId);
        if (session == null) {
            return new FetchContext.SessionError(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        if (session.epoch != epoch) {
            return new FetchContext.SessionError(Errors.INVALID_FETCH_SESSION_EPOCH);
        }
        if (session.usesTopicIds != usesTopicIds) {
            return new FetchContext.SessionError(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
        }
        for (FetchPartitionKey key : forgotten) {
            session.partitions.remove(key);
        }
        for (FetchPartitionRequest request : partitions) {
            CachedPartition cached = session.partitions.get(request.key());
            if (cached == null) {
                session.partitions.put(request.key(), new CachedPartition(request));
            } else {
                cached.request = request;
            }
        }
        session.epoch = FetchMetadata.nextEpoch(epoch);
        session.lastUsedMs = nowMs;
        List<FetchPartitionRequest> toRead = new ArrayList<>(session.partitions.size());
        for (CachedPartition cached : session.partitions.values()) {
            toRead.add(cached.request);
        }
        return new FetchContext.Incremental(sessionId, toRead);
    }

    /**
     * Completes a fetch served under {@code context}: creates the session of a full fetch (if a slot is free),
     * records what each partition's response told the client, and for an incremental fetch keeps only the partitions
     * with news. Partitions that returned records move to the end of the session so others are read first next time.
     */
    public synchronized SessionResponse complete(FetchContext context, List<FetchPartitionResponse> responses,
            long nowMs) {
        if (context instanceof FetchContext.Full full) {
            int newId = tryCreateSession(full, responses, nowMs);
            return new SessionResponse(newId, responses);
        }
        if (context instanceof FetchContext.Incremental incremental) {
            Session session = sessions.get(incremental.sessionId());
            if (session == null) {
                // Evicted or closed while this fetch waited: answer everything, as a full response would.
                return new SessionResponse(incremental.sessionId(), responses);
            }
            List<FetchPartitionResponse> changed = new ArrayList<>();
            for (FetchPartitionResponse response : responses) {
                CachedPartition cached = session.partitions.get(response.key());
                if (cached == null) {
                    continue; // forgotten by a later request
                }
                if (cached.absorb(response)) {
                    changed.add(response);
                    if (response.recordsSize() > 0) {
                        session.partitions.remove(response.key());
                        session.partitions.put(response.key(), cached);
                    }
                }
            }
            return new SessionResponse(incremental.sessionId(), changed);
        }
        return new SessionResponse(FetchMetadata.INVALID_SESSION_ID, responses);
    }

    public synchronized int size() {
        return sessions.size();
    }

    public synchronized boolean contains(int sessionId) {
        return sessions.containsKey(sessionId);
    }

    /** The epoch the next request of the session must carry, or -1 if there is no such session. */
    public synchronized int expectedEpoch(int sessionId) {
        Session session = sessions.get(sessionId);
        return session == null ? -1 : session.epoch;
    }

    private int tryCreateSession(FetchContext.Full full, List<FetchPartitionResponse> responses, long nowMs) {
        int size = full.partitions().size();
        if (maxSlots <= 0 || (sessions.size() >= maxSlots && !evictOneFor(size, nowMs))) {
            return FetchMetadata.INVALID_SESSION_ID;
        }
        int id = newSessionId();
        Session session = new Session(full.usesTopicIds(), nowMs);
        for (FetchPartitionRequest request : full.partitions()) {
            session.partitions.put(request.key(), new CachedPartition(request));
        }
        for (FetchPartitionResponse response : responses) {
            CachedPartition cached = session.partitions.get(response.key());
            if (cached != null) {
                cached.absorb(response);
            }
        }
        sessions.put(id, session);
        return id;
    }

    private boolean evictOneFor(int newSessionSize, long nowMs) {
        Map.Entry<Integer, Session> leastRecent = null;
        Map.Entry<Integer, Session> smallest = null;
        for (Map.Entry<Integer, Session> entry : sessions.entrySet()) {
            Session session = entry.getValue();
            if (leastRecent == null || session.lastUsedMs < leastRecent.getValue().lastUsedMs) {
                leastRecent = entry;
            }
            if (smallest == null || session.partitions.size() < smallest.getValue().partitions.size()) {
                smallest = entry;
            }
        }
        if (leastRecent == null) {
            return false;
        }
        if (nowMs - leastRecent.getValue().lastUsedMs >= minEvictionMs) {
            sessions.remove(leastRecent.getKey());
            return true;
        }
        if (newSessionSize > smallest.getValue().partitions.size()) {
            sessions.remove(smallest.getKey());
            return true;
        }
        return false;
    }

    private int newSessionId() {
        int id;
        do {
            id = idGenerator.getAsInt();
        } while (id == FetchMetadata.INVALID_SESSION_ID || sessions.containsKey(id));
        return id;
    }

    /** How a fetch is served. */
    public sealed interface FetchContext {

        /** The partitions to read, in order. */
        List<FetchPartitionRequest> partitions();

        /** Epoch -1: no session; answer every partition. */
        record Sessionless(List<FetchPartitionRequest> partitions) implements FetchContext {
        }

        /** Epoch 0: answer every partition and open a session if a slot is free. */
        record Full(List<FetchPartitionRequest> partitions, boolean usesTopicIds) implements FetchContext {
        }

        /** Epoch &gt; 0 of a known session: read all its partitions, answer those with news. */
        record Incremental(int sessionId, List<FetchPartitionRequest> partitions) implements FetchContext {
        }

        /** The session part of the request is invalid: answer with this top-level error and no partitions. */
        record SessionError(Errors error) implements FetchContext {
            @Override
            public List<FetchPartitionRequest> partitions() {
                return List.of();
            }
        }
    }

    /**
     * @param sessionId the session id to put in the response (0 for none)
     * @param partitions the partitions to put in the response, in order
     */
    public record SessionResponse(int sessionId, List<FetchPartitionResponse> partitions) {
    }

    private static final class Session {
        final boolean usesTopicIds;
        final LinkedHashMap<FetchPartitionKey, CachedPartition> partitions = new LinkedHashMap<>();
        int epoch = FetchMetadata.nextEpoch(FetchMetadata.INITIAL_EPOCH);
        long lastUsedMs;

        Session(boolean usesTopicIds, long nowMs) {
            this.usesTopicIds = usesTopicIds;
            this.lastUsedMs = nowMs;
        }
    }

    /** The client's fetch position and what it was last told about the partition; -1 means "never told". */
    private static final class CachedPartition {
        FetchPartitionRequest request;
        long highWatermark = -1;
        long lastStableOffset = -1;
        long logStartOffset = -1;

        CachedPartition(FetchPartitionRequest request) {
            this.request = request;
        }

        /** Records what {@code response} tells the client; returns whether the client must see it. */
        boolean absorb(FetchPartitionResponse response) {
            var data = response.data();
            boolean mustRespond = response.recordsSize() > 0;
            if (data.errorCode() != Errors.NONE.code()) {
                // Errors are always sent; forgetting the high watermark re-sends the partition once it recovers.
                highWatermark = -1;
                return true;
            }
            if (highWatermark != data.highWatermark()) {
                highWatermark = data.highWatermark();
                mustRespond = true;
            }
            if (lastStableOffset != data.lastStableOffset()) {
                lastStableOffset = data.lastStableOffset();
                mustRespond = true;
            }
            if (logStartOffset != data.logStartOffset()) {
                logStartOffset = data.logStartOffset();
                mustRespond = true;
            }
            return mustRespond;
        }
    }
}
