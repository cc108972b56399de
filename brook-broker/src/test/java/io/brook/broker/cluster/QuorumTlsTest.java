package io.brook.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.security.ControllerTls;
import io.brook.broker.security.TestPki;
import io.brook.broker.testing.TestPorts;
import io.brook.metadata.quorum.MetadataQuorum;
import io.brook.metadata.quorum.QuorumConfig;
import io.brook.metadata.quorum.QuorumTls;
import io.brook.metadata.quorum.QuorumVoters;
import io.brook.metadata.quorum.ReplicatedStateMachine;

/** Three in-process metadata quorum voters whose Raft traffic is mutual TLS, built from controller listener settings. */
@Timeout(120)
class QuorumTlsTest {

    @TempDir
    static Path pkiDir;
    private static TestPki pki;
    private static TestPki otherPki;

    @TempDir
    Path dir;

    private final List<MetadataQuorum> open = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws IOException {
        pki = TestPki.create(pkiDir.resolve("ca")).issue("node", "CN=node", true);
        otherPki = TestPki.create(pkiDir.resolve("other-ca")).issue("stranger", "CN=stranger", true);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (MetadataQuorum q : open) {
            q.close();
        }
    }

    @Test
    void shouldElectLeaderAndCommitWhenVotersTalkMutualTls() throws Exception {
        QuorumTls tls = tls(pki, "node");
        assertThat(tls.mutual()).isTrue();
        QuorumVoters voters = voters();
        List<Counter> machines = new ArrayList<>();
        List<MetadataQuorum> quorums = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            Counter machine = new Counter();
            machines.add(machine);
            quorums.add(start(voters, id, machine, tls));
        }
        for (MetadataQuorum q : quorums) {
            q.ready().get(60, TimeUnit.SECONDS);
        }

        byte[] reply = quorums.get(0).submit(command()).get(30, TimeUnit.SECONDS);

        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("1");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(machines).allMatch(m -> m.count.get() == 1));
    }

    @Test
    void shouldKeepOutNodeWhoseCertificatesTheOthersDoNotTrust() throws Exception {
        QuorumVoters voters = voters();
        Counter stranger = new Counter();
        MetadataQuorum one = start(voters, 1, new Counter(), tls(pki, "node"));
        start(voters, 2, new Counter(), tls(pki, "node"));
        MetadataQuorum three = start(voters, 3, stranger, tls(otherPki, "stranger"));

        one.ready().get(60, TimeUnit.SECONDS);
        one.submit(command()).get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> three.submit(command(), Duration.ofSeconds(3)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(three.ready()).isNotDone();
        assertThat(stranger.count.get()).isZero();
    }

    @Test
    void shouldRefuseSslControllerListenerWithoutKeyStore() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL", "listener.name.controller.ssl.keystore.key", "not-a-key",
                "listener.name.controller.ssl.keystore.certificate.chain", "not-a-chain"));
        Map<String, Object> noKeyStore = new HashMap<>(config.sslSettings("CONTROLLER"));
        noKeyStore.remove("ssl.keystore.key");

        assertThatThrownBy(() -> ControllerTls.from("CONTROLLER", noKeyStore))
                .isInstanceOf(ConfigException.class).hasMessageContaining("has no key store");
    }

    @Test
    void shouldUseNoTlsWhenControllerListenerIsPlaintext() {
        assertThat(ControllerTls.from(BrokerConfig.parse(Map.of()))).isEmpty();
    }

    /** The TLS of a controller listener configured with listener.name.controller.* settings, as a broker reads it. */
    private static QuorumTls tls(TestPki authority, String name) {
        Map<String, String> props = new HashMap<>();
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL");
        props.put("listener.name.controller.ssl.keystore.location", authority.keystore(name, "PKCS12").toString());
        props.put("listener.name.controller.ssl.keystore.password", TestPki.PASSWORD);
        props.put("listener.name.controller.ssl.key.password", TestPki.PASSWORD);
        props.put("listener.name.controller.ssl.truststore.location", authority.truststore("PKCS12").toString());
        props.put("listener.name.controller.ssl.truststore.password", TestPki.PASSWORD);
        props.put("listener.name.controller.ssl.client.auth", "required");
        return ControllerTls.from(BrokerConfig.parse(props)).orElseThrow();
    }

    private static QuorumVoters voters() {
        return QuorumVoters.parse("1@127.0.0.1:" + TestPorts.free() + ",2@127.0.0.1:" + TestPorts.free()
                + ",3@127.0.0.1:" + TestPorts.free());
    }

    private MetadataQuorum start(QuorumVoters voters, int id, ReplicatedStateMachine machine, QuorumTls tls)
            throws IOException {
        QuorumConfig config = QuorumConfig.voter(id, voters, dir.resolve("node-" + id))
                .withElectionTimeout(Duration.ofMillis(300)).withRequestTimeout(Duration.ofSeconds(2));
        MetadataQuorum quorum = new MetadataQuorum(config, machine, Optional.of(tls));
        open.add(quorum);
        quorum.start();
        return quorum;
    }

    private static byte[] command() {
        return "add".getBytes(StandardCharsets.UTF_8);
    }

    /** Counts applied commands; replies with the new count. */
    private static final class Counter implements ReplicatedStateMachine {
        final AtomicLong count = new AtomicLong();

        @Override
        public byte[] apply(long index, byte[] command) {
            return Long.toString(count.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] snapshot() {
            return Long.toString(count.get()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void restore(byte[] snapshot) {
            count.set(Long.parseLong(new String(snapshot, StandardCharsets.UTF_8)));
        }

        @Override
        public byte[] query(byte[] request) {
            return snapshot();
        }
    }
}
