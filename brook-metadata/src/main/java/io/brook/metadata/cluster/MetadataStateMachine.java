package io.brook.metadata.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore.MetadataListener;
import io.brook.metadata.cluster.MetadataQuery.BrokerHeartbeat;
import io.brook.metadata.quorum.ReplicatedStateMachine;

/**
 * The cluster metadata as the quorum's {@link ReplicatedStateMachine}: decodes each committed command, applies it with
 * {@link MetadataCommandApplier}, publishes the new image and tells listeners.
 *
 * <p>Threading: {@link #apply}, {@link #snapshot} and {@link #restore} run on the quorum's apply thread, one at a
 * time; listeners are called on that thread, in log order, and must not block it. {@link #image()} is a volatile read
 * from any thread. {@link #query} runs on RPC threads and touches only the thread-safe {@link BrokerHeartbeats}.
 */
public final class MetadataStateMachine implements ReplicatedStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final Time time;
    private final BrokerHeartbeats heartbeats;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private volatile long lastAppliedIndex = -1;

    public MetadataStateMachine(Time time, long sessionTimeoutMs) {
        this.time = time;
        this.heartbeats = new BrokerHeartbeats(sessionTimeoutMs);
    }

    /** The current image; safe from any thread. */
    public MetadataImage image() {
        return image;
    }

    public long lastAppliedIndex() {
        return lastAppliedIndex;
    }

    /** Called on the apply thread after every change, with the previous and new image. */
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
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
        lastAppliedIndex = index;
        publish(applied.image());
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
        lastAppliedIndex = contents.lastAppliedIndex();
        publish(contents.image());
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

    private void publish(MetadataImage next) {
        MetadataImage previous = image;
        if (previous == next) {
            return;
        }
        image = next;
        for (MetadataListener listener : listeners) {
            try {
                listener.onChange(previous, next);
            } catch (RuntimeException e) {
                // The change is applied; one failing listener must not hide it from the others.
                LOG.error("Metadata listener {} failed", listener, e);
            }
        }
    }
}
