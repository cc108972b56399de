package io.brook.metadata.cluster;

import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Uuid;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.brook.metadata.AclEntry;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.ClientQuotaEntity;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.ScramUserCredential;
import io.brook.metadata.TopicImage;

/**
 * The whole metadata image as snapshot bytes, and back. Equal images give equal bytes (everything sorted).
 *
 * <pre>
 * +---------+-------------------------------------------------------------------------+
 * | format  | UTF-8 JSON: {"format":1,"lastAppliedIndex":N,"nextProducerId":P,         |
 * | 1 byte  |   "voters":[..],"brokerConfigs":{..},"brokers":[BrokerRegistration..],   |
 * |         |   "topics":[TopicImage with "partitions":{"0":PartitionRegistration}..],  |
 * |         |   "acls":[AclEntry..]}  (format 2)                                      |
 * +---------+-------------------------------------------------------------------------+
 * </pre>
 *
 * New kinds of state (ACLs, SCRAM users, quotas) are new top-level properties; {@code "scramUsers"} (user, then
 * mechanism, then the credential: salt, keys, iterations) and {@code "clientQuotas"} (a list of entity and values)
 * were added without a new format number and read as empty when absent, so older snapshots still load. The quorum
 * stores the bytes with its own checksum. Stateless and thread-safe.
 */
public final class ImageSnapshot {

    /** Format 2 added "acls"; format 1 (without them) is still read. */
    public static final byte FORMAT = 2;

    private static final byte FORMAT_WITHOUT_ACLS = 1;

    private static final ObjectMapper MAPPER = MetadataCodec.newMapper();

    /** What a snapshot holds. */
    public record Contents(MetadataImage image, long lastAppliedIndex) {
    }

    private record Body(int format, long lastAppliedIndex, long nextProducerId, List<Integer> voters,
            Map<String, String> brokerConfigs, List<BrokerRegistration> brokers, List<TopicImage> topics,
            Map<String, Map<String, ScramUserCredential>> scramUsers, List<AclEntry> acls,
            List<ClientQuotas> clientQuotas) {
    }

    /** One entity's quotas (a JSON object cannot have entities as keys). */
    private record ClientQuotas(ClientQuotaEntity entity, Map<String, Double> values) {
    }

    private ImageSnapshot() {
    }

    public static byte[] encode(MetadataImage image, long lastAppliedIndex) {
        Body body = new Body(FORMAT, lastAppliedIndex, image.nextProducerId(),
                image.voters().stream().sorted().toList(), image.brokerConfigs(),
                image.brokers().values().stream().sorted(Comparator.comparingInt(BrokerRegistration::id)).toList(),
                image.topicsByName().values().stream().sorted(Comparator.comparing(TopicImage::name)).toList(),
                image.scramUsers(), image.acls().stream().sorted(AclEntry.ORDER).toList(),
                image.clientQuotas().entrySet().stream().map(e -> new ClientQuotas(e.getKey(), e.getValue()))
                        .sorted(Comparator.comparing(ClientQuotas::entity, ClientQuotaEntity.ORDER)).toList());
        try {
            byte[] json = MAPPER.writeValueAsBytes(body);
            byte[] bytes = new byte[json.length + 1];
            bytes[0] = FORMAT;
            System.arraycopy(json, 0, bytes, 1, json.length);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode a metadata snapshot", e);
        }
    }

    /** @throws IllegalArgumentException for an unknown format or unreadable bytes */
    public static Contents decode(byte[] bytes) {
        if (bytes.length < 1 || (bytes[0] != FORMAT && bytes[0] != FORMAT_WITHOUT_ACLS)) {
            throw new IllegalArgumentException("Unknown metadata snapshot format");
        }
        Body body;
        try {
            body = MAPPER.readValue(bytes, 1, bytes.length - 1, Body.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot decode a metadata snapshot: " + e.getMessage(), e);
        }
        Map<String, TopicImage> byName = new HashMap<>();
        Map<Uuid, TopicImage> byId = new HashMap<>();
        for (TopicImage topic : body.topics()) {
            byName.put(topic.name(), topic);
            byId.put(topic.id(), topic);
        }
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        body.brokers().forEach(b -> brokers.put(b.id(), b));
        MetadataImage image = new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), Map.copyOf(body.brokerConfigs()),
                brokers, body.nextProducerId(), Set.copyOf(body.voters()),
                body.scramUsers() == null ? Map.of() : body.scramUsers(),
                body.acls() == null ? Set.of() : Set.copyOf(body.acls()), clientQuotas(body.clientQuotas()));
        return new Contents(image, body.lastAppliedIndex());
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> clientQuotas(List<ClientQuotas> list) {
        Map<ClientQuotaEntity, Map<String, Double>> quotas = new HashMap<>();
        if (list != null) {
            list.forEach(q -> quotas.put(q.entity(), Map.copyOf(q.values())));
        }
        return quotas;
    }
}
