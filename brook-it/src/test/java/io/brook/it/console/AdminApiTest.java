package io.brook.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.brook.http.HttpCall;
import io.brook.http.HttpReply;
import io.brook.http.HttpRoutes;
import io.brook.http.api.AdminApi;
import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;

/**
 * The admin REST API's routes called directly (no HTTP server in between) against a real broker: the JSON they
 * answer and the statuses of their failures (400, 404, 409).
 */
// group.initial.rebalance.delay.ms=0: classic members here join empty groups, which would otherwise wait out
// Kafka's 3 s delay for more members; no test here is about that delay.
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminApiTest {

    private static AdminApi api;
    private static final HttpRoutes ROUTES = new HttpRoutes();

    @BeforeAll
    static void startApi(BrookBroker broker) {
        api = AdminApi.connectedTo(broker::bootstrapServers, Map.of(), "test");
        api.addRoutes(ROUTES);
    }

    @AfterAll
    static void closeApi() {
        api.close();
    }

    private static Reply call(String method, String pathAndQuery, String body) throws Exception {
        String path = pathAndQuery.contains("?")
                ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
                : pathAndQuery;
        Map<String, List<String>> query = new java.util.HashMap<>();
        if (pathAndQuery.contains("?")) {
            for (String pair : pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], List.of(kv.length > 1 ? kv[1] : ""));
            }
        }
        HttpCall call = new HttpCall(method, path, Map.of(), query, Map.of(),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), Optional.empty());
        HttpReply reply = ROUTES.match(method, path).orElseThrow().handle(call);
        return new Reply(reply.status(), HttpReply.JSON.readTree(reply.body()));
    }

    private record Reply(int status, JsonNode json) {
    }

    @Test
    void shouldDescribeTheClusterWithItsLogDirs() throws Exception {
        Reply reply = call("GET", "/api/cluster", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("brokers")).hasSize(1);
        assertThat(reply.json().path("brokers").get(0).path("logDirs")).isNotEmpty();
        assertThat(reply.json().path("controller").isNull()).isFalse();
    }

    @Test
    void shouldCreateListDescribeAndDeleteATopic() throws Exception {
        String topic = JavaClients.uniqueTopic("api-topic");

        assertThat(call("POST", "/api/topics", "{\"name\":\"" + topic + "\",\"partitions\":3,"
                + "\"configs\":{\"retention.ms\":\"60000\"}}").status()).isEqualTo(201);
        Reply list = call("GET", "/api/topics?search=" + topic.toUpperCase() + "&size=10", null);
        Reply one = call("GET", "/api/topics/" + topic, null);
        Reply configs = call("GET", "/api/topics/" + topic + "/configs", null);

        assertThat(list.json().path("total").asInt()).isEqualTo(1);
        assertThat(list.json().path("topics").get(0).path("partitions").asInt()).isEqualTo(3);
        assertThat(one.json().path("partitions")).hasSize(3);
        assertThat(one.json().path("partitions").get(0).path("endOffset").asLong()).isZero();
        assertThat(configs.json().path("configs").toString()).contains("\"name\":\"retention.ms\",\"value\":\"60000\"");
        assertThat(call("POST", "/api/topics", "{\"name\":\"" + topic + "\"}").status()).isEqualTo(409);

        assertThat(call("DELETE", "/api/topics/" + topic, null).status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> call("GET", "/api/topics/" + topic, null).status() == 404);
    }

    @Test
    void shouldChangeTopicConfigs() throws Exception {
        String topic = JavaClients.uniqueTopic("api-configs");
        JavaClients.createTopic(broker(), topic, 1);

        Reply changed = call("PUT", "/api/topics/" + topic + "/configs", "{\"set\":{\"cleanup.policy\":\"compact\"}}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("configs").toString())
                .contains("\"name\":\"cleanup.policy\",\"value\":\"compact\"");
        assertThat(call("PUT", "/api/topics/" + topic + "/configs", "{}").status()).isEqualTo(400);
    }

    @Test
    void shouldProduceAndBrowseMessagesByOffsetAndTime() throws Exception {
        String topic = JavaClients.uniqueTopic("api-messages");
        JavaClients.createTopic(broker(), topic, 1);
        long before = System.currentTimeMillis();

        for (int i = 0; i < 5; i++) {
            Reply produced = call("POST", "/api/topics/" + topic + "/messages",
                    "{\"key\":\"k" + i + "\",\"value\":\"{\\\"n\\\":" + i + "}\",\"headers\":{\"h\":\"x\"}}");
            assertThat(produced.status()).isEqualTo(201);
        }
        Reply fromTwo = call("GET", "/api/topics/" + topic + "/messages?partition=0&offset=2&limit=2", null);
        Reply byTime = call("GET", "/api/topics/" + topic + "/messages?partition=0&timestamp=" + before, null);

        assertThat(fromTwo.json().path("messages")).hasSize(2);
        JsonNode first = fromTwo.json().path("messages").get(0);
        assertThat(first.path("offset").asLong()).isEqualTo(2);
        assertThat(first.path("key").path("text").asText()).isEqualTo("k2");
        assertThat(first.path("value").path("format").asText()).isEqualTo("json");
        assertThat(first.path("value").path("json").path("n").asInt()).isEqualTo(2);
        assertThat(first.path("headers").get(0).path("value").path("text").asText()).isEqualTo("x");
        assertThat(byTime.json().path("messages")).hasSize(5);
    }

    @Test
    void shouldAnswerNotFoundAndBadRequestWithAClearMessage() throws Exception {
        Reply missing = call("GET", "/api/topics/no-such-topic", null);
        Reply badJson = call("POST", "/api/topics", "{not json");
        Reply badPage = call("GET", "/api/topics?size=abc", null);
        Reply missingGroup = call("GET", "/api/groups/no-such-group", null);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).contains("no-such-topic").contains("does not exist");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badPage.status()).isEqualTo(400);
        assertThat(missingGroup.status()).isEqualTo(404);
    }

    @Test
    void shouldShowLagAndRefuseToResetAnActiveGroup() throws Exception {
        String topic = JavaClients.uniqueTopic("api-group");
        String group = JavaClients.uniqueGroup("api-group");
        JavaClients.createTopic(broker(), topic, 1);
        for (int i = 0; i < 4; i++) {
            call("POST", "/api/topics/" + topic + "/messages", "{\"value\":\"v" + i + "\"}");
        }
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker(), group,
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
            consumer.commitSync(Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(1)));

            Reply active = call("GET", "/api/groups/" + group, null);
            Reply refused = call("POST", "/api/groups/" + group + "/reset-offsets", "{\"to\":\"earliest\"}");

            assertThat(active.json().path("members")).hasSize(1);
            assertThat(active.json().path("totalLag").asLong()).isEqualTo(3);
            assertThat(refused.status()).isEqualTo(409);
        }
        Reply reset = call("POST", "/api/groups/" + group + "/reset-offsets", "{\"to\":\"offset\",\"offset\":2}");
        Reply after = call("GET", "/api/groups/" + group, null);
        Reply groups = call("GET", "/api/groups", null);

        assertThat(reset.status()).isEqualTo(200);
        assertThat(after.json().path("offsets").get(0).path("committedOffset").asLong()).isEqualTo(2);
        assertThat(after.json().path("totalLag").asLong()).isEqualTo(2);
        assertThat(groups.json().path("groups").toString()).contains(group);
    }

    @Test
    void shouldSayAclsAreOffWithoutAnAuthorizer() throws Exception {
        Reply acls = call("GET", "/api/acls", null);

        assertThat(acls.status()).isEqualTo(200);
        assertThat(acls.json().path("enabled").asBoolean()).isFalse();
        assertThat(call("GET", "/api/users", null).status()).isEqualTo(200);
    }

    private static BrookBroker broker;

    @BeforeAll
    static void keepBroker(BrookBroker given) {
        broker = given;
    }

    private static BrookBroker broker() {
        return broker;
    }
}
