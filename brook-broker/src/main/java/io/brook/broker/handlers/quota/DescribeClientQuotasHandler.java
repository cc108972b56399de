package io.brook.broker.handlers.quota;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.ClientQuotaEntity;
import io.brook.metadata.MetadataStore;

/**
 * DescribeClientQuotas: the entities of this node's image that match every filter component (exact name, the
 * default, or any name including the default), and with {@code strict} no other entity type, as Kafka's metadata
 * image answers. A filter naming a type twice, an unknown match type, a name where none belongs, or IP with user /
 * client-id is INVALID_REQUEST; an unknown entity type is UNSUPPORTED_VERSION, as in Kafka. Stateless; runs
 * on the event loop (one pass over the quota entities).
 */
final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequest> {

    private static final Set<String> TYPES = Set.of(ClientQuotaEntity.USER, ClientQuotaEntity.CLIENT_ID,
            ClientQuotaEntity.IP);

    private final MetadataStore metadata;

    DescribeClientQuotasHandler(MetadataStore metadata) {
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeClientQuotasRequest request) {
        List<ComponentData> components = request.data().components();
        ApiException error = validate(components);
        if (error != null) {
            return CompletableFuture.completedFuture(request.getErrorResponse(0, error));
        }
        boolean strict = request.data().strict();
        Map<org.apache.kafka.common.quota.ClientQuotaEntity, Map<String, Double>> matching = new LinkedHashMap<>();
        metadata.image().clientQuotas().entrySet().stream()
                .filter(e -> matches(e.getKey(), components, strict))
                .sorted(Map.Entry.comparingByKey(ClientQuotaEntity.ORDER))
                .forEach(e -> matching.put(new org.apache.kafka.common.quota.ClientQuotaEntity(e.getKey().entries()),
                        e.getValue()));
        return CompletableFuture.completedFuture(DescribeClientQuotasResponse.fromQuotaEntities(matching, 0));
    }

    /** Kafka's refusal of a filter (INVALID_REQUEST, or UNSUPPORTED_VERSION for an unknown type), or null. */
    static ApiException validate(List<ComponentData> components) {
        Set<String> seen = new HashSet<>();
        for (ComponentData component : components) {
            String type = component.entityType();
            if (type.isEmpty()) {
                return new InvalidRequestException("Invalid empty entity type.");
            }
            if (!seen.add(type)) {
                return new InvalidRequestException(
                        "Entity type " + type + " cannot appear more than once in the filter.");
            }
            if (!TYPES.contains(type)) {
                return new UnsupportedVersionException("Unsupported entity type " + type);
            }
            byte matchType = component.matchType();
            if (matchType == DescribeClientQuotasRequest.MATCH_TYPE_EXACT) {
                if (component.match() == null) {
                    return new InvalidRequestException("An exact match for entity type " + type + " needs a name.");
                }
            } else if (matchType == DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT
                    || matchType == DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED) {
                if (component.match() != null) {
                    return new InvalidRequestException(
                            "A default or any match for entity type " + type + " takes no name.");
                }
            } else {
                return new InvalidRequestException("Unknown match type " + matchType);
            }
        }
        if (seen.contains(ClientQuotaEntity.IP) && seen.size() > 1) {
            return new InvalidRequestException("Invalid entity filter component combination. IP filter component "
                    + "should not be used with user or clientId filter component.");
        }
        return null;
    }

    static boolean matches(ClientQuotaEntity entity, List<ComponentData> components, boolean strict) {
        Map<String, String> entries = entity.entries();
        if (strict && entries.size() != components.size()) {
            return false;
        }
        for (ComponentData component : components) {
            if (!entries.containsKey(component.entityType())) {
                return false;
            }
            String name = entries.get(component.entityType());
            boolean ok = switch (component.matchType()) {
                case DescribeClientQuotasRequest.MATCH_TYPE_EXACT -> Objects.equals(name, component.match());
                case DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT -> name == null;
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
