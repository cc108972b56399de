package io.brook.broker.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataImage;

class AclAuthorizerTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");
    private static final KafkaPrincipal BOB = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "bob");
    private static final KafkaPrincipal ADMIN = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "admin");
    private static final InetAddress HOST = InetAddress.getLoopbackAddress();

    private final AclAuthorizer authorizer = new AclAuthorizer(Set.of("User:admin"), false);

    @Test
    void shouldAllowWhenPrefixedAclMatchesAndDenyOtherPrefixes() {
        acls(allow(ResourceType.TOPIC, "team-a-", PatternType.PREFIXED, "User:alice", AclOperation.READ));

        assertThat(topic(ALICE, AclOperation.READ, "team-a-orders")).isTrue();
        assertThat(topic(ALICE, AclOperation.READ, "team-b-orders")).isFalse();
        assertThat(topic(ALICE, AclOperation.READ, "team-a")).isFalse();
        assertThat(topic(BOB, AclOperation.READ, "team-a-orders")).isFalse();
    }

    @Test
    void shouldLetDenyWinOverAllow() {
        acls(allow(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:*", AclOperation.ALL),
                new AclEntry(ResourceType.TOPIC, "secret-", PatternType.PREFIXED, "User:alice", "*",
                        AclOperation.READ, AclPermissionType.DENY));

        assertThat(topic(ALICE, AclOperation.READ, "secret-plans")).isFalse();
        assertThat(topic(ALICE, AclOperation.WRITE, "secret-plans")).isTrue();
        assertThat(topic(BOB, AclOperation.READ, "secret-plans")).isTrue();
    }

    @Test
    void shouldImplyDescribeFromReadWriteDeleteAlterAndDescribeConfigsFromAlterConfigs() {
        acls(allow(ResourceType.TOPIC, "r", PatternType.LITERAL, "User:alice", AclOperation.READ),
                allow(ResourceType.TOPIC, "w", PatternType.LITERAL, "User:alice", AclOperation.WRITE),
                allow(ResourceType.TOPIC, "c", PatternType.LITERAL, "User:alice", AclOperation.ALTER_CONFIGS),
                allow(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:alice", AclOperation.CREATE));

        assertThat(topic(ALICE, AclOperation.DESCRIBE, "r")).isTrue();
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "w")).isTrue();
        assertThat(topic(ALICE, AclOperation.DESCRIBE_CONFIGS, "c")).isTrue();
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "x")).isFalse();
        assertThat(topic(ALICE, AclOperation.WRITE, "r")).isFalse();
    }

    @Test
    void shouldNotLetDenyOfImpliedOperationDenyTheImplyingOne() {
        acls(allow(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:alice", AclOperation.READ),
                new AclEntry(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:alice", "*", AclOperation.DESCRIBE,
                        AclPermissionType.DENY));

        assertThat(topic(ALICE, AclOperation.READ, "t")).isTrue();
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "t")).isFalse();
    }

    @Test
    void shouldAllowSuperUsersWhateverTheAclsSay() {
        acls(new AclEntry(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:*", "*", AclOperation.ALL,
                AclPermissionType.DENY));

        assertThat(topic(ADMIN, AclOperation.WRITE, "t")).isTrue();
        assertThat(authorizer.authorize(ADMIN, HOST, AclOperation.ALTER, ResourceType.CLUSTER, "kafka-cluster"))
                .isTrue();
        assertThat(topic(ALICE, AclOperation.WRITE, "t")).isFalse();
    }

    @Test
    void shouldDenyResourcesWithoutAclsUnlessAllowEveryoneIfNoAclFound() {
        acls(allow(ResourceType.TOPIC, "a", PatternType.LITERAL, "User:alice", AclOperation.READ));
        AclAuthorizer open = new AclAuthorizer(Set.of(), true);
        open.update(image(allow(ResourceType.TOPIC, "a", PatternType.LITERAL, "User:alice", AclOperation.READ)));

        assertThat(topic(BOB, AclOperation.READ, "no-acls")).isFalse();
        assertThat(open.authorize(BOB, HOST, AclOperation.READ, ResourceType.TOPIC, "no-acls")).isTrue();
        // ACLs exist on "a", none for bob: the open authorizer denies too.
        assertThat(open.authorize(BOB, HOST, AclOperation.READ, ResourceType.TOPIC, "a")).isFalse();
    }

    @Test
    void shouldMatchHostsAndWildcardPrincipals() {
        acls(new AclEntry(ResourceType.GROUP, "g", PatternType.LITERAL, "User:*", "10.0.0.1", AclOperation.READ,
                AclPermissionType.ALLOW));

        assertThat(authorizer.authorize(ALICE, HOST, AclOperation.READ, ResourceType.GROUP, "g")).isFalse();
        assertThat(authorizer.authorize(ALICE, address("10.0.0.1"), AclOperation.READ, ResourceType.GROUP, "g"))
                .isTrue();
    }

    @Test
    void shouldAnswerAnyOfTypeForIdempotentWrites() {
        acls(allow(ResourceType.TOPIC, "logs-", PatternType.PREFIXED, "User:alice", AclOperation.WRITE),
                allow(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:bob", AclOperation.WRITE),
                new AclEntry(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:bob", "*", AclOperation.WRITE,
                        AclPermissionType.DENY));

        assertThat(authorizer.authorizeAny(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC)).isTrue();
        assertThat(authorizer.authorizeAny(BOB, HOST, AclOperation.WRITE, ResourceType.TOPIC)).isFalse();
    }

    @Test
    void shouldFollowAclChangesOfNewImages() {
        acls(allow(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:alice", AclOperation.READ));
        assertThat(topic(ALICE, AclOperation.READ, "t")).isTrue();

        authorizer.update(MetadataImage.EMPTY);

        assertThat(topic(ALICE, AclOperation.READ, "t")).isFalse();
    }

    @Test
    void shouldDecideWithTenThousandAclsWithoutScanningThem() {
        List<AclEntry> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(allow(ResourceType.TOPIC, "topic-" + i, PatternType.LITERAL, "User:u" + i, AclOperation.READ));
        }
        many.add(allow(ResourceType.TOPIC, "topic-", PatternType.PREFIXED, "User:alice", AclOperation.READ));
        acls(many.toArray(AclEntry[]::new));

        assertThat(topic(ALICE, AclOperation.READ, "topic-9999")).isTrue();
        assertThat(authorizer.authorize(new KafkaPrincipal("User", "u42"), HOST, AclOperation.READ,
                ResourceType.TOPIC, "topic-42")).isTrue();
        assertThat(authorizer.authorize(new KafkaPrincipal("User", "u42"), HOST, AclOperation.READ,
                ResourceType.TOPIC, "topic-43")).isFalse();
    }

    private boolean topic(KafkaPrincipal principal, AclOperation operation, String topic) {
        return authorizer.authorize(principal, HOST, operation, ResourceType.TOPIC, topic);
    }

    private void acls(AclEntry... acls) {
        authorizer.update(image(acls));
    }

    private static MetadataImage image(AclEntry... acls) {
        MetadataImage empty = MetadataImage.EMPTY;
        return new MetadataImage(empty.topicsByName(), empty.topicsById(), empty.brokerConfigs(), empty.brokers(),
                empty.nextProducerId(), empty.voters(), Set.of(acls));
    }

    private static AclEntry allow(ResourceType type, String name, PatternType pattern, String principal,
            AclOperation operation) {
        return new AclEntry(type, name, pattern, principal, "*", operation, AclPermissionType.ALLOW);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
