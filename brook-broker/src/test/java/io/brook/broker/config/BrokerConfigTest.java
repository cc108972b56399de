package io.brook.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void shouldUseBrookDefaultsWhenNothingIsSet() {
        BrokerConfig config = BrokerConfig.defaults();

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.processRoles()).containsExactly("broker", "controller");
        assertThat(config.logDirs()).containsExactly("./data");
        assertThat(config.listenerEndpoints()).containsExactly(
                new Endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "localhost", 9092),
                new Endpoint("CONTROLLER", SecurityProtocol.PLAINTEXT, "localhost", 9093));
        assertThat(config.advertisedEndpoints()).isEqualTo(config.listenerEndpoints());
        assertThat(config.brokerListenerEndpoints()).extracting(Endpoint::listener).containsExactly("PLAINTEXT");
        assertThat(config.controllerListener()).hasValueSatisfying(e -> assertThat(e.port()).isEqualTo(9093));
        assertThat(config.explicitQuorumVoters()).isEmpty();
        assertThat(config.metadataLogDir()).isEqualTo("./data");
        assertThat(config.brokerHeartbeatIntervalMs()).isEqualTo(2000);
        assertThat(config.brokerSessionTimeoutMs()).isEqualTo(9000);
        assertThat(config.logRetentionMs()).isEqualTo(168 * 3_600_000L);
        assertThat(config.logRollMs()).isEqualTo(168 * 3_600_000L);
        assertThat(config.logFlushIntervalMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.messageMaxBytes()).isEqualTo(1048588);
        assertThat(config.numRecoveryThreadsPerDataDir()).isEqualTo(2);
        assertThat(config.offsetsTopicReplicationFactor()).isEqualTo((short) 3);
        assertThat(config.clusterId()).isEmpty();
    }

    @Test
    void shouldAcceptKafkaCombinedModeServerProperties() {
        // The settings of Kafka 4's config/server.properties for a combined node.
        BrokerConfig config = BrokerConfig.parse(Map.ofEntries(Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"), Map.entry("controller.quorum.bootstrap.servers", "localhost:9093"),
                Map.entry("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("advertised.listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listener.security.protocol.map",
                        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL"),
                Map.entry("num.network.threads", "3"), Map.entry("num.io.threads", "8"),
                Map.entry("socket.send.buffer.bytes", "102400"), Map.entry("socket.receive.buffer.bytes", "102400"),
                Map.entry("socket.request.max.bytes", "104857600"), Map.entry("log.dirs", "/tmp/kraft-combined-logs"),
                Map.entry("num.partitions", "1"), Map.entry("num.recovery.threads.per.data.dir", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"), Map.entry("log.retention.hours", "168"),
                Map.entry("log.segment.bytes", "1073741824"), Map.entry("log.retention.check.interval.ms", "300000")));

        assertThat(config.listenerEndpoints()).extracting(Endpoint::listener).containsExactly("PLAINTEXT",
                "CONTROLLER");
        assertThat(config.listenerEndpoints().get(0).host()).isEmpty();
        assertThat(config.advertisedEndpoints().get(1).port()).isEqualTo(9093);
        assertThat(config.logDirs()).containsExactly("/tmp/kraft-combined-logs");
        assertThat(config.advertisedBrokerEndpoints()).extracting(Endpoint::listener).containsExactly("PLAINTEXT");
        assertThat(config.explicitlySetButNotActedOn()).contains("num.network.threads")
                .doesNotContain("listeners", "log.dirs", "controller.quorum.bootstrap.servers");
    }

    @Test
    void shouldRefuseAControllerMissingFromTheVotersInKafkasWords() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("node.id", "4", "controller.quorum.voters",
                "1@localhost:9093,2@localhost:9094"))).isInstanceOf(ConfigException.class)
                .hasMessage("If process.roles contains the 'controller' role, the node id 4 must be included in the"
                        + " set of voters controller.quorum.voters=[1, 2]");
    }

    @Test
    void shouldRefuseABrokerOnlyNodeAmongTheVoters() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("node.id", "1", "process.roles", "broker",
                "controller.quorum.voters", "1@localhost:9093"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("contains just the 'broker' role, the node id 1 must not be included");
    }

    @Test
    void shouldRefuseAControllerWithoutAControllerListenerWhenVotersAreSet() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://localhost:9092",
                "controller.quorum.voters", "1@localhost:9093"))).isInstanceOf(ConfigException.class)
                .hasMessage("controller.listener.names must contain at least one value appearing in the 'listeners'"
                        + " configuration when running the KRaft controller role");
    }

    @Test
    void shouldRefuseABrokerOnlyNodeWithoutVoters() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("process.roles", "broker"))).isInstanceOf(
                ConfigException.class).hasMessageContaining("controller.quorum.voters must contain a parseable set");
    }

    @Test
    void shouldAcceptABrokerOnlyNodeThatKnowsOnlyBootstrapControllers() {
        BrokerConfig config = BrokerConfig.parse(Map.of("node.id", "4", "process.roles", "broker",
                "listeners", "PLAINTEXT://localhost:9092", "controller.quorum.bootstrap.servers",
                "ctl-1:9093,[::1]:9094"));

        assertThat(config.controllerQuorumBootstrapServers()).containsExactly("ctl-1:9093", "[::1]:9094");
        assertThat(config.explicitQuorumVoters()).isEmpty();
    }

    @Test
    void shouldRefuseAControllerWithoutVotersThatBootstrapsFromOtherControllers() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("controller.quorum.bootstrap.servers",
                "localhost:9093,localhost:9095"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no dynamic controller quorum");
    }

    @Test
    void shouldRefuseABootstrapServerWithoutAPort() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("process.roles", "broker",
                "listeners", "PLAINTEXT://localhost:9092", "controller.quorum.bootstrap.servers", "ctl-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("entry 'ctl-1' is not host:port");
    }

    @Test
    void shouldRefuseNonControllerListenersOnAControllerOnlyNode() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("process.roles", "controller",
                "controller.quorum.voters", "1@localhost:9093"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must only contain KRaft controller listeners");
    }

    @Test
    void shouldAcceptAThreeNodeCombinedCluster() {
        BrokerConfig config = BrokerConfig.parse(Map.of("node.id", "2", "controller.quorum.voters",
                "1@node1:9093,2@node2:9093,3@node3:9093", "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093",
                "broker.rack", "r2"));

        assertThat(config.explicitQuorumVoters()).hasValueSatisfying(v -> assertThat(v.size()).isEqualTo(3));
        assertThat(config.isController()).isTrue();
        assertThat(config.isBroker()).isTrue();
        assertThat(BrokerConfig.status("controller.quorum.voters")).isEqualTo(BrokerConfig.STATUS_SUPPORTED);
        assertThat(BrokerConfig.status("broker.rack")).isEqualTo(BrokerConfig.STATUS_SUPPORTED);
    }

    @Test
    void shouldRejectUnknownSettingByName() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.dirz", "/tmp"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Unknown configuration 'log.dirz'");
    }

    @Test
    void shouldExplainZooKeeperSettingsAreGone() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("zookeeper.connect", "localhost:2181")))
                .hasMessageContaining("without ZooKeeper");
    }

    @Test
    void shouldRejectInvalidValueNamingTheSetting() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.segment.bytes", "big")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("log.segment.bytes")
                .hasMessageContaining("big");
    }

    @Test
    void shouldRejectListenerWithoutPort() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://localhost")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners");
    }

    @Test
    void shouldRejectSaslListenerWhenItOffersKafkasDefaultGssapi() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "SASL_PLAINTEXT://localhost:9093")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GSSAPI")
                .hasMessageContaining("sasl.enabled.mechanisms");
    }

    @Test
    void shouldRejectPlainMechanismWhenTheListenerHasNoJaasConfig() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "SASL_PLAINTEXT://localhost:9093",
                "sasl.enabled.mechanisms", "PLAIN"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.sasl_plaintext.plain.sasl.jaas.config");
    }

    @Test
    void shouldReadSaslSettingsPerListenerWhenPrefixed() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:9092,SASL_PLAINTEXT://:9093",
                "listener.name.sasl_plaintext.sasl.enabled.mechanisms", "scram-sha-512,PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_a=\"b\";"));

        assertThat(config.saslEnabledMechanisms("SASL_PLAINTEXT")).containsExactly("SCRAM-SHA-512", "PLAIN");
        assertThat(config.saslEnabledMechanisms("PLAINTEXT")).containsExactly("GSSAPI");
        assertThat(config.saslJaasConfig("SASL_PLAINTEXT", "PLAIN")).isPresent();
        assertThat(config.saslJaasConfig("SASL_PLAINTEXT", "PLAIN").orElseThrow().toString()).doesNotContain("b");
    }

    @Test
    void shouldRejectSaslInterBrokerListenerWhenItsJaasConfigIsMissing() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:9092,SASL_PLAINTEXT://:9093",
                "inter.broker.listener.name", "SASL_PLAINTEXT", "sasl.enabled.mechanisms", "SCRAM-SHA-256",
                "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config");
    }

    @Test
    void shouldRejectSslListenerWithoutKeyStore() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "SSL://localhost:9093")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SSL listener SSL has no key store")
                .hasMessageContaining("listener.name.ssl.ssl.keystore.location");
    }

    @Test
    void shouldPreferPerListenerSslSettingWhenBothAreSet() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "INTERNAL://localhost:9093,EXTERNAL://:9094",
                "listener.security.protocol.map", "INTERNAL:SSL,EXTERNAL:SSL,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "INTERNAL",
                "ssl.keystore.location", "/shared.p12", "ssl.client.auth", "required",
                "listener.name.internal.ssl.keystore.location", "/internal.p12",
                "listener.name.internal.ssl.keystore.password", "secret"));

        assertThat(config.sslSettings("INTERNAL")).containsEntry("ssl.keystore.location", "/internal.p12")
                .containsEntry("ssl.client.auth", "required");
        assertThat(config.sslSettings("INTERNAL").get("ssl.keystore.password")).isInstanceOf(Password.class)
                .hasToString(Password.HIDDEN);
        assertThat(config.sslSettings("EXTERNAL")).containsEntry("ssl.keystore.location", "/shared.p12");
        assertThat(config.interBrokerSecurityProtocol()).isEqualTo(SecurityProtocol.SSL);
        assertThat(BrokerConfig.definition().configKeys().get("ssl.keystore.password").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void shouldRejectPerListenerSettingThatIsNotPerListener() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listener.name.ssl.num.partitions", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listener.name.ssl.num.partitions");
    }

    @Test
    void shouldRejectBothInterBrokerListenerAndProtocol() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("inter.broker.listener.name", "PLAINTEXT",
                "security.inter.broker.protocol", "PLAINTEXT")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Only one of");
    }

    @Test
    void shouldRejectPrincipalMappingRulesThatDoNotParse() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("ssl.principal.mapping.rules", "RULE:^CN=(.*)$/$1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.principal.mapping.rules");
    }

    @Test
    void shouldAcceptSslControllerListenerWhenItHasAKeyStore() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL", "ssl.keystore.location", "/k.p12"));
        assertThat(config.listenerSecurityProtocolMap()).containsEntry("CONTROLLER", SecurityProtocol.SSL);
    }

    @Test
    void shouldRejectSaslControllerListener() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:SASL_SSL", "ssl.keystore.location", "/k.p12")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("controller listener CONTROLLER uses SASL_SSL");
    }

    @Test
    void shouldRejectAdvertisedListenerThatIsNotListening() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("advertised.listeners", "OTHER://host:1",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,OTHER:PLAINTEXT")))
                .hasMessageContaining("advertised.listeners").hasMessageContaining("OTHER");
    }

    @Test
    void shouldRejectSingleRoleUntilClustersExist() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("process.roles", "broker")))
                .hasMessageContaining("process.roles");
    }

    @Test
    void shouldTakeBrokerIdAsNodeIdAndRejectConflicts() {
        assertThat(BrokerConfig.parse(Map.of("broker.id", "7")).nodeId()).isEqualTo(7);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("broker.id", "7", "node.id", "8")))
                .hasMessageContaining("broker.id");
    }

    @Test
    void shouldAdvertiseLocalhostForWildcardAndParseIpv6() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://[::1]:0"));

        assertThat(config.listenerEndpoints().get(0).host()).isEqualTo("::1");
        assertThat(config.advertisedEndpoints().get(0).host()).isEqualTo("localhost");
    }

    @Test
    void shouldPreferRetentionMsOverMinutesOverHours() {
        assertThat(BrokerConfig.parse(Map.of("log.retention.minutes", "2")).logRetentionMs()).isEqualTo(120_000L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.minutes", "2", "log.retention.ms", "5")).logRetentionMs())
                .isEqualTo(5L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.ms", "-1")).logRetentionMs()).isEqualTo(-1L);
    }

    @Test
    void shouldListOnlyDefinedSettingsAsNotActedOn() {
        assertThat(BrokerConfig.definition().names()).containsAll(BrokerConfig.notActedOn());
        assertThat(BrokerConfig.status("num.io.threads")).startsWith(BrokerConfig.STATUS_NOT_ACTED_ON);
        assertThat(BrokerConfig.status("log.retention.ms")).isEqualTo(BrokerConfig.STATUS_SUPPORTED);
        assertThat(BrokerConfig.status("listeners")).isEqualTo(BrokerConfig.STATUS_SUPPORTED);
    }

    @Test
    void shouldEnableAuthorizationWithKafkasStandardAuthorizerName() {
        BrokerConfig config = BrokerConfig.parse(Map.of("authorizer.class.name",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users",
                "User:admin; User:CN=broker1,O=Example", "allow.everyone.if.no.acl.found", "true"));

        assertThat(config.authorizationEnabled()).isTrue();
        assertThat(config.superUsers()).containsExactly("User:admin", "User:CN=broker1,O=Example");
        assertThat(config.allowEveryoneIfNoAclFound()).isTrue();
        assertThat(BrokerConfig.defaults().authorizationEnabled()).isFalse();
    }

    @Test
    void shouldRefuseOtherAuthorizersAndMalformedSuperUsers() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("authorizer.class.name",
                "kafka.security.authorizer.AclAuthorizer"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("super.users", "admin")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("type:name");
    }

    @Test
    void shouldReadConnectionLimitsWithPerListenerOverridesAndKafkasDefaults() {
        BrokerConfig defaults = BrokerConfig.defaults();
        BrokerConfig config = BrokerConfig.parse(Map.of("max.connections", "100", "max.connections.per.ip", "10",
                "max.connections.per.ip.overrides", "127.0.0.1:2, [::1]:3 ,client.example:0",
                "listener.name.plaintext.max.connections", "50",
                "listener.name.plaintext.max.connection.creation.rate", "5"));

        assertThat(defaults.maxConnections()).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaults.maxConnectionsPerIp()).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaults.maxConnectionCreationRate()).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaults.listenerMaxConnections("PLAINTEXT")).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.maxConnections()).isEqualTo(100);
        assertThat(config.maxConnectionsPerIp()).isEqualTo(10);
        assertThat(config.maxConnectionsPerIpOverrides())
                .containsExactly(Map.entry("127.0.0.1", 2), Map.entry("[::1]", 3), Map.entry("client.example", 0));
        assertThat(config.listenerMaxConnections("PLAINTEXT")).isEqualTo(50);
        assertThat(config.listenerMaxConnectionCreationRate("PLAINTEXT")).isEqualTo(5);
        assertThat(config.listenerMaxConnectionCreationRate("CONTROLLER")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldRefuseBadConnectionLimitsAsKafkaDoes() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("max.connections.per.ip", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max.connections.per.ip.overrides");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("max.connections.per.ip.overrides", "host-without-count")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("host:count");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listener.name.plaintext.max.connections", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listener.name.plaintext.max.connections");
        assertThat(BrokerConfig.parse(Map.of("max.connections.per.ip", "0", "max.connections.per.ip.overrides",
                "127.0.0.1:5")).maxConnectionsPerIp()).isZero();
    }
}
