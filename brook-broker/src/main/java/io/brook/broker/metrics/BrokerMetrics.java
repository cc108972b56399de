package io.brook.broker.metrics;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.apache.kafka.common.protocol.ApiKeys;

import io.brook.broker.BrokerServices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * What the data path and the request dispatch record: bytes and messages in, bytes out (broker-wide and per topic) and
 * each API's request count and latency. Meters are resolved once per topic and API and cached, so the hot path is a
 * map lookup and an atomic add, with no allocation per record or request.
 *
 * <p>Names follow Kafka's MBeans (docs/architecture.md lists each one's MBean). Thread-safe: recorded from every event
 * loop and coordinator thread.
 */
public final class BrokerMetrics {

    /** Records nothing: for brokers started without a registry (unit tests, metrics turned off). */
    public static final BrokerMetrics NONE = new BrokerMetrics(new CompositeMeterRegistry(), false);

    private final MeterRegistry registry;
    /** False only for {@link #NONE}: its recording methods return at once, so metrics off cost a branch. */
    private final boolean enabled;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter messagesIn;
    private final ConcurrentHashMap<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final List<Runnable> scrapeHooks = new CopyOnWriteArrayList<>();
    private final AtomicReferenceArray<Timer> requestTimers = new AtomicReferenceArray<>(maxApiKey() + 1);
    private final AtomicReferenceArray<Timer> queueTimers = new AtomicReferenceArray<>(maxApiKey() + 1);

    public BrokerMetrics(MeterRegistry registry) {
        this(registry, true);
    }

    private BrokerMetrics(MeterRegistry registry, boolean enabled) {
        this.registry = registry;
        this.enabled = enabled;
        this.bytesIn = Counter.builder("kafka.server.bytes.in")
                .description("Bytes appended by producers (BrokerTopicMetrics BytesInPerSec)").register(registry);
        this.bytesOut = Counter.builder("kafka.server.bytes.out")
                .description("Bytes sent to fetchers (BrokerTopicMetrics BytesOutPerSec)").register(registry);
        this.messagesIn = Counter.builder("kafka.server.messages.in")
                .description("Records appended by producers (BrokerTopicMetrics MessagesInPerSec)").register(registry);
    }

    /** The broker's metrics registered in {@code services}, or {@link #NONE}. */
    public static BrokerMetrics of(BrokerServices services) {
        return services.find(BrokerMetrics.class).orElse(NONE);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A produce appended {@code records} records of {@code bytes} bytes (batches as sent) to a partition of topic. */
    public void onProduce(String topic, int bytes, long records) {
        if (!enabled) {
            return;
        }
        TopicMeters meters = topic(topic);
        bytesIn.increment(bytes);
        messagesIn.increment(records);
        meters.bytesIn.increment(bytes);
        meters.messagesIn.increment(records);
    }

    /** A fetch returned {@code bytes} bytes of a partition of topic (consumers and followers alike). */
    public void onFetch(String topic, int bytes) {
        if (!enabled || bytes <= 0) {
            return;
        }
        bytesOut.increment(bytes);
        topic(topic).bytesOut.increment(bytes);
    }

    /** A request of {@code api} took {@code nanos} from dispatch to its response being ready. */
    public void onRequest(ApiKeys api, long nanos) {
        if (!enabled) {
            return;
        }
        Timer timer = requestTimers.get(api.id);
        if (timer == null) {
            timer = Timer.builder("kafka.network.request.time").tag("request", api.name)
                    .description("Time from dispatch to response (RequestMetrics TotalTimeMs; count: RequestsPerSec)")
                    .publishPercentiles(0.5, 0.99, 0.999).register(registry);
            requestTimers.set(api.id, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A request of {@code api} waited {@code nanos} from its frame being read off the connection to its handler being
     * called (Kafka's RequestQueueTimeMs: behind the connection's in-flight limit, a throttle or the event loop).
     */
    public void onRequestQueued(ApiKeys api, long nanos) {
        if (!enabled) {
            return;
        }
        Timer timer = queueTimers.get(api.id);
        if (timer == null) {
            timer = Timer.builder("kafka.network.request.queue.time").tag("request", api.name)
                    .description("Time from the request being read to its handler being called (RequestMetrics"
                            + " RequestQueueTimeMs)")
                    .publishPercentiles(0.5, 0.99, 0.999).register(registry);
            queueTimers.set(api.id, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code hook} before every scrape: for gauges whose set of series changes (one per partition). */
    public void addScrapeHook(Runnable hook) {
        scrapeHooks.add(hook);
    }

    /** Brings the scrape-time gauges up to date; the scraper calls it before reading the registry. */
    public void beforeScrape() {
        for (Runnable hook : scrapeHooks) {
            hook.run();
        }
    }

    /** The clock the request timings read (the registry's, so tests can inject it). */
    public long monotonicNanos() {
        return registry.config().clock().monotonicTime();
    }

    /** Forgets a deleted topic's meters. */
    public void onTopicDeleted(String topic) {
        TopicMeters meters = topics.remove(topic);
        if (meters != null) {
            registry.remove(meters.bytesIn);
            registry.remove(meters.bytesOut);
            registry.remove(meters.messagesIn);
        }
    }

    private TopicMeters topic(String topic) {
        TopicMeters meters = topics.get(topic);
        return meters != null ? meters : topics.computeIfAbsent(topic, this::newTopicMeters);
    }

    private TopicMeters newTopicMeters(String topic) {
        return new TopicMeters(
                Counter.builder("kafka.server.topic.bytes.in").tag("topic", topic)
                        .description("Bytes appended to the topic (BrokerTopicMetrics BytesInPerSec,topic=)")
                        .register(registry),
                Counter.builder("kafka.server.topic.bytes.out").tag("topic", topic)
                        .description("Bytes fetched from the topic (BrokerTopicMetrics BytesOutPerSec,topic=)")
                        .register(registry),
                Counter.builder("kafka.server.topic.messages.in").tag("topic", topic)
                        .description("Records appended to the topic (BrokerTopicMetrics MessagesInPerSec,topic=)")
                        .register(registry));
    }

    private record TopicMeters(Counter bytesIn, Counter bytesOut, Counter messagesIn) {
    }

    private static int maxApiKey() {
        int max = 0;
        for (ApiKeys key : ApiKeys.values()) {
            max = Math.max(max, key.id);
        }
        return max;
    }
}
