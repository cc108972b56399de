package io.brook.broker.handlers.quota;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.errors.InvalidRequestException;
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
 * default, or any), and with {@code strict} no other entity type, as Kafka's controller image answers. A filter
 * naming a type twice, an unknown type or match type, or IP with user / client-id is INVALID_REQUEST. Stateless; runs
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
        String error = validate(components);
        if (error != null) {
            return CompletableFuture.completedFuture(request.getErrorResponse(0, new InvalidRequestException(error)));
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

    /** Kafka's refusal of a filter, or null. */
    static String validate(List<ComponentData> components) {
        Set<String> seen = new HashSet<>();
        for (ComponentData component : components) {
            String type = component.entityType();
            if (!TYPES.contains(type)) {
                return "Custom entity type '" + type + "' not supported";
            }
            if (!seen.add(type)) {
                return "Entity type " + type + " cannot appear more than once in the filter.";
            }
            byte matchType = component.matchType();
            if (matchType != DescribeClientQuotasRequest.MATCH_TYPE_EXACT
                    && matchType != DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT
                    && matchType != DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED) {
                return "Unknown match type " + matchType;
            }
            if (matchType == DescribeClientQuotasRequest.MATCH_TYPE_EXACT && component.match() == null) {
                return "An exact match for entity type " + type + " needs a name";
            }
        }
        if (seen.contains(ClientQuotaEntity.IP) && seen.size() > 1) {
            return "Invalid entity filter component combination, IP filter component should not be used with "
                    + "user or clientId filter component.";
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
