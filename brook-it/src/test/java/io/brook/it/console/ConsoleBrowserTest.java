package io.brook.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ConsoleBrowser;
import io.brook.it.harness.JavaClients;

/**
 * The web console in headless Chromium against a real broker: cluster overview, create a topic, produce a test
 * message, browse it, and a consumer group's lag and offset reset. Each page's screenshot is kept under
 * brook-it/target/console-screenshots. One browser and one broker for the class; the tests build on each other.
 */
// group.initial.rebalance.delay.ms=0: classic members here join empty groups, which would otherwise wait out
// Kafka's 3 s delay for more members; no test here is about that delay.
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String TOPIC = JavaClients.uniqueTopic("console-orders");
    private static final String GROUP = JavaClients.uniqueGroup("console-group");

    private static ConsoleBrowser browser;
    private static String console;

    @BeforeAll
    static void openBrowser(BrookBroker broker) {
        browser = ConsoleBrowser.start();
        console = ConsoleUrls.base(broker) + "/console/";
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void shouldShowTheClusterOverview() {
        // when
        browser.open(console + "#/cluster");

        // then
        assertThat(browser.visible(By.id("cluster-id")).getText()).isNotBlank();
        assertThat(browser.visible(By.id("broker-count")).getText()).isEqualTo("1");
        browser.screenshot("01-cluster");
    }

    @Test
    @Order(2)
    void shouldCreateATopicFromTheTopicsPage() {
        // given
        browser.open(console + "#/topics");
        browser.visible(By.id("topics"));

        // when
        browser.type(By.id("new-topic-name"), TOPIC);
        browser.type(By.id("new-topic-partitions"), "2");
        browser.type(By.id("new-topic-configs"), "retention.ms=3600000");
        browser.screenshot("02-topics-create");
        browser.click(By.id("create-topic-button"));

        // then: the console moves to the new topic's page, with both partitions
        browser.waitForText(By.id("topic-title"), TOPIC);
        browser.visible(By.id("partitions"));
        assertThat(browser.all(By.cssSelector("#partitions tbody tr"))).hasSize(2);
        browser.waitForText(By.id("config-table"), "retention.ms");
        browser.screenshot("03-topic");
    }

    @Test
    @Order(3)
    void shouldProduceATestMessageAndBrowseIt() {
        // given
        browser.open(console + "#/topic/" + TOPIC);
        browser.visible(By.id("produce"));

        // when
        browser.type(By.id("produce-key"), "order-1");
        browser.type(By.id("produce-value"), "{\"amount\": 42}");
        browser.type(By.id("produce-headers"), "source=console");
        browser.driver().findElement(By.cssSelector("#produce-partition option[value='1']")).click();
        browser.click(By.id("produce-button"));
        browser.waitForText(By.id("flash"), "Produced to partition 1 at offset 0");
        browser.driver().findElement(By.cssSelector("#browse-partition option[value='1']")).click();
        browser.click(By.id("browse-button"));

        // then
        browser.visible(By.cssSelector("#message-table .message-row"));
        String row = browser.visible(By.cssSelector("#message-table .message-row")).getText();
        assertThat(row).contains("order-1").contains("\"amount\": 42").contains("json").contains("source=console");
        browser.screenshot("04-messages");
    }

    @Test
    @Order(4)
    void shouldShowAGroupsLagAndResetItsOffsets(BrookBroker broker) throws Exception {
        // given: a group that read 3 of 10 messages on partition 0, then stopped
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i)).get(10, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, GROUP,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 3, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"))) {
            consumer.subscribe(List.of(TOPIC));
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
            consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0),
                    new OffsetAndMetadata(3)));
        }

        // when
        browser.open(console + "#/groups");
        browser.click(By.linkText(GROUP));

        // then: lag 7 on partition 0 (the committed offset is 3 of 10)
        browser.waitForText(By.id("group-title"), GROUP);
        browser.waitForText(By.id("total-lag"), "7");
        browser.waitForText(By.id("group-state"), "Empty");
        browser.visible(By.id("lag-svg"));
        browser.screenshot("05-group-lag");

        // when: reset to latest
        browser.driver().findElement(By.cssSelector("#reset-to option[value='latest']")).click();
        browser.click(By.id("reset-button"));

        // then
        browser.waitForText(By.id("flash"), "Offsets reset to latest");
        browser.waitForText(By.id("total-lag"), "0");
        assertThat(JavaClients.committedOffsets(broker, GROUP))
                .containsEntry(new TopicPartition(TOPIC, 0), 10L);
        browser.screenshot("06-group-reset");
    }

    @Test
    @Order(5)
    void shouldShowTheGroupsAndSecurityPages() {
        browser.open(console + "#/groups");
        browser.waitForText(By.id("groups"), GROUP);
        browser.screenshot("07-groups");

        browser.open(console + "#/security");
        browser.visible(By.id("users"));
        browser.screenshot("08-security");
    }
}
