package io.brook.metadata.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A request the active controller answers without replicating it ({@code ReplicatedStateMachine.query}). Encoded by
 * {@link MetadataCodec} like commands.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(MetadataQuery.BrokerHeartbeat.class)})
public sealed interface MetadataQuery {

    /**
     * A broker's periodic heartbeat (every {@code broker.heartbeat.interval.ms}); Kafka's BrokerHeartbeatRequest.
     *
     * @param currentMetadataOffset the last metadata log index the broker has applied
     * @param wantFence true while the broker is not ready to serve (still loading its logs)
     * @param wantShutDown true once the broker begins a controlled shutdown
     */
    record BrokerHeartbeat(int brokerId, long brokerEpoch, long currentMetadataOffset, boolean wantFence,
            boolean wantShutDown) implements MetadataQuery {
    }

    /** What a query answers. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(HeartbeatAnswer.class)})
    sealed interface Answer {
    }

    /**
     * Kafka's BrokerHeartbeatResponse, plus the state change the broker should now submit (its heartbeat cannot
     * change replicated state by itself).
     *
     * @param errorCode NONE, STALE_BROKER_EPOCH or BROKER_ID_NOT_REGISTERED
     * @param commandToSubmit the command the heartbeating broker should submit next (UnfenceBroker,
     *     ControlledShutdown or FenceBroker once its shutdown is ready), or null
     */
    record HeartbeatAnswer(short errorCode, boolean isCaughtUp, boolean isFenced, boolean shouldShutDown,
            MetadataCommand commandToSubmit) implements Answer {
    }
}
