package io.brook.metadata;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whom a client quota applies to, as Kafka's {@code ClientQuotaEntity}: entity type ({@value #USER},
 * {@value #CLIENT_ID}, {@value #IP}) to name, a null name being that type's default ({@code <default>} in
 * {@code kafka-configs}). A record of plain values so that it encodes as JSON; handlers validate the combination
 * before it reaches the metadata. Immutable.
 *
 * @param entries entity type to name (null for the default), sorted by type
 */
public record ClientQuotaEntity(Map<String, String> entries) {

    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";
    public static final String IP = "ip";

    /** A total order, so that snapshots and descriptions list entities the same way on every node. */
    public static final Comparator<ClientQuotaEntity> ORDER = Comparator.comparing(ClientQuotaEntity::toString);

    public ClientQuotaEntity {
        // TreeMap keeps null names (defaults) and a stable order
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** An entity of one type; {@code name} null for the default. */
    public static ClientQuotaEntity of(String type, String name) {
        Map<String, String> entries = new TreeMap<>();
        entries.put(type, name);
        return new ClientQuotaEntity(entries);
    }

    /** A user and client-id entity; either name null for its default. */
    public static ClientQuotaEntity userAndClient(String user, String clientId) {
        Map<String, String> entries = new TreeMap<>();
        entries.put(USER, user);
        entries.put(CLIENT_ID, clientId);
        return new ClientQuotaEntity(entries);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        entries.forEach((type, name) -> text.append(text.isEmpty() ? "" : ",").append(type).append('=')
                .append(name == null ? "<default>" : "'" + name + "'"));
        return text.toString();
    }
}
