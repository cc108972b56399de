package io.brook.broker.handlers.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.logging.InMemoryLoggerLevels;
import io.brook.broker.logging.LoggerLevels;
import io.brook.broker.testing.FakeLogManager;
import io.brook.metadata.LocalMetadataStore;

/**
 * A node with a real metadata store, a fake log manager and the admin handler family, as a JUnit extension: register
 * it with {@code @RegisterExtension} and each test gets a fresh node in a fresh temporary directory, closed and
 * deleted after the test. Used from the test thread only.
 */
final class AdminTestContext implements BeforeEachCallback, AfterEachCallback {

    static final int NODE_ID = 1;
    static final String LISTENER = "PLAINTEXT";

    private final Map<String, String> props;
    private Path dir;
    LocalMetadataStore metadata;
    FakeLogManager logManager;
    BrokerContext context;
    HandlerFamily family;
    /** The node's logger levels (BROKER_LOGGER): the root, io.brook and io.brook.broker exist. */
    final InMemoryLoggerLevels loggerLevels = new InMemoryLoggerLevels().declare("io.brook")
            .declare("io.brook.broker");

    AdminTestContext() {
        this(Map.of());
    }

    /** A node whose broker config is {@code props} over the defaults. */
    AdminTestContext(Map<String, String> props) {
        this.props = Map.copyOf(props);
    }

    @Override
    public void beforeEach(ExtensionContext extensionContext) throws IOException {
        dir = Files.createTempDirectory("brook-admin-test");
        start(props);
    }

    @Override
    public void afterEach(ExtensionContext extensionContext) throws IOException {
        try {
            stop();
        } finally {
            Utils.delete(dir.toFile());
        }
    }

    /** Stops the node and starts it again in the same directory, with {@code props} as its broker config. */
    void restart(Map<String, String> props) {
        stop();
        start(props);
    }

    /** The node's temporary directory, which is also the fake log manager's only log dir. */
    Path dir() {
        return dir;
    }

    private void start(Map<String, String> props) {
        Map<String, String> all = new HashMap<>(props);
        all.put(BrokerConfig.NODE_ID, Integer.toString(NODE_ID));
        all.putIfAbsent(BrokerConfig.LOG_DIRS, dir.resolve("logs").toString());
        BrokerConfig config = BrokerConfig.parse(all);
        metadata = LocalMetadataStore.open(dir.resolve("metadata"), Time.SYSTEM);
        logManager = new FakeLogManager(List.of(dir.toString()));
        context = new BrokerContext(config, "test-cluster", NODE_ID,
                List.of(new Endpoint(LISTENER, SecurityProtocol.PLAINTEXT, "localhost", 9092)), metadata,
                logManager, Time.SYSTEM);
        context.services().register(LoggerLevels.class, loggerLevels);
        family = AdminHandlers.create(context);
    }

    private void stop() {
        family.close();
        metadata.close();
    }

    /**
     * Handles the request at its version, then checks the response serialises at that version, as the network
     * layer will do it.
     */
    @SuppressWarnings("unchecked")
    <R extends AbstractRequest, S extends AbstractResponse> S call(R request) throws Exception {
        ApiKeys key = request.apiKey();
        ApiHandler<R> handler = (ApiHandler<R>) family.handlers().stream()
                .filter(h -> h.apiKey() == key)
                .findFirst()
                .orElseThrow();
        RequestHeader header = new RequestHeader(key, request.version(), "test-client", 7);
        RequestContext requestContext = new RequestContext(header, InetAddress.getLoopbackAddress(), LISTENER,
                "connection-1");
        AbstractResponse response = handler.handle(requestContext, request).get(10, TimeUnit.SECONDS);
        MessageUtil.toByteBufferAccessor(response.data(), request.version());
        return (S) response;
    }
}
