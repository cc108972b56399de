package io.brook.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/** /metrics of a real broker while a Java producer and a consumer group work: the numbers move as they should. */
// group.initial.rebalance.delay.ms=0: classic members here join empty groups, which would otherwise wait out
// Kafka's 3 s delay for more members; no test here is about that delay.
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
class MetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int RECORDS = 300;
    private static final String VALUE = "v".repeat(100);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Test
    void shouldCountProducedAndFetchedRecordsAndLagWhenClientsWork(BrookBroker broker) throws Exception {
        String topic = JavaClients.uniqueTopic("metrics");
        String group = JavaClients.uniqueGroup("metrics");
        JavaClients.createTopic(broker, topic, 2);
        Map<String, Double> before = scrape(broker);

        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, VALUE));
            }
            producer.flush();
        }
        List<TopicPartition> partitions = JavaClients.partitions(topic, 2);
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, group, Map.of())) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < RECORDS && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).isEqualTo(RECORDS);
            consumer.commitSync();
        }

        Map<String, Double> after = scrape(broker);
        assertThat(after.get("kafka_server_topic_messages_in_total{topic=\"" + topic + "\"}"))
                .isEqualTo((double) RECORDS);
        assertThat(after.get("kafka_server_topic_bytes_in_total{topic=\"" + topic + "\"}"))
                .isGreaterThanOrEqualTo((double) RECORDS * VALUE.length());
        assertThat(after.get("kafka_server_bytes_in_total") - before.get("kafka_server_bytes_in_total"))
                .isGreaterThanOrEqualTo((double) RECORDS * VALUE.length());
        assertThat(after.get("kafka_server_topic_bytes_out_total{topic=\"" + topic + "\"}"))
                .isGreaterThanOrEqualTo((double) RECORDS * VALUE.length());
        for (String api : List.of("Produce", "Fetch", "Metadata", "OffsetCommit")) {
            String count = "kafka_network_request_time_seconds_count{request=\"" + api + "\"}";
            assertThat(after.get(count)).as(count).isGreaterThan(before.getOrDefault(count, 0.0));
        }
        assertThat(after).containsKey("kafka_network_request_time_seconds{request=\"Produce\",quantile=\"0.99\"}");
        String queued = "kafka_network_request_queue_time_seconds_count{request=\"Produce\"}";
        assertThat(after.get(queued)).as(queued).isGreaterThan(before.getOrDefault(queued, 0.0));
        for (TopicPartition partition : partitions) {
            String size = "kafka_log_size_bytes{partition=\"" + partition.partition() + "\",topic=\"" + topic + "\"}";
            assertThat(after.get(size)).as(size).isPositive();
        }
        assertThat(after.get("kafka_server_replica_manager_under_replicated_partitions")).isZero();
        assertThat(after.get("kafka_controller_active_controller_count")).isEqualTo(1.0);
        assertThat(after).containsKey("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}");
        Awaitility.await("group lag 0 after the commit").atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, Double> now = scrape(broker);
            for (TopicPartition partition : partitions) {
                String lag = "kafka_consumergroup_lag{group=\"" + group + "\",partition=\"" + partition.partition()
                        + "\",topic=\"" + topic + "\"}";
                assertThat(now.get(lag)).as(lag).isZero();
            }
        });
    }

    @Test
    void shouldServeOpenMetricsWhenAsked(BrookBroker broker) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(broker.httpUrl() + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow())
                .startsWith("application/openmetrics-text");
        assertThat(response.body()).endsWith("# EOF\n");
    }

    /** The scrape in text format 0.0.4 as series (name with its labels, as printed) to value. */
    private Map<String, Double> scrape(BrookBroker broker) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(broker.httpUrl() + "/metrics")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        Map<String, Double> series = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }
}
