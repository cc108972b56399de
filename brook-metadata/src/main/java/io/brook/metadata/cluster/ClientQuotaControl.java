package io.brook.metadata.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.brook.metadata.ClientQuotaEntity;
import io.brook.metadata.cluster.MetadataCommand.AlterClientQuotas;
import io.brook.metadata.cluster.MetadataCommand.QuotaAlteration;
import io.brook.metadata.cluster.MetadataCommand.QuotaOp;

/**
 * Client quotas in the cluster metadata: the validation Kafka's controller makes of an AlterClientQuotas entry
 * (entity types and their combinations, known keys for the entity, integral byte rates, no negative values) and the
 * deterministic half that applies the valid ones. Every refusal is Kafka's INVALID_REQUEST with a message.
 *
 * <p>Stateless; thread-safe.
 */
public final class ClientQuotaControl {

    public static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    public static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    public static final String REQUEST_PERCENTAGE = "request_percentage";
    public static final String CONTROLLER_MUTATION_RATE = "controller_mutation_rate";
    public static final String CONNECTION_CREATION_RATE = "connection_creation_rate";

    /** Keys for user and client-id entities, true when the value must be a whole number (Kafka's LONG keys). */
    private static final Map<String, Boolean> CLIENT_KEYS = Map.of(PRODUCER_BYTE_RATE, true, CONSUMER_BYTE_RATE, true,
            REQUEST_PERCENTAGE, false, CONTROLLER_MUTATION_RATE, false);
    private static final Map<String, Boolean> IP_KEYS = Map.of(CONNECTION_CREATION_RATE, true);
    private static final Set<String> TYPES = Set.of(ClientQuotaEntity.USER, ClientQuotaEntity.CLIENT_ID,
            ClientQuotaEntity.IP);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private ClientQuotaControl() {
    }

    /** Why Kafka refuses this alteration (INVALID_REQUEST), or null when it is valid. */
    public static String validate(ClientQuotaEntity entity, List<QuotaOp> ops) {
        String entityError = validateEntity(entity);
        if (entityError != null) {
            return entityError;
        }
        Map<String, Boolean> keys = entity.entries().containsKey(ClientQuotaEntity.IP) ? IP_KEYS : CLIENT_KEYS;
        for (QuotaOp op : ops) {
            Boolean integral = op.key() == null ? null : keys.get(op.key());
            if (integral == null) {
                return "Invalid configuration key " + op.key();
            }
            Double value = op.value();
            if (value == null) {
                continue;
            }
            if (value.isNaN() || value.isInfinite()) {
                return "Invalid value " + value + " for configuration key " + op.key();
            }
            if (value < 0) {
                return "Quota value for " + op.key() + " must not be negative: " + value;
            }
            // Kafka's tolerance for a whole number sent as a double
            if (integral && Math.abs((long) (value + 1e-6) - value) > 1e-6) {
                return "Configuration " + op.key() + " must be a Long value";
            }
        }
        return null;
    }

    private static String validateEntity(ClientQuotaEntity entity) {
        Map<String, String> entries = entity.entries();
        if (entries.isEmpty()) {
            return "Invalid empty client quota entity";
        }
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (!TYPES.contains(entry.getKey())) {
                return "Unhandled client quota entity type: " + entry.getKey();
            }
            if (entry.getValue() != null && entry.getValue().isEmpty()) {
                return "Empty " + entry.getKey() + " not supported";
            }
        }
        if (entries.containsKey(ClientQuotaEntity.IP)) {
            if (entries.size() > 1) {
                return "Invalid quota entity combination, IP entity should not be combined with User or ClientId";
            }
            String ip = entries.get(ClientQuotaEntity.IP);
            if (ip != null && !isIpAddress(ip)) {
                // Kafka would also resolve a host name; applying a command must not depend on DNS
                return ip + " is not a valid IP or resolvable host.";
            }
        }
        return null;
    }

    /** A literal IPv4 or IPv6 address (never a host name: validation must not resolve names). */
    private static boolean isIpAddress(String text) {
        if (IPV4.matcher(text).matches()) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!IPV6.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text); // with a colon Java parses an IPv6 literal, never resolves
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static CommandReply alter(ImageBuilder image, AlterClientQuotas command) {
        Map<ClientQuotaEntity, Map<String, Double>> quotas = image.clientQuotas();
        for (QuotaAlteration alteration : command.alterations()) {
            if (validate(alteration.entity(), alteration.ops()) != null) {
                continue;
            }
            Map<String, Double> values = new HashMap<>(quotas.getOrDefault(alteration.entity(), Map.of()));
            for (QuotaOp op : alteration.ops()) {
                if (op.value() == null) {
                    values.remove(op.key());
                } else {
                    values.put(op.key(), op.value());
                }
            }
            if (values.isEmpty()) {
                quotas.remove(alteration.entity());
            } else {
                quotas.put(alteration.entity(), Map.copyOf(values));
            }
        }
        return new CommandReply.Done();
    }
}
