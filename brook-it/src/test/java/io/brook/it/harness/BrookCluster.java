package io.brook.it.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Brook cluster of N broker processes on loopback, owned by one test: each node has free ports, its own data
 * directory and log ({@code <workDir>/node-<id>/}), and KRaft-style configuration ({@code node.id},
 * {@code process.roles}, {@code controller.quorum.voters}, {@code controller.listener.names=CONTROLLER},
 * {@code listeners}, {@code inter.broker.listener.name}). The first {@code controllers} nodes are combined
 * broker+controller voters, the others brokers only.
 *
 * <p>A node built {@linkplain Builder#proxied(int) proxied} routes its inter-broker and quorum traffic through
 * {@link TcpProxy}s: the cluster then gives every node a third listener REPLICATION for inter-broker traffic; the
 * proxied node advertises its REPLICATION listener and is listed among the voters at its proxies' ports, and its own
 * view of the other voters goes through proxies of its own. Its client listener (PLAINTEXT) stays direct, so a test can
 * still talk to it while it is {@linkplain #isolate(int) isolated}.
 *
 * <p>{@link #close()} stops every node (SIGTERM, bounded) and fails if any node's log has a Netty leak report or an
 * ERROR line not declared with {@link #expectLogLine(Pattern)} or {@link ClusterNode#expectLogLine(Pattern)}.
 *
 * <p>Thread-safe for the lifecycle and query methods; the awaits block the calling thread (bounded).
 */
public final class BrookCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrookCluster.class);
    /** Several JVMs start at once on a shared 2-core machine; a node is ready only once a quorum runs. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final Path workDir;
    private final Map<Integer, ClusterNode> nodes;
    private final Map<Integer, List<TcpProxy>> proxiesByNode;
    private final Set<Integer> startLater;

    private BrookCluster(Path workDir, Map<Integer, ClusterNode> nodes, Map<Integer, List<TcpProxy>> proxiesByNode,
            Set<Integer> startLater) {
        this.workDir = workDir;
        this.nodes = nodes;
        this.proxiesByNode = proxiesByNode;
        this.startLater = Set.copyOf(startLater);
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public Path workDir() {
        return workDir;
    }

    /** Node ids, ascending. */
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    public ClusterNode node(int id) {
        ClusterNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
        }
        return node;
    }

    public List<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** host:port of every broker's client listener, running or not (clients skip the dead ones). */
    public String bootstrapServers() {
        return nodes.values().stream().filter(ClusterNode::isBroker).map(ClusterNode::bootstrapServers)
                .collect(Collectors.joining(","));
    }

    /** The cluster as a {@link BrookBroker} for {@link JavaClients}: bootstrap to every node, no lifecycle. */
    public BrookBroker clients() {
        return new ClusterClients(this);
    }

    /**
     * Launches every node (except those built to {@linkplain Builder#startLater(int) start later}), waits until each
     * answers and until all are registered and unfenced.
     */
    public void start() {
        List<ClusterNode> initial = nodes.values().stream().filter(n -> !startLater.contains(n.id())).toList();
        initial.forEach(ClusterNode::launch);
        initial.forEach(ClusterNode::awaitReady);
        awaitBrokersRegistered(initial.stream().filter(ClusterNode::isBroker).map(ClusterNode::id).toList());
        LOG.info("cluster of {} nodes up: {}{}", initial.size(), bootstrapServers(),
                startLater.isEmpty() ? "" : " (to be added later: " + new TreeSet<>(startLater) + ")");
    }

    /**
     * Adds a broker that the cluster did not start with to the running cluster: starts it and waits until it is
     * registered and unfenced beside the running nodes.
     */
    public void addBroker(int id) {
        ClusterNode node = node(id);
        if (node.isRunning()) {
            throw new IllegalStateException(node + " runs already");
        }
        node.start();
        awaitBrokersRegistered(runningBrokers());
        LOG.info("{} added to the cluster", node);
    }

    public void kill(int id) {
        node(id).kill();
    }

    public void stop(int id) {
        node(id).stop();
    }

    /** Starts a stopped or killed node on its data and waits until it is registered and unfenced again. */
    public void restart(int id) {
        ClusterNode node = node(id);
        if (node.isRunning()) {
            node.stop();
        }
        node.start();
        awaitBrokersRegistered(runningBrokers());
    }

    /** Ids of the nodes with the broker role whose process runs now. */
    public Set<Integer> runningBrokers() {
        return nodes.values().stream().filter(n -> n.isBroker() && n.isRunning()).map(ClusterNode::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Ids of the nodes whose process runs now. */
    public Set<Integer> running() {
        return nodes.values().stream().filter(ClusterNode::isRunning).map(ClusterNode::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Cuts every proxy of a node built {@linkplain Builder#proxied(int) proxied}: it can no longer reach its peers. */
    public void isolate(int id) {
        proxiesOf(id).forEach(TcpProxy::cut);
    }

    /** Heals the proxies of an {@linkplain #isolate(int) isolated} node. */
    public void heal(int id) {
        proxiesOf(id).forEach(TcpProxy::heal);
    }

    private List<TcpProxy> proxiesOf(int id) {
        List<TcpProxy> proxies = proxiesByNode.get(id);
        if (proxies == null || proxies.isEmpty()) {
            throw new IllegalArgumentException("node " + id + " was not built proxied");
        }
        return proxies;
    }

    /** Declares log lines matching {@code pattern} as expected on every node (for example after a kill). */
    public void expectLogLine(Pattern pattern) {
        nodes.values().forEach(n -> n.expectLogLine(pattern));
    }

    /** An admin client bootstrapped to every node, with short timeouts suited to polling. */
    public Admin admin() {
        return admin(Duration.ofSeconds(10));
    }

    /** An admin client bootstrapped to every node whose calls time out after {@code apiTimeout}. */
    public Admin admin(Duration apiTimeout) {
        int timeout = (int) apiTimeout.toMillis();
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 5_000)));
    }

    /** Creates a topic with {@code replicationFactor} and topic configs, then waits until every ISR is full. */
    public void createTopic(String topic, int partitions, int replicationFactor, Map<String, String> configs) {
        createTopic(new NewTopic(topic, partitions, (short) replicationFactor).configs(configs));
    }

    /** Creates a topic with an explicit assignment (partition to replica ids, preferred leader first), then waits. */
    public void createTopic(String topic, Map<Integer, List<Integer>> assignment, Map<String, String> configs) {
        createTopic(new NewTopic(topic, assignment).configs(configs));
    }

    private void createTopic(NewTopic topic) {
        try (Admin admin = admin(Duration.ofSeconds(30))) {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not create " + topic, e);
        }
        awaitFullIsr(topic.name());
    }

    /** Waits until DescribeCluster lists exactly {@code ids} (registered and unfenced). */
    public void awaitBrokersRegistered(Collection<Integer> ids) {
        Set<Integer> expected = new TreeSet<>(ids);
        await("brokers " + expected + " registered and unfenced", () -> {
            try (Admin admin = admin()) {
                Set<Integer> listed = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                        .map(Node::id).collect(Collectors.toCollection(TreeSet::new));
                return listed.equals(expected);
            }
        });
    }

    /** The current description of a partition (leader, replicas, ISR) from Metadata. */
    public TopicPartitionInfo describe(TopicPartition partition) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(Set.of(partition.topic())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(partition.topic());
            return description.partitions().get(partition.partition());
        } catch (Exception e) {
            throw new AssertionError("could not describe " + partition, e);
        }
    }

    /** Waits until the partition has a leader and returns its id. */
    public int leaderOf(TopicPartition partition) {
        return awaitLeader(partition, Set.of());
    }

    /** Waits until the partition has a leader not in {@code excluded} and returns its id. */
    public int awaitLeader(TopicPartition partition, Set<Integer> excluded) {
        int[] leader = {-1};
        await("a leader of " + partition + " outside " + excluded, () -> {
            Node node = describe(partition).leader();
            if (node == null || node.isEmpty() || excluded.contains(node.id())) {
                return false;
            }
            leader[0] = node.id();
            return true;
        });
        return leader[0];
    }

    /** Waits until the partition's ISR is exactly {@code isr}. */
    public void awaitIsr(TopicPartition partition, Collection<Integer> isr) {
        Set<Integer> expected = new TreeSet<>(isr);
        await("ISR of " + partition + " = " + expected, () -> ids(describe(partition).isr()).equals(expected));
    }

    /** Waits until every partition of the topic has a leader and an ISR equal to its replica set. */
    public void awaitFullIsr(String topic) {
        await("full ISR on every partition of " + topic, () -> {
            try (Admin admin = admin()) {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(topic);
                return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()
                        && ids(p.isr()).equals(ids(p.replicas())));
            }
        });
    }

    static Set<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(AWAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(condition);
    }

    /**
     * Stops every node at once (SIGTERM, each bounded), as an operator stops a whole cluster, and checks every node's
     * log; one node's failure does not keep the others running. Stopping the nodes one by one would leave the last
     * ones to shut down without a quorum.
     */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        java.util.concurrent.ExecutorService stoppers = java.util.concurrent.Executors.newFixedThreadPool(nodes.size());
        try {
            List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
            for (ClusterNode node : nodes.values()) {
                stops.add(stoppers.submit(node::shutDownAndCheckLog));
            }
            List<ClusterNode> ordered = List.copyOf(nodes.values());
            for (int i = 0; i < stops.size(); i++) {
                try {
                    stops.get(i).get(2, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(ordered.get(i) + ": " + e.getCause().getMessage());
                } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
                    failures.add(ordered.get(i) + ": stop and log check did not finish: " + e);
                }
            }
        } finally {
            stoppers.shutdownNow();
            proxiesByNode.values().forEach(list -> list.forEach(TcpProxy::close));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("cluster " + workDir + ":\n" + String.join("\n", failures));
        }
    }

    /**
     * Builds a cluster; nothing runs until {@link BrookCluster#start()}. Not thread-safe (one test thread).
     */
    public static final class Builder {
        private final Path workDir;
        private int nodeCount = 3;
        private int controllers = -1;
        private final Set<Integer> proxied = new LinkedHashSet<>();
        private final Set<Integer> bootstrapOnly = new LinkedHashSet<>();
        private final Set<Integer> controllerOnly = new LinkedHashSet<>();
        private final List<String> overrides = new ArrayList<>();
        private final Map<Integer, List<String>> nodeOverrides = new HashMap<>();
        private final Set<Integer> startLater = new LinkedHashSet<>();
        private String replicationProtocol;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        public Builder nodes(int count) {
            this.nodeCount = count;
            return this;
        }

        /** How many of the nodes (ids 1..n) are quorum voters; default min(nodes, 3). */
        public Builder controllers(int count) {
            this.controllers = count;
            return this;
        }

        /** Routes the inter-broker and quorum traffic of node {@code id} through proxies (see the class javadoc). */
        public Builder proxied(int id) {
            proxied.add(id);
            return this;
        }

        /**
         * Node {@code id}, which must be broker-only, is told only {@code controller.quorum.bootstrap.servers} (the
         * first voter's address) instead of {@code controller.quorum.voters}, and finds the voters itself.
         */
        public Builder bootstrapOnly(int id) {
            bootstrapOnly.add(id);
            return this;
        }

        /** Voter {@code id} runs {@code process.roles=controller}: no Kafka listener, no partitions. */
        public Builder controllerOnly(int id) {
            controllerOnly.add(id);
            return this;
        }

        /** A {@code name=value} property for every node. */
        public Builder override(String nameValue) {
            overrides.add(nameValue);
            return this;
        }

        public Builder overrides(Collection<String> nameValues) {
            overrides.addAll(nameValues);
            return this;
        }

        /** A {@code name=value} property for node {@code id} only. */
        public Builder nodeOverride(int id, String nameValue) {
            nodeOverrides.computeIfAbsent(id, k -> new ArrayList<>()).add(nameValue);
            return this;
        }

        /**
         * Gives every node a REPLICATION listener with security protocol {@code protocol} (e.g. SSL) as the
         * inter-broker listener; its ssl.* settings come from {@link #override(String)}.
         */
        public Builder replicationProtocol(String protocol) {
            this.replicationProtocol = protocol;
            return this;
        }

        /** Node {@code id} (a broker-only node) is not started by {@link BrookCluster#start()}; see addBroker. */
        public Builder startLater(int id) {
            startLater.add(id);
            return this;
        }

        public BrookCluster build() {
            int voters = controllers < 0 ? Math.min(nodeCount, 3) : controllers;
            if (voters < 1 || voters > nodeCount) {
                throw new IllegalArgumentException("controllers must be in 1.." + nodeCount + ", was " + voters);
            }
            for (int id : startLater) {
                if (id <= voters || id > nodeCount) {
                    throw new IllegalArgumentException("only a broker-only node (" + (voters + 1) + ".." + nodeCount
                            + ") can start later, not " + id);
                }
            }
            for (int id : bootstrapOnly) {
                if (id <= voters || id > nodeCount) {
                    throw new IllegalArgumentException("bootstrap-only node " + id + " must be a broker-only node ("
                            + (voters + 1) + ".." + nodeCount + ")");
                }
            }
            for (int id : controllerOnly) {
                if (id > voters || proxied.contains(id)) {
                    throw new IllegalArgumentException("controller-only node " + id + " must be an unproxied voter (1.."
                            + voters + ")");
                }
            }
            if (controllerOnly.size() == nodeCount) {
                throw new IllegalArgumentException("a cluster needs at least one node with the broker role");
            }
            boolean replicationListener = !proxied.isEmpty() || replicationProtocol != null;
            // per node: client, replication, controller port
            int[] ports = FreePorts.pick(nodeCount * 3);
            Map<Integer, int[]> portsById = new LinkedHashMap<>();
            for (int id = 1; id <= nodeCount; id++) {
                int base = (id - 1) * 3;
                portsById.put(id, new int[]{ports[base], ports[base + 1], ports[base + 2]});
            }
            Map<Integer, List<TcpProxy>> proxies = new LinkedHashMap<>();
            // how everyone else reaches node id's replication and controller listeners
            Map<Integer, Integer> advertisedReplication = new HashMap<>();
            Map<Integer, Integer> advertisedController = new HashMap<>();
            for (int id = 1; id <= nodeCount; id++) {
                int[] p = portsById.get(id);
                advertisedReplication.put(id, p[1]);
                advertisedController.put(id, p[2]);
                if (proxied.contains(id)) {
                    TcpProxy replication = TcpProxy.start("to-" + id + "-replication", 0, p[1]);
                    proxies.computeIfAbsent(id, k -> new ArrayList<>()).add(replication);
                    advertisedReplication.put(id, replication.port());
                    if (id <= voters) {
                        TcpProxy controller = TcpProxy.start("to-" + id + "-controller", 0, p[2]);
                        proxies.get(id).add(controller);
                        advertisedController.put(id, controller.port());
                    }
                }
            }
            String clusterId = Uuid.randomUuid().toString();
            Map<Integer, ClusterNode> nodes = new LinkedHashMap<>();
            for (int id = 1; id <= nodeCount; id++) {
                int[] p = portsById.get(id);
                boolean controller = id <= voters;
                StringBuilder voterList = new StringBuilder();
                for (int v = 1; v <= voters; v++) {
                    int port = advertisedController.get(v);
                    if (proxied.contains(id) && v != id) {
                        // the isolated node's own way out to each voter
                        TcpProxy out = TcpProxy.start("from-" + id + "-to-" + v + "-controller", 0,
                                portsById.get(v)[2]);
                        proxies.get(id).add(out);
                        port = out.port();
                    }
                    voterList.append(voterList.length() == 0 ? "" : ",").append(v).append("@localhost:").append(port);
                }
                List<String> config = new ArrayList<>();
                config.add("node.id=" + id);
                boolean broker = !controllerOnly.contains(id);
                config.add("process.roles=" + (!broker ? "controller" : controller ? "broker,controller" : "broker"));
                config.add("cluster.id=" + clusterId);
                if (bootstrapOnly.contains(id)) {
                    config.add("controller.quorum.bootstrap.servers=localhost:" + advertisedController.get(1));
                } else {
                    config.add("controller.quorum.voters=" + voterList);
                }
                config.add("controller.listener.names=CONTROLLER");
                if (!broker) {
                    config.add("listeners=CONTROLLER://localhost:" + p[2]);
                    config.add("listener.security.protocol.map=CONTROLLER:PLAINTEXT");
                } else {
                    String listeners = "PLAINTEXT://localhost:" + p[0];
                    String advertised = "PLAINTEXT://localhost:" + p[0];
                    String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
                    if (replicationListener) {
                        listeners += ",REPLICATION://localhost:" + p[1];
                        advertised += ",REPLICATION://localhost:" + advertisedReplication.get(id);
                        protocols += ",REPLICATION:"
                                + (replicationProtocol == null ? "PLAINTEXT" : replicationProtocol);
                    }
                    if (controller) {
                        listeners += ",CONTROLLER://localhost:" + p[2];
                    }
                    config.add("listeners=" + listeners);
                    config.add("advertised.listeners=" + advertised);
                    config.add("listener.security.protocol.map=" + protocols);
                    config.add("inter.broker.listener.name=" + (replicationListener ? "REPLICATION" : "PLAINTEXT"));
                }
                config.addAll(overrides);
                config.addAll(nodeOverrides.getOrDefault(id, List.of()));
                Path nodeDir = workDir.resolve("node-" + id);
                ProcessBroker process = new ProcessBroker(BrokerLauncher.fromEnvironment(), p[0], config, nodeDir,
                        READY_TIMEOUT, broker);
                nodes.put(id, new ClusterNode(id, controller, broker, p[0], controller ? p[2] : -1, process));
            }
            return new BrookCluster(workDir, nodes, proxies, startLater);
        }
    }

    /** The whole cluster seen as one bootstrap string; lifecycle calls abort, they belong to single nodes. */
    private record ClusterClients(BrookCluster cluster) implements BrookBroker {
        @Override
        public String bootstrapServers() {
            return cluster.bootstrapServers();
        }

        @Override
        public int port() {
            return firstBroker().port();
        }

        @Override
        public int httpPort() {
            return firstBroker().httpPort();
        }

        private ClusterNode firstBroker() {
            return cluster.nodes().stream().filter(ClusterNode::isBroker).findFirst().orElseThrow();
        }

        @Override
        public boolean isManaged() {
            return false;
        }

        @Override
        public Path dataDir() {
            throw new UnsupportedOperationException("a cluster has one data directory per node");
        }

        @Override
        public Path logFile() {
            throw new UnsupportedOperationException("a cluster has one log per node");
        }

        @Override
        public void kill() {
            throw new UnsupportedOperationException("kill a node: BrookCluster.kill(id)");
        }

        @Override
        public void stop() {
            throw new UnsupportedOperationException("stop a node: BrookCluster.stop(id)");
        }

        @Override
        public void restart() {
            throw new UnsupportedOperationException("restart a node: BrookCluster.restart(id)");
        }

        @Override
        public void expectLogLine(Pattern pattern) {
            cluster.expectLogLine(pattern);
        }
    }
}
