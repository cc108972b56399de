import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Cluster figures for bench/cluster, run the same way against both brokers.
 *
 * <pre>
 * await-cluster BOOTSTRAP NODES T0_EPOCH_MS TIMEOUT_S
 *     polls DescribeCluster until it lists NODES brokers (registered and unfenced); prints "ready_ms=T"
 *     counted from T0_EPOCH_MS (just before the first node was launched).
 * create BOOTSTRAP TOPIC PARTITIONS RF TIMEOUT_S [name=value...]
 *     CreateTopics (topic configs as name=value), then polls the topic's Metadata until every partition has a
 *     leader and an ISR equal to its replicas; prints "create_ms=A ready_ms=R" (A: CreateTopics answered; R: all
 *     partitions ready, both from just before the request). When CreateTopics answers with a timeout it prints
 *     "create_ms=FAIL create_error=..." and goes on watching, since such a request may still complete. When the
 *     partitions are not all ready within TIMEOUT_S prints "ready_ms=FAIL ready=K/N" and exits 1.
 * await-isr BOOTSTRAP TOPIC NODES TIMEOUT_S
 *     waits until DescribeCluster lists NODES brokers and every partition of TOPIC has a leader and a full ISR.
 * failover BOOTSTRAP TOPIC NODE_PIDS RATE WARMUP_MS TIMEOUT_S [QUORUM_LEADER]
 *     NODE_PIDS is "id=pid,id=pid,..."; QUORUM_LEADER is the metadata quorum leader's id as the caller knows it,
 *     used when the broker does not answer DescribeQuorum (the output says which node led the quorum at the kill). An idempotent acks=all producer sends 100-byte records to partition 0 at
 *     RATE records/s. After WARMUP_MS it looks up the partition's leader with Admin, SIGKILLs that node's process and
 *     keeps sending. Prints "killed=ID failover_ms=F gap_ms=G ...": F runs from just before the kill to the first
 *     acknowledgement of a record sent after the kill; G is the longest time between two consecutive
 *     acknowledgements from 2 s before the kill until then (the "no acks" gap the application sees). Exits 1 with
 *     failover_ms=FAIL when no record sent after the kill is acknowledged within TIMEOUT_S.
 * </pre>
 *
 * <p>Command-line tool (the sender runs on one scheduler thread, acknowledgements arrive on the producer's I/O
 * thread); exit code 0 only when the figure was measured.
 */
public final class ClusterBench {

    private static final long POLL_MS = 100;

    private ClusterBench() {}

    public static void main(String[] args) throws Exception {
        int code;
        if (args.length == 5 && args[0].equals("await-cluster")) {
            code = awaitCluster(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    Integer.parseInt(args[4]));
        } else if (args.length >= 6 && args[0].equals("create")) {
            code = create(args[1], args[2], Integer.parseInt(args[3]), Short.parseShort(args[4]),
                    Integer.parseInt(args[5]), configs(Arrays.asList(args).subList(6, args.length)));
        } else if (args.length == 5 && args[0].equals("await-isr")) {
            code = awaitIsr(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if ((args.length == 7 || args.length == 8) && args[0].equals("failover")) {
            code = failover(args[1], args[2], pids(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    Integer.parseInt(args[6]), args.length == 8 ? args[7] : "unknown");
        } else {
            System.err.println("usage: see the class comment of bench/src/ClusterBench.java");
            code = 2;
        }
        System.exit(code);
    }

    // ---------------------------------------------------------------- cluster start-up

    private static int awaitCluster(String bootstrap, int nodes, long t0, int timeoutS) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        try (Admin admin = admin(bootstrap)) {
            int listed = -1;
            while (System.nanoTime() < deadline) {
                listed = brokerCount(admin);
                if (listed >= nodes) {
                    System.out.println("ready_ms=" + (System.currentTimeMillis() - t0));
                    return 0;
                }
                Thread.sleep(POLL_MS);
            }
            System.out.println("ready_ms=FAIL brokers=" + listed);
            System.err.println(nodes + " brokers not listed within " + timeoutS + " s (last count " + listed + ")");
            return 1;
        }
    }

    private static int brokerCount(Admin admin) throws InterruptedException {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
        } catch (ExecutionException | TimeoutException e) {
            return -1; // not answering yet
        }
    }

    // ---------------------------------------------------------------- topic creation

    private static int create(String bootstrap, String topic, int partitions, short rf, int timeoutS,
            Map<String, String> configs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        // The request may take the whole limit: a client-side timeout would resend it and see TopicExists instead.
        Properties slow = new Properties();
        slow.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        slow.put(AdminClientConfig.CLIENT_ID_CONFIG, "brook-bench-create");
        slow.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutS * 1000);
        slow.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutS * 1000);
        try (Admin creator = Admin.create(slow); Admin admin = admin(bootstrap)) {
            long start = System.nanoTime();
            String answered;
            try {
                creator.createTopics(List.of(new NewTopic(topic, partitions, rf).configs(configs))).all()
                        .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                answered = String.format("create_ms=%.0f", (System.nanoTime() - start) / 1e6);
            } catch (ExecutionException e) {
                answered = String.format("create_ms=FAIL create_error=%s after_ms=%.0f",
                        e.getCause().getClass().getSimpleName(), (System.nanoTime() - start) / 1e6);
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                    System.out.println(answered + " ready_ms=FAIL");
                    System.err.println("CreateTopics failed: " + e.getCause());
                    return 1;
                }
                // A timed-out CreateTopics may still complete, as in Kafka: keep watching the partitions.
                System.err.println("CreateTopics answered with a timeout, watching whether the partitions appear "
                        + "anyway: " + e.getCause());
            } catch (TimeoutException e) {
                System.out.println("create_ms=FAIL ready_ms=FAIL");
                System.err.println("CreateTopics not answered within " + timeoutS + " s");
                return 1;
            }
            int ready = 0;
            while (System.nanoTime() < deadline) {
                ready = readyPartitions(admin, topic);
                if (ready == partitions) {
                    System.out.printf("%s ready_ms=%.0f%n", answered, (System.nanoTime() - start) / 1e6);
                    return 0;
                }
                Thread.sleep(POLL_MS);
            }
            System.out.printf("%s ready_ms=FAIL ready=%d/%d%n", answered, ready, partitions);
            System.err.println("only " + ready + " of " + partitions + " partitions had a leader and a full ISR "
                    + timeoutS + " s after CreateTopics");
            return 1;
        }
    }

    /** Partitions of the topic with a leader and ISR = replicas; 0 while the topic is unknown or no answer. */
    private static int readyPartitions(Admin admin, String topic) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            int ready = 0;
            for (TopicPartitionInfo p : description.partitions()) {
                if (p.leader() != null && !p.leader().isEmpty() && ids(p.isr()).equals(ids(p.replicas()))) {
                    ready++;
                }
            }
            return ready;
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
    }

    private static int awaitIsr(String bootstrap, String topic, int nodes, int timeoutS) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        try (Admin admin = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                if (brokerCount(admin) >= nodes && fullIsr(admin, topic)) {
                    return 0;
                }
                Thread.sleep(POLL_MS);
            }
        }
        System.err.println(nodes + " brokers and a full ISR on " + topic + " not seen within " + timeoutS + " s");
        return 1;
    }

    private static boolean fullIsr(Admin admin, String topic) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            return readyPartitions(admin, topic) == description.partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- failover

    private record Ack(long sentNanos, long ackNanos) {}

    private static int failover(String bootstrap, String topic, Map<Integer, Long> pids, int rate, long warmupMs,
            int timeoutS, String quorumLeaderHint) throws Exception {
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        // set just before the kill; the first acknowledgement of a record sent after it ends the measurement
        AtomicLong killAt = new AtomicLong(Long.MAX_VALUE);
        AtomicReference<Ack> recovery = new AtomicReference<>();
        CountDownLatch recovered = new CountDownLatch(1);
        byte[] value = new byte[100];
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (Admin admin = admin(bootstrap);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            sender.scheduleAtFixedRate(() -> {
                long sentAt = System.nanoTime();
                sent.incrementAndGet();
                producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, exception) -> {
                    if (exception == null) {
                        Ack ack = new Ack(sentAt, System.nanoTime());
                        acks.add(ack);
                        if (sentAt > killAt.get() && recovery.compareAndSet(null, ack)) {
                            recovered.countDown();
                        }
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, exception);
                    }
                });
            }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
            Thread.sleep(warmupMs);
            if (acks.isEmpty()) {
                System.out.println("failover_ms=FAIL gap_ms=FAIL");
                System.err.println("no record acknowledged during the " + warmupMs + " ms warm-up: " + firstError.get());
                return 1;
            }
            TopicPartitionInfo info = admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().get(0);
            int leader = info.leader().id();
            Long pid = pids.get(leader);
            if (pid == null) {
                System.out.println("failover_ms=FAIL gap_ms=FAIL");
                System.err.println("leader " + leader + " is not one of the nodes " + pids);
                return 1;
            }
            String quorumLeader = quorumLeader(admin, quorumLeaderHint);
            ProcessHandle process = ProcessHandle.of(pid).orElse(null);
            if (process == null || !process.isAlive()) {
                System.out.println("failover_ms=FAIL gap_ms=FAIL");
                System.err.println("process " + pid + " of leader " + leader + " is not running");
                return 1;
            }
            long sentBefore = sent.get();
            long kill = System.nanoTime();
            killAt.set(kill);
            process.destroyForcibly(); // SIGKILL on Linux
            recovered.await(timeoutS, TimeUnit.SECONDS);
            String where = "killed=" + leader + " quorum_leader=" + quorumLeader + " isr_before=" + ids(info.isr());
            if (recovery.get() == null) {
                System.out.println("failover_ms=FAIL gap_ms=FAIL " + where);
                System.err.println("no acks=all produce sent after the kill of node " + leader
                        + " was acknowledged within " + timeoutS + " s; failed sends " + failed.get() + ", first: "
                        + firstError.get());
                return 1;
            }
            long recoveredAt = recovery.get().ackNanos();
            List<Long> times = acks.stream().map(Ack::ackNanos)
                    .filter(t -> t >= kill - TimeUnit.SECONDS.toNanos(2) && t <= recoveredAt).sorted()
                    .collect(Collectors.toList());
            long gap = 0;
            for (int i = 1; i < times.size(); i++) {
                gap = Math.max(gap, times.get(i) - times.get(i - 1));
            }
            long newLeader = newLeader(admin, topic);
            System.out.printf("failover_ms=%.0f gap_ms=%.0f %s new_leader=%d sent_before_kill=%d failed_sends=%d%n",
                    (recoveredAt - kill) / 1e6, gap / 1e6, where, newLeader, sentBefore, failed.get());
            if (firstError.get() != null) {
                System.err.println("first failed send: " + firstError.get());
            }
            return 0;
        } finally {
            sender.shutdownNow();
            sender.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Properties producerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "brook-bench-failover");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** The metadata quorum's leader id from DescribeQuorum, or {@code hint} when the broker does not answer it. */
    private static String quorumLeader(Admin admin, String hint) throws InterruptedException {
        try {
            return Integer.toString(admin.describeMetadataQuorum().quorumInfo().get(5, TimeUnit.SECONDS).leaderId());
        } catch (ExecutionException | TimeoutException e) {
            return hint;
        }
    }

    private static long newLeader(Admin admin, String topic) throws InterruptedException {
        try {
            Node leader = admin.describeTopics(Set.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic)
                    .partitions().get(0).leader();
            return leader == null ? -1 : leader.id();
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "brook-bench-cluster");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    private static Set<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static Map<String, String> configs(List<String> nameValues) {
        Map<String, String> configs = new HashMap<>();
        for (String nv : nameValues) {
            int eq = nv.indexOf('=');
            configs.put(nv.substring(0, eq), nv.substring(eq + 1));
        }
        return configs;
    }

    private static Map<Integer, Long> pids(String spec) {
        Map<Integer, Long> pids = new HashMap<>();
        for (String entry : spec.split(",")) {
            String[] kv = entry.split("=");
            pids.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
        }
        return pids;
    }
}
