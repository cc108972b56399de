package io.brook.metadata.quorum;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts a {@link ReplicatedStateMachine} to Ratis: committed entries are applied in log order and their reply
 * returned to the submitter; snapshots are {@link SnapshotFile}s in Ratis's state-machine directory; a snapshot is
 * restored at start and after the leader installs one.
 *
 * <p>Threading: Ratis calls {@link #applyTransaction}, {@link #takeSnapshot} and {@link #reinitialize} from its one
 * state-machine updater thread (and {@link #initialize} before that thread starts), so the wrapped machine sees one
 * thread at a time, as its contract asks. {@link #query} runs on an RPC thread. The applied index is published to
 * {@link AppliedIndexWaiters} after the state changes.
 */
final class RatisStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(RatisStateMachine.class);

    /** Told about leadership and leader changes; implemented by {@link MetadataQuorum}. */
    interface Events {
        void leaderChanged(RaftPeerId leaderId);

        void leadershipChanged(boolean leader);

        /** This node's view of the quorum, asked of the leader by {@link #QUERY_QUORUM_STATUS}. */
        QuorumStatus status();
    }

    /**
     * The first byte of a query says whom it is for: the wrapped machine (the rest of the bytes are its request), or
     * the quorum itself (its status, which only the leader knows in full).
     */
    static final byte QUERY_MACHINE = 0;
    static final byte QUERY_QUORUM_STATUS = 1;

    private final ReplicatedStateMachine machine;
    private final AppliedIndexWaiters applied;
    private final Events events;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    RatisStateMachine(ReplicatedStateMachine machine, AppliedIndexWaiters applied, Events events) {
        this.machine = machine;
        this.applied = applied;
        this.events = events;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        storage.init(raftStorage);
        restoreLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader (and checks that it did). */
    @Override
    public void pause() {
        if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** Called after the leader installed a snapshot on this node: the state jumps to it. */
    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        restoreLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    private void restoreLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(file, md5);
        }
        TermIndex termIndex = snapshot.getTermIndex();
        SnapshotFile.Contents contents = SnapshotFile.read(file.toPath(), termIndex.getTerm(), termIndex.getIndex());
        machine.restore(contents.state());
        setLastAppliedTermIndex(termIndex);
        applied.advance(termIndex.getIndex());
        LOG.info("Restored the metadata state from snapshot {} ({} bytes)", termIndex, contents.state().length);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        byte[] command = entry.getStateMachineLogEntry().getLogData().toByteArray();
        byte[] reply;
        try {
            reply = machine.apply(termIndex.getIndex(), command);
        } catch (RuntimeException e) {
            // The contract says apply never throws for a rejected command, so this is a bug: the node's state may now
            // differ from the others'. Say so loudly and fail only this command rather than stop the node.
            LOG.error("The metadata state machine threw applying entry {}; this is a bug", termIndex, e);
            updateLastAppliedTermIndex(termIndex);
            return CompletableFuture.failedFuture(e);
        }
        updateLastAppliedTermIndex(termIndex);
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    /** Also reached for entries Ratis applies itself (configuration changes, its no-op on election). */
    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex newTermIndex) {
        boolean changed = super.updateLastAppliedTermIndex(newTermIndex);
        applied.advance(newTermIndex.getIndex());
        return changed;
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        byte[] state = machine.snapshot();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        SnapshotFile.write(file.toPath(), last.getTerm(), last.getIndex(), state);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        LOG.info("Took a metadata snapshot at {} ({} bytes)", last, state.length);
        return last.getIndex();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            byte[] tagged = request.getContent().toByteArray();
            if (tagged.length == 0) {
                throw new IllegalArgumentException("an empty metadata quorum query");
            }
            byte[] reply = switch (tagged[0]) {
                case QUERY_MACHINE -> machine.query(Arrays.copyOfRange(tagged, 1, tagged.length));
                case QUERY_QUORUM_STATUS -> QuorumStatusCodec.encode(events.status());
                default -> throw new IllegalArgumentException("unknown metadata quorum query kind " + tagged[0]);
            };
            return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        events.leaderChanged(newLeaderId);
    }

    /** Ratis calls this once this leader's first entry is applied: every earlier command is in the state. */
    @Override
    public void notifyLeaderReady() {
        events.leadershipChanged(true);
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        events.leadershipChanged(false);
    }
}
