import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Consumer-group figures for bench/groups, run the same way against both brokers.
 *
 * <pre>
 * rebalance BOOTSTRAP PROTOCOL ASSIGNOR MEMBERS PARTITIONS RUNS TIMEOUT_S
 *     PROTOCOL classic|consumer; ASSIGNOR default (the Java client's own list) or an assignor name.
 *     Per run, on a fresh group: MEMBERS consumers join and settle, then one more joins; prints
 *     "run=N join_ms=J rebalance_ms=R" (see bench/groups --help for the exact definition).
 *     Exit 4 and "UNSUPPORTED ..." when the broker answers UNSUPPORTED_VERSION for the protocol.
 * fill BOOTSTRAP TOPIC GROUPS PARTITIONS
 *     commits GROUPS x PARTITIONS offsets (group-0..; offset = group*1000 + partition) with
 *     Admin.alterConsumerGroupOffsets, 32 groups in flight; prints "offsets=N ms=T".
 * await-offsets BOOTSTRAP TOPIC GROUPS PARTITIONS COORDINATOR_PARTITIONS T0_EPOCH_MS TIMEOUT_S
 *     for one group per __consumer_offsets partition, fetches the committed offsets until they
 *     are all there (retrying while the broker starts or loads); prints "ready_ms=T" counted from
 *     T0_EPOCH_MS (the broker's launch).
 * </pre>
 *
 * Command-line tool; exit code 0 only when the figure was measured.
 */
public final class GroupBench {

    private GroupBench() {}

    public static void main(String[] args) throws Exception {
        int code;
        if (args.length == 8 && args[0].equals("rebalance")) {
            code = rebalance(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        } else if (args.length == 5 && args[0].equals("fill")) {
            code = fill(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if (args.length == 8 && args[0].equals("await-offsets")) {
            code = awaitOffsets(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Long.parseLong(args[6]), Integer.parseInt(args[7]));
        } else {
            System.err.println("usage: see the class comment of bench/src/GroupBench.java");
            code = 2;
        }
        System.exit(code);
    }

    // ---------------------------------------------------------------- rebalance

    private static int rebalance(String bootstrap, String protocol, String assignor, int members, int partitions,
            int runs, int timeoutS) throws Exception {
        String topic = "groupbench-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        for (int run = 1; run <= runs; run++) {
            Group group = new Group(bootstrap, protocol, assignor, topic, partitions, "groupbench-" + UUID.randomUUID());
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < members; i++) {
                    group.add();
                }
                long joined = group.awaitSettled(members, timeoutS);
                long t1 = group.addAndStartClock();
                long settled = group.awaitSettled(members + 1, timeoutS);
                System.out.printf("run=%d join_ms=%.1f rebalance_ms=%.1f%n", run, (joined - t0) / 1e6,
                        (settled - t1) / 1e6);
                System.out.flush();
            } catch (UnsupportedVersionException e) {
                System.out.println("UNSUPPORTED " + e.getMessage());
                return 4;
            } finally {
                group.close();
            }
        }
        return 0;
    }

    /** A group of consumer threads and what each saw after its last poll. */
    private static final class Group {
        private final String bootstrap;
        private final String protocol;
        private final String assignor;
        private final String topic;
        private final int partitions;
        private final String groupId;
        private final List<Member> members = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private int expected;
        private long settledAt = -1;

        Group(String bootstrap, String protocol, String assignor, String topic, int partitions, String groupId) {
            this.bootstrap = bootstrap;
            this.protocol = protocol;
            this.assignor = assignor;
            this.topic = topic;
            this.partitions = partitions;
            this.groupId = groupId;
        }

        void add() {
            Member m = new Member(this, members.size(), consumer(members.size()));
            synchronized (this) {
                members.add(m);
            }
            m.thread.start();
        }

        /** Adds one member; the clock starts just before its subscribe(), after the consumer is built. */
        long addAndStartClock() {
            KafkaConsumer<byte[], byte[]> consumer = consumer(members.size());
            Member m = new Member(this, members.size(), consumer);
            long t = System.nanoTime();
            synchronized (this) {
                members.add(m);
            }
            m.thread.start();
            return t;
        }

        private KafkaConsumer<byte[], byte[]> consumer(int index) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "groupbench-" + index);
            p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            if (!assignor.equals("default")) {
                if (protocol.equals("consumer")) {
                    p.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
                } else {
                    // The classic setting takes class names; accept the assignors' protocol names too.
                    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, switch (assignor) {
                        case "cooperative-sticky" -> CooperativeStickyAssignor.class.getName();
                        case "range" -> RangeAssignor.class.getName();
                        case "roundrobin" -> RoundRobinAssignor.class.getName();
                        case "sticky" -> StickyAssignor.class.getName();
                        default -> assignor;
                    });
                }
            }
            return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        /** Called by a member after each poll: records the first moment the expected members are settled. */
        synchronized void observed() {
            if (settledAt < 0 && settled()) {
                settledAt = System.nanoTime();
                notifyAll();
            }
        }

        /**
         * Settled: every expected member has polled, holds at least one partition, their assignments are disjoint and
         * cover the topic, and (classic protocol) all report the same generation.
         */
        private boolean settled() {
            if (members.size() < expected) {
                return false;
            }
            Set<TopicPartition> all = new HashSet<>();
            int generation = Integer.MIN_VALUE;
            for (int i = 0; i < expected; i++) {
                Member m = members.get(i);
                Seen seen = m.seen;
                if (seen == null || seen.assignment.isEmpty()) {
                    return false;
                }
                if (protocol.equals("classic")) {
                    if (generation != Integer.MIN_VALUE && generation != seen.generation) {
                        return false;
                    }
                    generation = seen.generation;
                }
                for (TopicPartition tp : seen.assignment) {
                    if (!all.add(tp)) {
                        return false;
                    }
                }
            }
            return all.size() == partitions;
        }

        long awaitSettled(int count, int timeoutS) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
            synchronized (this) {
                expected = count;
                settledAt = -1;
                while (settledAt < 0) {
                    if (failure.get() != null) {
                        Throwable t = failure.get();
                        if (t instanceof UnsupportedVersionException u) {
                            throw u;
                        }
                        throw new IllegalStateException("a consumer failed", t);
                    }
                    settledAt = settled() ? System.nanoTime() : -1;
                    if (settledAt >= 0) {
                        break;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException(count + " members did not settle within " + timeoutS + " s");
                    }
                    wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
                }
                return settledAt;
            }
        }

        void close() throws InterruptedException {
            members.forEach(m -> m.running = false);
            for (Member m : members) {
                m.thread.join(30_000);
            }
        }
    }

    private record Seen(int generation, Set<TopicPartition> assignment) {}

    /** One consumer on its own thread, polling every 10 ms and publishing what it holds. */
    private static final class Member {
        final Thread thread;
        volatile boolean running = true;
        volatile Seen seen;

        Member(Group group, int index, KafkaConsumer<byte[], byte[]> consumer) {
            thread = new Thread(() -> {
                try (consumer) {
                    consumer.subscribe(List.of(group.topic));
                    while (running) {
                        consumer.poll(Duration.ofMillis(10));
                        seen = new Seen(consumer.groupMetadata().generationId(), Set.copyOf(consumer.assignment()));
                        group.observed();
                    }
                } catch (RuntimeException e) {
                    group.failure.compareAndSet(null, e);
                    synchronized (group) {
                        group.notifyAll();
                    }
                }
            }, "member-" + index);
            thread.setDaemon(true);
        }
    }

    // ---------------------------------------------------------------- offsets load

    private static int fill(String bootstrap, String topic, int groups, int partitions) throws Exception {
        long t0 = System.nanoTime();
        try (Admin admin = admin(bootstrap)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Semaphore inFlight = new Semaphore(32);
            List<KafkaFuture<Void>> futures = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(expectedOffset(g, p)));
                }
                inFlight.acquire();
                KafkaFuture<Void> f = admin.alterConsumerGroupOffsets("group-" + g, offsets).all();
                f.whenComplete((v, e) -> inFlight.release());
                futures.add(f);
            }
            for (KafkaFuture<Void> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        System.out.printf("offsets=%d ms=%.1f%n", (long) groups * partitions, (System.nanoTime() - t0) / 1e6);
        return 0;
    }

    private static long expectedOffset(int group, int partition) {
        return group * 1000L + partition;
    }

    private static int awaitOffsets(String bootstrap, String topic, int groups, int partitions,
            int coordinatorPartitions, long t0EpochMs, int timeoutS) throws Exception {
        // One group per __consumer_offsets partition (Kafka's placement: abs(hashCode) % partitions).
        Map<Integer, Integer> groupOfPartition = new LinkedHashMap<>();
        for (int g = 0; g < groups && groupOfPartition.size() < coordinatorPartitions; g++) {
            groupOfPartition.putIfAbsent(Utils.abs(("group-" + g).hashCode()) % coordinatorPartitions, g);
        }
        if (groupOfPartition.size() < coordinatorPartitions) {
            System.err.println("only " + groupOfPartition.size() + " of " + coordinatorPartitions
                    + " coordinator partitions hold one of the groups");
        }
        long deadline = System.currentTimeMillis() + timeoutS * 1000L;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "20");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "100");
        p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        p.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "100");
        Set<Integer> pending = new HashSet<>(groupOfPartition.values());
        String last = "";
        try (Admin admin = Admin.create(p)) {
            while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
                Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
                pending.forEach(g -> specs.put("group-" + g, new ListConsumerGroupOffsetsSpec()));
                ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(specs);
                for (Integer g : List.copyOf(pending)) {
                    try {
                        Map<TopicPartition, OffsetAndMetadata> offsets = result.partitionsToOffsetAndMetadata("group-" + g)
                                .get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                        if (complete(offsets, topic, g, partitions)) {
                            pending.remove(g);
                        } else {
                            last = "group-" + g + ": " + offsets.size() + " offsets";
                        }
                    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                        last = "group-" + g + ": " + e;
                    }
                }
            }
        }
        if (!pending.isEmpty()) {
            System.err.println(pending.size() + " groups still without their offsets; last: " + last);
            return 1;
        }
        System.out.printf("ready_ms=%d groups=%d%n", System.currentTimeMillis() - t0EpochMs, groupOfPartition.size());
        return 0;
    }

    private static boolean complete(Map<TopicPartition, OffsetAndMetadata> offsets, String topic, int group,
            int partitions) {
        for (int p = 0; p < partitions; p++) {
            OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
            if (o == null || o.offset() != expectedOffset(group, p)) {
                return false;
            }
        }
        return true;
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }
}
