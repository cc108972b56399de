package io.brook.broker.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;

/**
 * Inputs the fuzzer found that made a handler throw, kept byte for byte (the hex is the frame after its size prefix,
 * as {@link FuzzCase#describe()} prints it), or rebuilt with an admin client when they were structured requests.
 * Each must now be answered, with the error Kafka's clients would expect, and log nothing at ERROR.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FuzzRegressionTest {

    /** Fetch v14 naming the zero topic id: looked up by a null name (NullPointerException). Seed 7, case 2007. */
    private static final String FETCH_ZERO_TOPIC_ID = "0001000e000007d7000466757a7a00000000030000000300000004000000030000000000ffffffff0200000000000000"
            + "00000000000000000004000000047fffffff8000000000000000000000030000000000000022000000000000000000ff"
            + "ffffff7fffffffffffffffffffffff7fff80ffffffffff00000004007fffffffffffffff0000000000000002ffffffff"
            + "ffffffffffffffff0000000000000248f73611022edcd906006c8b1891154b01000c66757a7a2d74617267657401000a"
            + "0a2e2e2f2e2e2f657463";
    /** Fetch v18, also the zero topic id. Seed 7, case 15527. */
    private static final String FETCH_V18_ZERO_TOPIC_ID = "0001001200003ca7000466757a7a000000000000000000fade8f5a000000000000000000030000000000000000000000"
            + "0000000000032b5c1c7600000002000000000000000000000004ffffffffe1c399aabcd814ae01001031b0bfa8ac3f46"
            + "f8ae3fa4347f9396720000000400000001000000000000000000000003ffffffffffffffff00000000010108ffffffff"
            + "ffffffff000000000000000000000000000000000003000000007fffffff800000000000000000000000ffffffffffff"
            + "ffff7fffffff02001048f73611022edcd906006c8b1891154b01080000000000000003000000037fffffff0000000000"
            + "0000007fffffff0000000000000006000000000101088000000000000000000348f73611022edcd906006c8b1891154b"
            + "01005d8f10f4c5ff4549b1a89422f4bb51c6030000000080000000000101010d00000000ffffffffffffffff00";
    /** Fetch v16 with isolation level -87: IllegalArgumentException from IsolationLevel.forId. Seed 7, case 2773. */
    private static final String FETCH_UNKNOWN_ISOLATION = "0001001000000ad5000466757a7a007fffffff000000007fffffffa900000004ffffffff01010c66757a7a2d74617267"
            + "657401010dffffffff7fffffffffffffff00";
    /** ListOffsets v5 with isolation level -1. Seed 7, case 5889. */
    /** The fuzzer's AlterUserScramCredentials v0 frame: an upsertion with an empty salted password. */
    private static final String SCRAM_EMPTY_SALTED_PASSWORD = "00330000000000ae000466757a7a000103010100000002046dd5220100010000000004097166d4f76e25fd970f573b9b26ebad9b6b212604870a1f0000";
    private static final String LIST_OFFSETS_UNKNOWN_ISOLATION = "0002000500001701000466757a7a00000000ff0000000200103663316366376236373564313138633100000003000000"
            + "00ffffffff0000000000000015841ee955ffffffffe24d3226fe54e620ffffffff00000004ffffffff80000000000b66"
            + "757a7a2d7461726765740000000300000000ffffffffffffffffffffffffffffffff80000000ffffffffffffffff0000"
            + "0000ffffffff000000002af2b4a8";

    @TempDir
    static Path dir;
    private static Broker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = Broker.start(BrokerConfig.parse(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0",
                BrokerConfig.LOG_DIRS, dir.toString())));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + broker.boundPort("PLAINTEXT")))) {
            admin.createTopics(List.of(new NewTopic("fuzz-target", 2, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void shouldAnswerUnknownTopicIdWhenAFetchNamesTheZeroTopicId() throws IOException {
        Map<Errors, Integer> errors = answer(FETCH_ZERO_TOPIC_ID).errorCounts();

        assertThat(errors).containsKey(Errors.UNKNOWN_TOPIC_ID).doesNotContainKey(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(answer(FETCH_V18_ZERO_TOPIC_ID).errorCounts()).doesNotContainKey(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldAnswerInvalidRequestWhenAFetchHasAnUnknownIsolationLevel() throws IOException {
        assertThat(answer(FETCH_UNKNOWN_ISOLATION).errorCounts()).containsOnlyKeys(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldAnswerInvalidRequestWhenListOffsetsHasAnUnknownIsolationLevel() throws IOException {
        assertThat(answer(LIST_OFFSETS_UNKNOWN_ISOLATION).errorCounts()).containsOnlyKeys(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldRefuseACreateTopicsOfTwoBillionPartitionsAsKafkaDoes() throws Exception {
        // Found by the fuzzer (seed 11): the broker created logs until the file descriptors ran out.
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("huge", Integer.MAX_VALUE, (short) 1)))
                    .all().get()).hasCauseInstanceOf(PolicyViolationException.class);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("huge-a", 6_000, (short) 1),
                    new NewTopic("huge-b", 6_000, (short) 1))).all().get())
                    .hasCauseInstanceOf(PolicyViolationException.class);
            assertThat(admin.listTopics().names().get()).doesNotContain("huge", "huge-a", "huge-b");
        }
    }

    @Test
    void shouldRefuseACreatePartitionsOfTwoBillionPartitionsAsKafkaDoes() throws Exception {
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> admin.createPartitions(Map.of("fuzz-target",
                    NewPartitions.increaseTo(Integer.MAX_VALUE))).all().get())
                    .hasCauseInstanceOf(PolicyViolationException.class);
            assertThat(admin.describeTopics(List.of("fuzz-target")).allTopicNames().get().get("fuzz-target")
                    .partitions()).hasSize(2);
        }
    }

    @Test
    void shouldAnswerUnacceptableCredentialWhenAScramUpsertionHasAnEmptySaltedPassword() throws IOException {
        // Found by the fuzzer (seed 20261126, case 174): no key can be derived from an empty salted password.
        AbstractResponse response = answer(SCRAM_EMPTY_SALTED_PASSWORD);

        assertThat(response.errorCounts()).containsOnlyKeys(Errors.UNACCEPTABLE_CREDENTIAL);
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", "localhost:" + broker.boundPort("PLAINTEXT")));
    }

    /** Sends the frame on a new connection and parses its response; fails on anything logged as unexpected. */
    private static AbstractResponse answer(String hex) throws IOException {
        byte[] frame = HexFormat.of().parseHex(hex);
        try (LogCapture log = LogCapture.install(() -> null);
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.boundPort("PLAINTEXT"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame)
                    .array());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            AbstractResponse parsed = AbstractResponse.parseResponse(ByteBuffer.wrap(response),
                    RequestHeader.parse(ByteBuffer.wrap(frame)));
            assertThat(log.findings()).isEmpty();
            return parsed;
        }
    }
}
