package io.brook.metadata.quorum;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Voters (and listeners) of one quorum in this JVM on loopback ports, each with its own storage directory under
 * {@code root} and its own {@link CountingStateMachine}. Small timeouts keep the tests fast.
 */
final class TestCluster implements AutoCloseable {

    /** Small for fast tests, yet above scheduling hiccups on a loaded build machine (spurious elections). */
    static final Duration ELECTION_TIMEOUT = Duration.ofMillis(500);
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(5000);

    /** One node: its config survives restarts, its state machine and quorum are replaced. */
    static final class Node {
        final QuorumConfig config;
        CountingStateMachine machine;
        MetadataQuorum quorum;

        Node(QuorumConfig config) {
            this.config = config;
        }

        boolean running() {
            return quorum != null;
        }
    }

    private final Path root;
    private final QuorumVoters voters;
    private final long snapshotThreshold;
    private final Map<Integer, Node> nodes = new LinkedHashMap<>();

    TestCluster(Path root, int voterCount, long snapshotThreshold) {
        this.root = root;
        this.snapshotThreshold = snapshotThreshold;
        List<QuorumEndpoint> endpoints = new ArrayList<>();
        for (int id = 1; id <= voterCount; id++) {
            endpoints.add(new QuorumEndpoint(id, "127.0.0.1", TestPorts.free()));
        }
        this.voters = QuorumVoters.of(endpoints);
        for (QuorumEndpoint endpoint : endpoints) {
            nodes.put(endpoint.id(), new Node(tune(QuorumConfig.voter(endpoint.id(), voters, dir(endpoint.id())))));
        }
    }

    private Path dir(int id) {
        return root.resolve("node-" + id).resolve("__cluster_metadata");
    }

    private QuorumConfig tune(QuorumConfig config) {
        // Tiny segments so that purging after a snapshot really deletes log a lagging node would need.
        return config.withElectionTimeout(ELECTION_TIMEOUT).withRequestTimeout(REQUEST_TIMEOUT)
                .withSnapshotThreshold(snapshotThreshold).withSegmentBytes(1024);
    }

    /** Adds a listener node (not started). */
    Node addListener(int id) {
        QuorumEndpoint address = new QuorumEndpoint(id, "127.0.0.1", TestPorts.free());
        Node node = new Node(tune(QuorumConfig.listener(address, voters, dir(id))));
        nodes.put(id, node);
        return node;
    }

    QuorumVoters voters() {
        return voters;
    }

    Node node(int id) {
        return nodes.get(id);
    }

    MetadataQuorum quorum(int id) {
        return nodes.get(id).quorum;
    }

    CountingStateMachine machine(int id) {
        return nodes.get(id).machine;
    }

    void startAll() {
        nodes.keySet().forEach(this::start);
    }

    void start(int id) {
        Node node = nodes.get(id);
        node.machine = new CountingStateMachine("node-" + id);
        node.quorum = new MetadataQuorum(node.config, node.machine);
        try {
            node.quorum.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop(int id) {
        Node node = nodes.get(id);
        try {
            node.quorum.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node.quorum = null;
    }

    /** Waits until the running voters agree on one ready leader and returns its id. */
    int awaitLeader() {
        return await().atMost(Duration.ofSeconds(15)).until(this::readyLeader, id -> id > 0);
    }

    private int readyLeader() {
        for (Map.Entry<Integer, Node> e : nodes.entrySet()) {
            if (e.getValue().running() && e.getValue().quorum.isLeader()) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** Some running voter that is not the leader. */
    int follower(int leader) {
        return nodes.entrySet().stream()
                .filter(e -> e.getKey() != leader && e.getValue().running()
                        && e.getValue().config.role() == QuorumRole.VOTER)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        // In parallel: each close takes up to a second (Ratis's log worker poll).
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.running()) {
                MetadataQuorum quorum = node.quorum;
                node.quorum = null;
                closing.add(CompletableFuture.runAsync(() -> {
                    try {
                        quorum.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }
}
