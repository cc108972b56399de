package io.brook.metadata.cluster;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.quorum.LeadershipListener;

/**
 * What the active controller does besides committing commands: while this node leads the quorum, a timer fences
 * brokers whose heartbeat session expired and records the quorum's voters in the image, and, with
 * {@code auto.leader.rebalance.enable}, a second timer gives partitions back to their preferred leaders (see
 * {@link PreferredLeaderImbalance}). Nothing runs on other nodes.
 *
 * <pre>
 *   idle --leadership gained--> leading (heartbeats reset, timer every broker.heartbeat.interval.ms,
 *                                        rebalance every leader.imbalance.check.interval.seconds)
 *   leading --leadership lost / close--> idle (timers cancelled)
 * </pre>
 *
 * <p>Thread-safe: leadership changes arrive on a quorum thread, the timer runs on {@code executor}; both only touch the
 * timer handle under the instance lock. Submissions never block either thread.
 */
public final class ControllerDuties implements LeadershipListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerDuties.class);
    /** As Kafka's controller, at most this many elections per rebalance pass; the next pass takes the rest. */
    static final int MAX_ELECTIONS_PER_PASS = 1_000;

    private final MetadataStateMachine machine;
    private final Function<MetadataCommand, CompletableFuture<CommandReply>> submitter;
    private final ScheduledExecutorService executor;
    private final long intervalMs;
    private final List<Integer> voters;
    private final long leaderImbalanceCheckIntervalMs;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> rebalanceTimer;
    private boolean closed;

    /**
     * @param submitter replicates a command (the store's {@code submit})
     * @param executor the timer's thread; owned by the caller
     * @param intervalMs how often expired sessions are looked for ({@code broker.heartbeat.interval.ms})
     * @param voters the configured voters, recorded in the image for status
     * @param leaderImbalanceCheckIntervalMs how often preferred leaders are restored
     *        ({@code leader.imbalance.check.interval.seconds}), or 0 when {@code auto.leader.rebalance.enable} is off
     */
    public ControllerDuties(MetadataStateMachine machine,
            Function<MetadataCommand, CompletableFuture<CommandReply>> submitter,
            ScheduledExecutorService executor, long intervalMs, List<Integer> voters,
            long leaderImbalanceCheckIntervalMs) {
        this.machine = machine;
        this.submitter = submitter;
        this.executor = executor;
        this.intervalMs = intervalMs;
        this.voters = voters.stream().sorted().toList();
        this.leaderImbalanceCheckIntervalMs = leaderImbalanceCheckIntervalMs;
    }

    @Override
    public synchronized void onLeadershipChange(boolean leader, long term) {
        cancelTimers();
        if (!leader || closed) {
            return;
        }
        // Heartbeat times from an earlier term are stale: every broker gets a full session from now.
        machine.heartbeats().reset();
        timer = executor.scheduleWithFixedDelay(this::tick, 0, intervalMs, TimeUnit.MILLISECONDS);
        if (leaderImbalanceCheckIntervalMs > 0) {
            rebalanceTimer = executor.scheduleWithFixedDelay(this::restorePreferredLeaders,
                    leaderImbalanceCheckIntervalMs, leaderImbalanceCheckIntervalMs, TimeUnit.MILLISECONDS);
        }
        LOG.info("Active controller duties started in term {}", term);
    }

    /** One pass: record the voters if they changed, fence expired sessions. */
    void tick() {
        try {
            if (!machine.image().voters().equals(Set.copyOf(voters))) {
                submit(new MetadataCommand.SetVoters(voters));
            }
            for (MetadataCommand fence : machine.expiredSessions()) {
                LOG.info("Fencing broker after its session expired: {}", fence);
                submit(fence);
            }
        } catch (RuntimeException e) {
            // A failed pass is retried at the next tick; an escaping exception would cancel the timer.
            LOG.warn("Controller duty pass failed", e);
        }
    }

    /** One rebalance pass: a PREFERRED election of every partition whose preferred leader could lead again. */
    void restorePreferredLeaders() {
        try {
            List<MetadataCommand.TopicPartitionRef> partitions = PreferredLeaderImbalance
                    .electable(machine.image(), MAX_ELECTIONS_PER_PASS);
            if (!partitions.isEmpty()) {
                LOG.info("Moving {} partition(s) back to their preferred leader", partitions.size());
                submit(new MetadataCommand.ElectLeaders(MetadataCommand.ElectionType.PREFERRED, partitions));
            }
        } catch (RuntimeException e) {
            LOG.warn("Preferred leader pass failed", e);
        }
    }

    private void submit(MetadataCommand command) {
        submitter.apply(command).whenComplete((reply, error) -> {
            if (error != null) {
                LOG.info("Controller command {} not committed: {}", command, error.toString());
            } else if (reply instanceof CommandReply.Failed failed) {
                LOG.debug("Controller command {} refused: {} {}", command, failed.error(), failed.message());
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        cancelTimers();
    }

    private void cancelTimers() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (rebalanceTimer != null) {
            rebalanceTimer.cancel(false);
            rebalanceTimer = null;
        }
    }
}
