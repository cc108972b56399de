package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;
import io.brook.it.harness.TlsBroker;

/**
 * ACL authorization with mutual TLS principals: the broker runs Kafka's
 * {@code authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer}; its PLAINTEXT listener
 * (ANONYMOUS) is the operator's, made a super user; {@code User:alice} and {@code User:bob} connect over SSL with
 * their certificates. ACLs are added with the kafka-acls CLI and with the Admin client.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AclAuthorizationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String BOB = "bob";
    private static TlsBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TlsBroker.start(AclAuthorizationTest.class, "required",
                List.of("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users=User:ANONYMOUS"),
                List.of(BOB));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldLimitUserToItsPrefixWhenKafkaAclsGrantsReadOnPrefix() throws Exception {
        // given two teams' topics, with records, and alice allowed to read team-a-* and use group team-a-app
        String mine = JavaClients.uniqueTopic("team-a-orders");
        String theirs = JavaClients.uniqueTopic("team-b-payments");
        JavaClients.createTopic(broker.plaintext(), mine, 1);
        JavaClients.createTopic(broker.plaintext(), theirs, 1);
        produceAsOperator(mine, "a1", "a2");
        produceAsOperator(theirs, "b1");
        aclsCli("--add", "--allow-principal", "User:alice", "--operation", "Read", "--topic", "team-a-",
                "--resource-pattern-type", "prefixed");
        aclsCli("--add", "--allow-principal", "User:alice", "--operation", "Read", "--group", "team-a-app");
        awaitAcl("User:alice", ResourceType.GROUP);

        // then Metadata shows alice only her team's topics
        try (Admin admin = Admin.create(broker.sslClientConfig(TlsBroker.CLIENT))) {
            Set<String> visible = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(visible).contains(mine).doesNotContain(theirs);
        }
        // she reads her topic in her group and commits
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker.plaintext(), "team-a-app",
                asAlice())) {
            consumer.subscribe(List.of(mine));
            List<String> values = new ArrayList<>();
            Awaitility.await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= 2;
            });
            assertThat(values).containsExactly("a1", "a2");
            consumer.commitSync(TIMEOUT);
        }
        // and cannot read the other team's topic
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker.plaintext(), asAlice())) {
            TopicPartition other = new TopicPartition(theirs, 0);
            consumer.assign(List.of(other));
            consumer.seekToBeginning(List.of(other));
            assertThatThrownBy(() -> pollUntilFailure(consumer)).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseConsumerGroupWhenGroupReadIsMissing() throws Exception {
        // given alice may read the topic but not use the group
        String topic = JavaClients.uniqueTopic("team-a-nogroup");
        JavaClients.createTopic(broker.plaintext(), topic, 1);
        aclsCli("--add", "--allow-principal", "User:alice", "--operation", "Read", "--topic", topic);
        awaitAcl("User:alice", ResourceType.TOPIC);

        // when she joins an unauthorized group
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker.plaintext(),
                JavaClients.uniqueGroup("forbidden"), asAlice())) {
            consumer.subscribe(List.of(topic));

            // then
            assertThatThrownBy(() -> pollUntilFailure(consumer)).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseProducerWhenWriteIsMissingAndAllowItOnceGranted() throws Exception {
        // given bob may write only to bob-* topics
        String topic = JavaClients.uniqueTopic("team-a-events");
        JavaClients.createTopic(broker.plaintext(), topic, 1);
        try (Admin admin = JavaClients.admin(broker.plaintext())) {
            admin.createAcls(List.of(acl("bob-", PatternType.PREFIXED, AclOperation.WRITE))).all().get(30,
                    TimeUnit.SECONDS);
        }
        awaitAcl("User:bob", ResourceType.TOPIC);

        // then a write to another topic is refused
        Map<String, Object> config = new HashMap<>(broker.sslClientConfig(BOB));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker.plaintext(), config)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "x")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }

        // and once granted (Admin), the write goes through
        try (Admin admin = JavaClients.admin(broker.plaintext())) {
            admin.createAcls(List.of(acl(topic, PatternType.LITERAL, AclOperation.WRITE))).all().get(30,
                    TimeUnit.SECONDS);
            Collection<AclBinding> described = admin.describeAcls(bobsAcls()).values().get(30, TimeUnit.SECONDS);
            assertThat(described).contains(acl(topic, PatternType.LITERAL, AclOperation.WRITE),
                    acl("bob-", PatternType.PREFIXED, AclOperation.WRITE));
        }
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker.plaintext(), config)) {
            Awaitility.await().atMost(TIMEOUT).ignoreExceptions()
                    .until(() -> producer.send(new ProducerRecord<>(topic, "y")).get(10, TimeUnit.SECONDS) != null);
        }

        // when the ACLs are deleted (Admin), they are gone
        try (Admin admin = JavaClients.admin(broker.plaintext())) {
            Collection<AclBinding> deleted = admin.deleteAcls(List.of(bobsAcls())).all().get(30, TimeUnit.SECONDS);
            assertThat(deleted).hasSize(2);
            assertThat(admin.describeAcls(bobsAcls()).values().get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void shouldCommitTheAuthorizedTopicAndRefuseTheOtherWhenOneCommitNamesBoth() throws Exception {
        // given alice may read one of two topics and only see the other (so her consumer's metadata has both), and
        // use the group
        String mine = JavaClients.uniqueTopic("commit-mine");
        String theirs = JavaClients.uniqueTopic("commit-theirs");
        String group = JavaClients.uniqueGroup("commit-both");
        JavaClients.createTopic(broker.plaintext(), mine, 1);
        JavaClients.createTopic(broker.plaintext(), theirs, 1);
        aclsCli("--add", "--allow-principal", "User:alice", "--operation", "Read", "--topic", mine);
        aclsCli("--add", "--allow-principal", "User:alice", "--operation", "Describe", "--topic", theirs);
        aclsCli("--add", "--allow-principal", "User:alice", "--operation", "Read", "--group", group);
        awaitAcl("User:alice", ResourceType.GROUP);

        // when one commit names both topics
        TopicPartition allowed = new TopicPartition(mine, 0);
        TopicPartition refused = new TopicPartition(theirs, 0);
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker.plaintext(), group,
                asAlice())) {
            consumer.assign(List.of(allowed, refused));
            assertThatThrownBy(() -> consumer.commitSync(Map.of(allowed, new OffsetAndMetadata(0),
                    refused, new OffsetAndMetadata(0)), TIMEOUT))
                    .isInstanceOfSatisfying(TopicAuthorizationException.class,
                            e -> assertThat(e.unauthorizedTopics()).containsExactly(theirs));
        }

        // then the authorized topic's offset was committed, and only it
        assertThat(JavaClients.committedOffsets(broker.plaintext(), group)).isEqualTo(Map.of(allowed, 0L));
    }

    @Test
    void shouldDeleteTheAuthorizedTopicAndRefuseTheOtherWhenOneRequestNamesBoth() throws Exception {
        // given alice may delete one of two topics
        String deletable = JavaClients.uniqueTopic("delete-mine");
        String kept = JavaClients.uniqueTopic("delete-theirs");
        JavaClients.createTopic(broker.plaintext(), deletable, 1);
        JavaClients.createTopic(broker.plaintext(), kept, 1);
        aclsCli("--add", "--allow-principal", "User:alice", "--operation", "Delete", "--topic", deletable);
        awaitAcl("User:alice", ResourceType.TOPIC);

        // when she deletes both in one request
        try (Admin admin = Admin.create(broker.sslClientConfig(TlsBroker.CLIENT))) {
            var result = admin.deleteTopics(List.of(deletable, kept)).topicNameValues();

            // then each topic has its own answer
            result.get(deletable).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> result.get(kept).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = JavaClients.admin(broker.plaintext())) {
            Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                    admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(kept).doesNotContain(deletable));
        }
    }

    @Test
    void shouldListAclsWithKafkaAclsCli() {
        aclsCli("--add", "--deny-principal", "User:mallory", "--operation", "All", "--topic", "*");

        ExternalCommand.Result list = aclsCli("--list", "--topic", "*");

        assertThat(list.stdout()).contains("User:mallory").contains("DENY");
    }

    private static Map<String, Object> asAlice() {
        Map<String, Object> config = new HashMap<>(broker.sslClientConfig(TlsBroker.CLIENT));
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return config;
    }

    private static void pollUntilFailure(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
    }

    private static AclBinding acl(String topic, PatternType patternType, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, patternType),
                new AccessControlEntry("User:bob", "*", operation, AclPermissionType.ALLOW));
    }

    private static AclBindingFilter bobsAcls() {
        return new AclBindingFilter(new ResourcePatternFilter(ResourceType.ANY, null, PatternType.ANY),
                new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY));
    }

    /** ACLs reach the authorizer through the metadata publisher, just after CreateAcls answers. */
    private static void awaitAcl(String principal, ResourceType type) {
        try (Admin admin = JavaClients.admin(broker.plaintext())) {
            Awaitility.await().atMost(TIMEOUT).until(() -> !admin.describeAcls(new AclBindingFilter(
                    new ResourcePatternFilter(type, null, PatternType.ANY),
                    new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY)))
                    .values().get(10, TimeUnit.SECONDS).isEmpty());
        }
    }

    private static void produceAsOperator(String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker.plaintext(), Map.of())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, 0, null, value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static ExternalCommand.Result aclsCli(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.plaintext().bootstrapServers()));
        all.addAll(List.of(args));
        ExternalCommand.Result result = KafkaTool.command("org.apache.kafka.tools.AclCommand",
                all.toArray(String[]::new)).timeout(Duration.ofSeconds(60)).run();
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        return result;
    }
}
