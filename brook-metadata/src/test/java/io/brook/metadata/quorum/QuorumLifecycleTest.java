package io.brook.metadata.quorum;

import static io.brook.metadata.quorum.CountingStateMachine.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(120)
class QuorumLifecycleTest {

    private static final Logger LOG = LoggerFactory.getLogger(QuorumLifecycleTest.class);

    @TempDir
    Path dir;

    private QuorumConfig singleVoter(String name) {
        return QuorumConfig.voter(1, QuorumVoters.parse("1@127.0.0.1:" + TestPorts.free()), dir.resolve(name));
    }

    @Test
    void shouldLeaveNoThreadBehindWhenClosed() throws Exception {
        // The first start creates JVM-wide singletons (shared timers and pools of Ratis and gRPC), which outlive
        // any one quorum by design; measure against the threads alive after one full start/close cycle.
        runOnce(singleVoter("warm-up"));
        Set<Thread> baseline = awaitSettled();

        runOnce(singleVoter("measured"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(newThreads(baseline))
                .as("threads started by the quorum and still alive after close").isEmpty());
    }

    @Test
    void shouldReportLeadershipChangesToListenersAndRefuseUseAfterClose() throws Exception {
        MetadataQuorum quorum = new MetadataQuorum(singleVoter("events"), new CountingStateMachine());
        List<Boolean> changes = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        quorum.addLeadershipListener((leader, term) -> {
            synchronized (changes) {
                changes.add(leader);
            }
            calls.incrementAndGet();
        });
        quorum.start();
        quorum.ready().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);
        quorum.close();

        synchronized (changes) {
            assertThat(changes).containsExactly(true, false);
        }
        assertThatThrownBy(() -> quorum.submit(command("late"))).isInstanceOf(QuorumUnavailableException.class);
        quorum.close(); // idempotent
    }

    /**
     * Not an assertion on speed (the machine may be busy): logs how long a one-voter quorum takes from start() to a
     * first committed command, the figure Brook's single-node start-up depends on.
     */
    @Test
    void shouldStartASingleVoterAndCommitAFirstCommand() throws Exception {
        runOnce(singleVoter("jit-warm-up")); // class loading and JIT are not the quorum's start-up
        QuorumConfig config = singleVoter("timed");
        CountingStateMachine machine = new CountingStateMachine();
        long t0 = System.nanoTime();
        try (MetadataQuorum quorum = new MetadataQuorum(config, machine)) {
            quorum.start();
            long started = System.nanoTime();
            quorum.ready().get(10, TimeUnit.SECONDS);
            long ready = System.nanoTime();
            quorum.submit(command("first")).get(10, TimeUnit.SECONDS);
            long committed = System.nanoTime();
            LOG.info("Single voter: start() {} ms, ready (leader elected) {} ms, first command committed {} ms",
                    (started - t0) / 1_000_000, (ready - t0) / 1_000_000, (committed - t0) / 1_000_000);
            assertThat(machine.count("first")).isEqualTo(1);
        }
    }

    private static void runOnce(QuorumConfig config) throws Exception {
        try (MetadataQuorum quorum = new MetadataQuorum(config, new CountingStateMachine())) {
            quorum.start();
            quorum.ready().get(10, TimeUnit.SECONDS);
            quorum.submit(command("x")).get(10, TimeUnit.SECONDS);
            quorum.queryLeader(new byte[0]).get(10, TimeUnit.SECONDS);
        }
    }

    /** The live threads once their number has stopped falling (pools wind down after close). */
    private static Set<Thread> awaitSettled() {
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int now = Thread.getAllStackTraces().size();
            boolean stable = now == last[0];
            last[0] = now;
            return stable;
        });
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /** Called from Awaitility's polling thread, which is the test's own and so left out. */
    private static List<String> newThreads(Set<Thread> baseline) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !baseline.contains(t) && t.isAlive() && t != Thread.currentThread())
                .map(Thread::getName)
                .sorted()
                .collect(Collectors.toList());
    }

}
