package io.brook.http.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients the admin API works through, connected to the node's own Kafka listener so the API behaves the
 * same on one node or a cluster. One {@link Admin} and one producer are made on first use and shared (both are
 * thread-safe); a consumer is made per message browse, since consumers are not thread-safe. Every wait is bounded by
 * {@link #timeout()}. Thread-safe; {@link #close} once when the HTTP side stops.
 */
public final class KafkaClients implements AutoCloseable {

    private final Supplier<String> bootstrap;
    private final Map<String, Object> extra;
    private final Duration timeout;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean closed;

    /**
     * @param bootstrap the node's own Kafka listener, {@code host:port}
     * @param extra more client settings (security protocol, SASL login) applied to every client
     * @param timeout the bound of every Kafka call the API makes
     */
    public KafkaClients(String bootstrap, Map<String, Object> extra, Duration timeout) {
        this(() -> bootstrap, extra, timeout);
    }

    /**
     * @param bootstrap asked when a client is made, so the HTTP side can start before the broker has bound its port
     */
    public KafkaClients(Supplier<String> bootstrap, Map<String, Object> extra, Duration timeout) {
        this.bootstrap = bootstrap;
        this.extra = Map.copyOf(extra);
        this.timeout = timeout;
    }

    /** The settings every client shares: the listener's address and security, our client id. */
    private Map<String, Object> common() {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
        settings.put(CommonClientConfigs.CLIENT_ID_CONFIG, "brook-admin-api");
        return settings;
    }

    public Duration timeout() {
        return timeout;
    }

    public int timeoutMs() {
        return (int) timeout.toMillis();
    }

    public synchronized Admin admin() {
        ensureOpen();
        if (admin == null) {
            Map<String, Object> settings = common();
            settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs());
            settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
            admin = Admin.create(settings);
        }
        return admin;
    }

    public synchronized KafkaProducer<byte[], byte[]> producer() {
        ensureOpen();
        if (producer == null) {
            Map<String, Object> settings = common();
            settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs());
            settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
            settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs() + 1000);
            settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** A new consumer without a group, for one browse; the caller closes it. */
    public KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> settings = common();
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs());
        settings.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The future's value within the timeout; failures come out as the cause (see {@link ApiErrors}). */
    public <T> T await(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no answer within " + timeout.toMillis() + " ms");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(timeout);
        }
        if (admin != null) {
            admin.close(timeout);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The admin API's Kafka clients are closed");
        }
    }
}
