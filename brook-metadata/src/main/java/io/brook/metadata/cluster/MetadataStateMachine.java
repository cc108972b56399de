package io.brook.metadata.cluster;

import java.util.List;

import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.cluster.MetadataQuery.BrokerHeartbeat;
import io.brook.metadata.quorum.ReplicatedStateMachine;

/**
 * The cluster metadata as the quorum's {@link ReplicatedStateMachine}: decodes each committed command, applies it with
 * {@link MetadataCommandApplier}, swaps in the new image at once (so {@link #image()} and the command's reply show it
 * immediately) and hands it with its index to an {@link AppliedImages} sink, the node's {@link MetadataPublisher},
 * which tells the listeners later on its own thread.
 *
 * <p>Threading: {@link #apply}, {@link #snapshot} and {@link #restore} run on the quorum's apply thread, one at a
 * time; the sink is called on that thread, in log order, and must return at once. {@link #image()} is a volatile read
 * from any thread. {@link #query} runs on RPC threads and touches only the thread-safe {@link BrokerHeartbeats}.
 */
public final class MetadataStateMachine implements ReplicatedStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    /** Receives every applied image with its log index, on the apply thread; must not block. */
    @FunctionalInterface
    public interface AppliedImages {
        AppliedImages NONE = (index, image) -> {
        };

        void applied(long index, MetadataImage image);
    }

    private final Time time;
    private final BrokerHeartbeats heartbeats;
    private final AppliedImages sink;
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private volatile long lastAppliedIndex = -1;

    /** A machine whose images go nowhere but {@link #image()} (tests, and dry runs). */
    public MetadataStateMachine(Time time, long sessionTimeoutMs) {
        this(time, sessionTimeoutMs, AppliedImages.NONE);
    }

    public MetadataStateMachine(Time time, long sessionTimeoutMs, AppliedImages sink) {
        this.time = time;
        this.heartbeats = new BrokerHeartbeats(sessionTimeoutMs);
        this.sink = sink;
    }

    /** The current image; safe from any thread. */
    public MetadataImage image() {
        return image;
    }

    public long lastAppliedIndex() {
        return lastAppliedIndex;
    }

    /** The active controller's heartbeat bookkeeping (its timer calls {@link BrokerHeartbeats#expiredSessions}). */
    public BrokerHeartbeats heartbeats() {
        return heartbeats;
    }

    /**
     * The FenceBroker commands the active controller should submit now for brokers whose session expired. Call from
     * the leader's timer, every {@code broker.heartbeat.interval.ms} or so.
     */
    public List<MetadataCommand> expiredSessions() {
        return heartbeats.expiredSessions(image, time.milliseconds());
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        // An undecodable command means an incompatible log: no node may skip it, so this throws.
        MetadataCommand decoded = MetadataCodec.decodeCommand(command);
        MetadataCommandApplier.Applied applied = MetadataCommandApplier.apply(image, index, decoded);
        image = applied.image();
        lastAppliedIndex = index;
        sink.applied(index, applied.image());
        if (applied.reply() instanceof CommandReply.Failed failed) {
            LOG.debug("Metadata command at index {} refused: {} {}", index, failed.error(), failed.message());
        }
        return MetadataCodec.encode(applied.reply());
    }

    @Override
    public byte[] snapshot() {
        return ImageSnapshot.encode(image, lastAppliedIndex);
    }

    @Override
    public void restore(byte[] snapshot) {
        ImageSnapshot.Contents contents = ImageSnapshot.decode(snapshot);
        image = contents.image();
        lastAppliedIndex = contents.lastAppliedIndex();
        sink.applied(contents.lastAppliedIndex(), contents.image());
        LOG.info("Restored metadata snapshot at index {}: {} broker(s), {} topic(s)", contents.lastAppliedIndex(),
                contents.image().brokers().size(), contents.image().topicsByName().size());
    }

    @Override
    public byte[] query(byte[] request) {
        MetadataQuery query = MetadataCodec.decodeQuery(request);
        if (query instanceof BrokerHeartbeat heartbeat) {
            return MetadataCodec.encode(heartbeats.heartbeat(image, heartbeat, time.milliseconds()));
        }
        throw new IllegalArgumentException("Unknown metadata query " + query);
    }
}
