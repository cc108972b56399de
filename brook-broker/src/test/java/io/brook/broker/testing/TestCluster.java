package io.brook.broker.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;
import io.brook.metadata.Endpoint;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.storage.DefaultLogManager;
import io.brook.storage.PartitionLog;

/**
 * Several real brokers in one JVM (real storage, each in its own directory, each on a fixed loopback port chosen at
 * start so it keeps its registered endpoint across a restart) over one {@link ClusterMetadataStore} in which every
 * broker is registered and unfenced.
 */
public final class TestCluster implements AutoCloseable {

    private final Path dir;
    private final Map<String, String> overrides;
    private final ClusterMetadataStore store = new ClusterMetadataStore();
    private final Map<Integer, Integer> ports = new TreeMap<>();
    private final Map<Integer, Broker> brokers = new TreeMap<>();

    private TestCluster(Path dir, Map<String, String> overrides) {
        this.dir = dir;
        this.overrides = overrides;
    }

    /** Starts brokers 1..size. */
    public static TestCluster start(Path dir, int size, Map<String, String> overrides) throws IOException {
        TestCluster cluster = new TestCluster(dir, overrides);
        try {
            for (int id = 1; id <= size; id++) {
                int port = freePort();
                cluster.ports.put(id, port);
                cluster.store.run(new MetadataCommand.RegisterBroker(id, Uuid.randomUuid(),
                        List.of(new Endpoint("PLAINTEXT", "localhost", port, "PLAINTEXT")), null));
                long epoch = cluster.store.image().broker(id).orElseThrow().epoch();
                cluster.store.run(new MetadataCommand.UnfenceBroker(id, epoch));
            }
            for (int id = 1; id <= size; id++) {
                cluster.startBroker(id);
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public ClusterMetadataStore metadata() {
        return store;
    }

    /** (Re)starts broker {@code id} on its port and directory. */
    public Broker startBroker(int id) throws IOException {
        Map<String, String> props = new HashMap<>(overrides);
        props.put(BrokerConfig.NODE_ID, Integer.toString(id));
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:" + ports.get(id));
        props.put(BrokerConfig.LOG_DIRS, dir.resolve("broker-" + id).toString());
        Broker broker = Broker.start(BrokerConfig.parse(props), Time.SYSTEM, DefaultLogManager::open,
                (metadataDir, time) -> store.view(id), Broker.STANDARD_FAMILIES);
        brokers.put(id, broker);
        return broker;
    }

    public void stopBroker(int id) {
        Broker broker = brokers.remove(id);
        if (broker != null) {
            broker.close();
        }
    }

    public Broker broker(int id) {
        return brokers.get(id);
    }

    public String bootstrap(int... ids) {
        return java.util.Arrays.stream(ids).mapToObj(id -> "localhost:" + ports.get(id))
                .collect(Collectors.joining(","));
    }

    /** Creates a topic with an explicit assignment (partition → replicas, the first one leading). */
    public void createTopic(String name, Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
        CommandReply reply = store.run(new MetadataCommand.CreateTopics(List.of(new MetadataCommand.NewTopic(name,
                Uuid.randomUuid(), -1, (short) -1, assignments, configs)), 0));
        CommandReply.TopicResult result = ((CommandReply.TopicResults) reply).topics().get(0);
        if (result.errorCode() != 0) {
            throw Errors.forCode(result.errorCode()).exception(result.message());
        }
    }

    /** Broker {@code id}'s log of a partition. */
    public PartitionLog log(int id, TopicPartition topicPartition) {
        return brokers.get(id).context().logManager().get(topicPartition).orElseThrow();
    }

    private static int freePort() {
        return TestPorts.free();
    }

    @Override
    public void close() {
        for (Integer id : List.copyOf(brokers.keySet())) {
            stopBroker(id);
        }
        store.close();
    }
}
