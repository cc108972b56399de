package io.brook.broker.group;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/** A member of a classic group. Mutable; owned by its {@link GroupShard}'s thread. */
final class GroupMember {

    String memberId;
    final String instanceId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    /** Protocol name to metadata, in the member's order of preference. */
    Map<String, byte[]> protocols = new LinkedHashMap<>();
    byte[] assignment = new byte[0];
    long heartbeatDeadline;
    CompletableFuture<JoinGroupResponseData> awaitingJoin;
    CompletableFuture<SyncGroupResponseData> awaitingSync;
    short joinVersion;

    GroupMember(String memberId, String instanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
            int sessionTimeoutMs) {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    boolean isStatic() {
        return instanceId != null;
    }

    byte[] metadata(String protocol) {
        byte[] metadata = protocol == null ? null : protocols.get(protocol);
        return metadata == null ? new byte[0] : metadata;
    }

    boolean sameProtocols(Map<String, byte[]> other) {
        if (!protocols.keySet().stream().toList().equals(other.keySet().stream().toList())) {
            return false;
        }
        return protocols.entrySet().stream()
                .allMatch(e -> java.util.Arrays.equals(e.getValue(), other.get(e.getKey())));
    }
}
