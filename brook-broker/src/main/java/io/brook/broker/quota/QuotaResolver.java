package io.brook.broker.quota;

import java.util.Map;

import io.brook.metadata.ClientQuotaEntity;

/**
 * Finds the quota that applies to a (user, client-id) pair, with Kafka's precedence: the most specific entity that
 * sets the quota key wins, in this order:
 *
 * <pre>
 * user=U, client-id=C          user=U, client-id=&lt;default&gt;          user=U
 * user=&lt;default&gt;, client-id=C  user=&lt;default&gt;, client-id=&lt;default&gt;  user=&lt;default&gt;
 * client-id=C                  client-id=&lt;default&gt;
 * </pre>
 *
 * The answer also says which clients share the quota (Kafka's metric tags): a quota set for a user alone is shared
 * by all of that user's client ids; one set for the default user applies to each user on its own; and so on.
 *
 * <p>Stateless; thread-safe.
 */
final class QuotaResolver {

    /**
     * The quota and who shares it.
     *
     * @param bound the quota value (bytes per second, or percent of one thread)
     * @param user the user the usage is counted for, "" when it is counted across users
     * @param clientId the client id the usage is counted for, "" when it is counted across client ids
     */
    record Resolved(double bound, String user, String clientId) {

        /** The key of the usage that is compared with the bound. */
        String sharedBy() {
            return user.length() + ":" + user + clientId;
        }
    }

    private QuotaResolver() {
    }

    /** The quota {@code key} of {@code user} (a principal name) and {@code clientId}, or null when none is set. */
    static Resolved resolve(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key, String user,
            String clientId) {
        if (quotas.isEmpty()) {
            return null;
        }
        Double value;
        if ((value = find(quotas, key, ClientQuotaEntity.userAndClient(user, clientId))) != null
                || (value = find(quotas, key, ClientQuotaEntity.userAndClient(user, null))) != null) {
            return new Resolved(value, user, clientId);
        }
        if ((value = find(quotas, key, ClientQuotaEntity.of(ClientQuotaEntity.USER, user))) != null) {
            return new Resolved(value, user, "");
        }
        if ((value = find(quotas, key, ClientQuotaEntity.userAndClient(null, clientId))) != null
                || (value = find(quotas, key, ClientQuotaEntity.userAndClient(null, null))) != null) {
            return new Resolved(value, user, clientId);
        }
        if ((value = find(quotas, key, ClientQuotaEntity.of(ClientQuotaEntity.USER, null))) != null) {
            return new Resolved(value, user, "");
        }
        if ((value = find(quotas, key, ClientQuotaEntity.of(ClientQuotaEntity.CLIENT_ID, clientId))) != null
                || (value = find(quotas, key, ClientQuotaEntity.of(ClientQuotaEntity.CLIENT_ID, null))) != null) {
            return new Resolved(value, "", clientId);
        }
        return null;
    }

    private static Double find(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key,
            ClientQuotaEntity entity) {
        Map<String, Double> values = quotas.get(entity);
        return values == null ? null : values.get(key);
    }
}
