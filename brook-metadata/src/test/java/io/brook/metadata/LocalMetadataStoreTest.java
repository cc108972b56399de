package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMetadataStoreTest {

    @TempDir
    Path dir;

    private LocalMetadataStore store;

    @BeforeEach
    void open() {
        store = LocalMetadataStore.open(dir, Time.SYSTEM);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private LocalMetadataStore reopen() {
        store.close();
        store = LocalMetadataStore.open(dir, Time.SYSTEM);
        return store;
    }

    @Test
    void shouldCreateTopicVisibleByNameAndId() {
        TopicImage topic = store.createTopic("orders", 3, (short) 1, Map.of("retention.ms", "1000"));

        assertThat(topic.partitionCount()).isEqualTo(3);
        assertThat(topic.id()).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(store.image().topic("orders")).contains(topic);
        assertThat(store.image().topic(topic.id())).contains(topic);
    }

    @Test
    void shouldGiveRecreatedTopicANewId() {
        TopicImage first = store.createTopic("t", 1, (short) 1, Map.of());
        store.deleteTopic(first.id());
        assertThat(store.image().topic("t")).isEmpty();
        assertThat(store.image().topic(first.id())).isEmpty();

        TopicImage second = store.createTopic("t", 2, (short) 1, Map.of());

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(store.image().topicsByName()).hasSize(1);
        assertThat(store.image().topicsById()).containsOnlyKeys(second.id());
    }

    @Test
    void shouldRejectDuplicateTopic() {
        store.createTopic("t", 1, (short) 1, Map.of());

        assertThatThrownBy(() -> store.createTopic("t", 1, (short) 1, Map.of()))
                .isInstanceOf(TopicExistsException.class).hasMessageContaining("'t' already exists");
    }

    @Test
    void shouldRejectInvalidTopicNames() {
        assertThatThrownBy(() -> store.createTopic("", 1, (short) 1, Map.of()))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> store.createTopic("..", 1, (short) 1, Map.of()))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> store.createTopic("a b", 1, (short) 1, Map.of()))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> store.createTopic("x".repeat(250), 1, (short) 1, Map.of()))
                .isInstanceOf(InvalidTopicException.class);
        store.createTopic("x".repeat(249), 1, (short) 1, Map.of());
    }

    @Test
    void shouldRejectTopicWhoseNameCollidesOnDotAndUnderscore() {
        store.createTopic("a.b", 1, (short) 1, Map.of());

        assertThatThrownBy(() -> store.createTopic("a_b", 1, (short) 1, Map.of()))
                .isInstanceOf(InvalidTopicException.class).hasMessageContaining("collides with existing topic: a.b");
    }

    @Test
    void shouldRejectNonPositivePartitionsAndReplicationFactor() {
        assertThatThrownBy(() -> store.createTopic("t", 0, (short) 1, Map.of()))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> store.createTopic("t", 1, (short) 0, Map.of()))
                .isInstanceOf(InvalidReplicationFactorException.class);
    }

    @Test
    void shouldRejectReplicationFactorAboveBrokerCount() {
        assertThatThrownBy(() -> store.createTopic("t", 1, (short) 3, Map.of()))
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessageContaining("only 1 broker(s)");
    }

    @Test
    void shouldRejectUnknownAndInvalidConfigs() {
        assertThatThrownBy(() -> store.createTopic("t", 1, (short) 1, Map.of("no.such.config", "1")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("no.such.config");
        assertThatThrownBy(() -> store.createTopic("t", 1, (short) 1, Map.of("retention.ms", "soon")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> store.createTopic("t", 1, (short) 1, Map.of("cleanup.policy", "forever")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("cleanup.policy");
        assertThat(store.image().topicsByName()).isEmpty();
    }

    @Test
    void shouldValidateWithoutCreating() {
        store.validateCreateTopic("t", 2, (short) 1, Map.of("cleanup.policy", "compact"));

        assertThat(store.image().topicsByName()).isEmpty();
        assertThat(Files.exists(dir.resolve(MetadataFile.FILE_NAME))).isFalse();
    }

    @Test
    void shouldFailDeletingUnknownTopicId() {
        assertThatThrownBy(() -> store.deleteTopic(Uuid.randomUuid())).isInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void shouldOnlyIncreasePartitions() {
        store.createTopic("t", 2, (short) 1, Map.of());

        assertThatThrownBy(() -> store.createPartitions("t", 2, false))
                .isInstanceOf(InvalidPartitionsException.class).hasMessageContaining("already has 2");
        assertThatThrownBy(() -> store.createPartitions("t", 1, false))
                .isInstanceOf(InvalidPartitionsException.class).hasMessageContaining("not be an increase");
        assertThatThrownBy(() -> store.createPartitions("missing", 4, false))
                .isInstanceOf(UnknownTopicOrPartitionException.class);

        store.createPartitions("t", 5, true);
        assertThat(store.image().topic("t").orElseThrow().partitionCount()).isEqualTo(2);
        store.createPartitions("t", 5, false);
        assertThat(store.image().topic("t").orElseThrow().partitionCount()).isEqualTo(5);
    }

    @Test
    void shouldSetDeleteAndReplaceTopicConfigs() {
        store.createTopic("t", 1, (short) 1, Map.of("retention.ms", "1000"));

        store.alterTopicConfigs("t", Map.of("segment.bytes", Optional.of("2000000")), false, false);
        assertThat(configsOf("t")).containsOnly(Map.entry("retention.ms", "1000"),
                Map.entry("segment.bytes", "2000000"));

        store.alterTopicConfigs("t", Map.of("retention.ms", Optional.empty()), false, false);
        assertThat(configsOf("t")).containsOnly(Map.entry("segment.bytes", "2000000"));

        store.alterTopicConfigs("t", Map.of("cleanup.policy", Optional.of("compact")), true, false);
        assertThat(configsOf("t")).containsOnly(Map.entry("cleanup.policy", "compact"));

        store.alterTopicConfigs("t", Map.of("cleanup.policy", Optional.of("delete")), false, true);
        assertThat(configsOf("t")).containsOnly(Map.entry("cleanup.policy", "compact"));
    }

    @Test
    void shouldRejectInvalidTopicConfigChangeAndKeepOldConfigs() {
        store.createTopic("t", 1, (short) 1, Map.of("retention.ms", "1000"));

        assertThatThrownBy(() -> store.alterTopicConfigs("t", Map.of("segment.bytes", Optional.of("10")), false,
                false)).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> store.alterTopicConfigs("nope", Map.of(), false, false))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(configsOf("t")).containsOnly(Map.entry("retention.ms", "1000"));
    }

    @Test
    void shouldAcceptOnlyDynamicBrokerConfigs() {
        store.alterBrokerConfigs(Map.of("log.retention.ms", Optional.of("5000")), false, false);
        assertThat(store.image().brokerConfigs()).containsOnly(Map.entry("log.retention.ms", "5000"));

        assertThatThrownBy(() -> store.alterBrokerConfigs(Map.of("num.partitions", Optional.of("3")), false, false))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("num.partitions");
        assertThatThrownBy(() -> store.alterBrokerConfigs(Map.of("log.segment.bytes", Optional.of("x")), false,
                false)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("log.segment.bytes");

        store.alterBrokerConfigs(Map.of("log.retention.ms", Optional.empty()), false, false);
        assertThat(store.image().brokerConfigs()).isEmpty();
    }

    @Test
    void shouldKeepEverythingAfterReopen() {
        TopicImage topic = store.createTopic("t", 3, (short) 1, Map.of("cleanup.policy", "compact,delete"));
        store.createTopic("gone", 1, (short) 1, Map.of());
        store.deleteTopic(store.image().topic("gone").orElseThrow().id());
        store.alterBrokerConfigs(Map.of("message.max.bytes", Optional.of("2000000")), false, false);

        MetadataImage before = store.image();
        MetadataImage after = reopen().image();

        assertThat(after).isEqualTo(before);
        assertThat(after.topic(topic.id())).contains(topic);
    }

    @Test
    void shouldNeverRepeatProducerIdsAcrossReopen() {
        Set<Long> seen = new HashSet<>();
        long first = store.allocateProducerIds(10);
        for (long id = first; id < first + 10; id++) {
            seen.add(id);
        }
        long second = reopen().allocateProducerIds(1);

        assertThat(seen).doesNotContain(second);
        assertThat(second).isEqualTo(first + 10);
    }

    @Test
    void shouldIgnoreTornTempFileOnOpen() throws IOException {
        store.createTopic("t", 1, (short) 1, Map.of());
        store.close();
        // A crash after writing half the temp file and before the rename.
        Files.writeString(dir.resolve(MetadataFile.TEMP_FILE_NAME), "{\"format\":1,\"leng");

        store = LocalMetadataStore.open(dir, Time.SYSTEM);

        assertThat(store.image().topic("t")).isPresent();
        assertThat(Files.exists(dir.resolve(MetadataFile.TEMP_FILE_NAME))).isFalse();
    }

    @Test
    void shouldRefuseToOpenACorruptedFile() throws IOException {
        store.createTopic("t", 1, (short) 1, Map.of());
        store.close();
        Path file = dir.resolve(MetadataFile.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 0x20;
        Files.write(file, bytes);

        assertThatThrownBy(() -> LocalMetadataStore.open(dir, Time.SYSTEM))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("checksum");
    }

    @Test
    void shouldRefuseToOpenATruncatedFile() throws IOException {
        store.createTopic("t", 1, (short) 1, Map.of());
        store.close();
        Path file = dir.resolve(MetadataFile.FILE_NAME);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.substring(0, text.length() - 3));

        assertThatThrownBy(() -> LocalMetadataStore.open(dir, Time.SYSTEM))
                .isInstanceOf(CorruptMetadataException.class);
    }

    @Test
    void shouldCallListenersAfterEachDurableChange() {
        List<MetadataImage> seen = new ArrayList<>();
        store.addListener((previous, current) -> {
            assertThat(previous).isNotSameAs(current);
            seen.add(current);
        });

        store.createTopic("t", 1, (short) 1, Map.of());
        store.createPartitions("t", 2, false);

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1).topic("t").orElseThrow().partitionCount()).isEqualTo(2);
        assertThat(LocalMetadataStore.open(dir, Time.SYSTEM).image()).isEqualTo(seen.get(1));
    }

    @Test
    void shouldNotNotifyListenersOfFailedChanges() {
        List<MetadataImage> seen = new ArrayList<>();
        store.addListener((previous, current) -> seen.add(current));

        assertThatThrownBy(() -> store.createTopic("t", 0, (short) 1, Map.of()))
                .isInstanceOf(InvalidPartitionsException.class);

        assertThat(seen).isEmpty();
    }

    private Map<String, String> configsOf(String topic) {
        return store.image().topic(topic).orElseThrow().configs();
    }
}
