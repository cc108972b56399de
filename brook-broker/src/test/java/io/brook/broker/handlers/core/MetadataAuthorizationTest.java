package io.brook.broker.handlers.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ConnectionSession;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.AclAuthorizer;
import io.brook.broker.authz.Authorization;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataImage;

/**
 * Metadata under ACL authorization: hidden topics, TOPIC_AUTHORIZATION_FAILED, authorized operations; and the cost of
 * authorization with 10,000 ACLs against none, printed (no timing assertion).
 */
class MetadataAuthorizationTest {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataAuthorizationTest.class);
    private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final AclAuthorizer authorizer = new AclAuthorizer(Set.of(), false);

    @Test
    void shouldHideTopicsWhenPrincipalMayNotDescribeThem() {
        store.createTopic("team-a-orders", 1, (short) 1, Map.of());
        store.createTopic("team-b-payments", 1, (short) 1, Map.of());
        acls(readPrefix("team-a-"));
        MetadataHandler handler = handler(new Authorization(authorizer));

        MetadataResponse all = handle(handler, new MetadataRequestData().setTopics(null));
        MetadataResponse named = handle(handler, new MetadataRequestData().setIncludeTopicAuthorizedOperations(true)
                .setTopics(List.of(new MetadataRequestTopic().setName("team-a-orders"),
                        new MetadataRequestTopic().setName("team-b-payments"))));

        assertThat(all.data().topics()).extracting(MetadataResponseTopic::name).containsExactly("team-a-orders");
        assertThat(named.data().topics()).extracting(t -> Errors.forCode(t.errorCode()))
                .containsExactly(Errors.NONE, Errors.TOPIC_AUTHORIZATION_FAILED);
        assertThat(named.data().topics().find("team-a-orders").topicAuthorizedOperations()).isEqualTo(
                Utils.to32BitField(
                        Set.of(AclOperation.READ.code(), AclOperation.DESCRIBE.code())));
    }

    @Test
    void shouldPrintMetadataRequestsPerSecondWithTenThousandAclsAgainstNone() {
        for (int i = 0; i < 100; i++) {
            store.createTopic("team-a-" + i, 1, (short) 1, Map.of());
        }
        List<AclEntry> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(new AclEntry(ResourceType.TOPIC, "other-" + i, i % 2 == 0
                    ? PatternType.LITERAL
                    : PatternType.PREFIXED, "User:u" + i, "*", AclOperation.READ, AclPermissionType.ALLOW));
        }
        many.add(readPrefix("team-a-"));
        acls(many.toArray(AclEntry[]::new));
        MetadataRequestData allTopics = new MetadataRequestData().setTopics(null);

        double none = requestsPerSecond(handler(Authorization.ALLOW_ALL), allTopics);
        double withAcls = requestsPerSecond(handler(new Authorization(authorizer)), allTopics);

        LOG.info("Metadata (100 topics) requests/s: no authorizer {}, 10,001 ACLs {}", Math.round(none),
                Math.round(withAcls));
        assertThat(handle(handler(new Authorization(authorizer)), allTopics).data().topics()).hasSize(100);
    }

    private double requestsPerSecond(MetadataHandler handler, MetadataRequestData data) {
        for (int i = 0; i < 2_000; i++) {
            handle(handler, data);
        }
        int rounds = 5_000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            handle(handler, data);
        }
        return rounds / ((System.nanoTime() - start) / 1e9);
    }

    private void acls(AclEntry... acls) {
        MetadataImage empty = MetadataImage.EMPTY;
        authorizer.update(new MetadataImage(empty.topicsByName(), empty.topicsById(), empty.brokerConfigs(),
                empty.brokers(), empty.nextProducerId(), empty.voters(), Set.of(acls)));
    }

    private static AclEntry readPrefix(String prefix) {
        return new AclEntry(ResourceType.TOPIC, prefix, PatternType.PREFIXED, "User:alice", "*", AclOperation.READ,
                AclPermissionType.ALLOW);
    }

    private MetadataHandler handler(Authorization authorization) {
        BrokerContext context = new BrokerContext(BrokerConfig.parse(Map.of()), "cluster-x", 7,
                List.of(new Endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "localhost", 9092)), store,
                new FakeLogManager(List.of()), Time.SYSTEM);
        if (authorization.enabled()) {
            context.services().register(Authorization.class, authorization);
        }
        return new MetadataHandler(context, Runnable::run);
    }

    private static MetadataResponse handle(MetadataHandler handler, MetadataRequestData data) {
        short version = ApiKeys.METADATA.latestVersion();
        InetAddress host = InetAddress.getLoopbackAddress();
        RequestContext context = new RequestContext(new RequestHeader(ApiKeys.METADATA, version, "test", 1), host,
                "PLAINTEXT", "c1", new ConnectionSession("PLAINTEXT", SecurityProtocol.SSL, host, ALICE));
        return (MetadataResponse) handler.handle(context, new MetadataRequest(data, version)).join();
    }
}
