package io.brook.metadata.cluster;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

import io.brook.metadata.MetadataImage;

/**
 * The submitter's side of commands: chooses what must be random before a command is replicated (topic ids,
 * placement seeds), and turns replies back into the kafka-clients {@link ApiException}s that
 * {@code MetadataStore} callers expect.
 *
 * <p>Not thread-safe when the {@link Random} is not ({@link java.security.SecureRandom} is).
 */
public final class MetadataRequests {

    private final Random random;

    public MetadataRequests(Random random) {
        this.random = random;
    }

    /** CreateTopics for one topic with a fresh id and placement seed. */
    public MetadataCommand.CreateTopics createTopic(MetadataImage image, String name, int partitions,
            short replicationFactor, Map<String, String> configs) {
        return new MetadataCommand.CreateTopics(List.of(new MetadataCommand.NewTopic(name, newTopicId(image),
                partitions, replicationFactor, Map.of(), configs)), random.nextLong());
    }

    /** CreatePartitions for one topic, placed by the controller when {@code assignments} is null. */
    public MetadataCommand.CreatePartitions createPartitions(String topic, int totalCount,
            List<List<Integer>> assignments) {
        return new MetadataCommand.CreatePartitions(List.of(new MetadataCommand.PartitionsIncrease(topic, totalCount,
                assignments)), random.nextLong());
    }

    /** A random topic id that is neither reserved nor in use in {@code image}. */
    public Uuid newTopicId(MetadataImage image) {
        Uuid id;
        do {
            id = new Uuid(random.nextLong(), random.nextLong());
        } while (id.equals(Uuid.ZERO_UUID) || id.equals(Uuid.METADATA_TOPIC_ID) || id.toString().startsWith("-")
                || image.topicsById().containsKey(id));
        return id;
    }

    /**
     * The reply as {@code type}, or the {@link ApiException} of a whole-command failure.
     *
     * @throws ApiException the Kafka error the controller answered
     */
    public static <T extends CommandReply> T orThrow(CommandReply reply, Class<T> type) {
        if (reply instanceof CommandReply.Failed failed) {
            throw exception(failed.errorCode(), failed.message());
        }
        return type.cast(reply);
    }

    /** Throws the {@link ApiException} of a failed per-item result; returns it unchanged on success. */
    public static CommandReply.TopicResult orThrow(CommandReply.TopicResult result) {
        if (result.errorCode() != Errors.NONE.code()) {
            throw exception(result.errorCode(), result.message());
        }
        return result;
    }

    private static ApiException exception(short code, String message) {
        return Errors.forCode(code).exception(message);
    }
}
