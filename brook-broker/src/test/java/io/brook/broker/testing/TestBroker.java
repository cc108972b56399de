package io.brook.broker.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.utils.Time;

import io.brook.broker.Broker;
import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.config.BrokerConfig;

/** A broker on an ephemeral port over in-memory metadata and storage, for network-level tests. */
public final class TestBroker implements AutoCloseable {

    private final Broker broker;
    private final InMemoryMetadataStore metadata;
    private final FakeLogManager logs;

    private TestBroker(Broker broker, InMemoryMetadataStore metadata, FakeLogManager logs) {
        this.broker = broker;
        this.metadata = metadata;
        this.logs = logs;
    }

    public static TestBroker start(Path dir, Map<String, String> overrides,
            List<Function<BrokerContext, HandlerFamily>> families) throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0");
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.putAll(overrides);
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        FakeLogManager[] logs = new FakeLogManager[1];
        Broker broker = Broker.start(BrokerConfig.parse(props), Time.SYSTEM, (dirs, defaults, time) -> {
            logs[0] = new FakeLogManager(dirs.stream().map(Path::toString).toList());
            return logs[0];
        }, (metadataDir, time) -> metadata, families);
        return new TestBroker(broker, metadata, logs[0]);
    }

    public static TestBroker start(Path dir) throws IOException {
        return start(dir, Map.of(), List.of());
    }

    public Broker broker() {
        return broker;
    }

    public InMemoryMetadataStore metadata() {
        return metadata;
    }

    public FakeLogManager logs() {
        return logs;
    }

    public int port() {
        return broker.boundPort("PLAINTEXT");
    }

    public String bootstrapServers() {
        return "localhost:" + port();
    }

    @Override
    public void close() {
        broker.close();
    }
}
