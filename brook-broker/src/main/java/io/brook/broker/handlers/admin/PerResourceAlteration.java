package io.brook.broker.handlers.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.requests.ApiError;

/**
 * The loop AlterConfigs and IncrementalAlterConfigs share: each resource is altered on its own and gets its own error,
 * and a resource named twice in one request is refused (both times) with INVALID_REQUEST, as Kafka does.
 *
 * <p>Stateless; runs on the admin thread.
 */
final class PerResourceAlteration {

    private PerResourceAlteration() {
    }

    /**
     * Applies {@code alter} to every resource in order and returns one error per resource, in the same order.
     *
     * @param resources the request's resources
     * @param keyOf the config resource a request entry names
     * @param alter the change; a thrown {@link RuntimeException} becomes that resource's error
     */
    static <R> List<ApiError> applyEach(List<R> resources, Function<R, ConfigResource> keyOf,
            BiConsumer<R, ConfigResource> alter) {
        Set<ConfigResource> seen = new HashSet<>();
        Set<ConfigResource> duplicates = new HashSet<>();
        for (R resource : resources) {
            if (!seen.add(keyOf.apply(resource))) {
                duplicates.add(keyOf.apply(resource));
            }
        }
        List<ApiError> errors = new ArrayList<>(resources.size());
        for (R resource : resources) {
            ConfigResource key = keyOf.apply(resource);
            try {
                if (duplicates.contains(key)) {
                    throw new InvalidRequestException("Each resource must appear at most once.");
                }
                alter.accept(resource, key);
                errors.add(ApiError.NONE);
            } catch (RuntimeException e) {
                errors.add(ApiError.fromThrowable(e));
            }
        }
        return errors;
    }
}
