package io.brook.metadata;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.Uuid;

/**
 * A registered broker, as the controller sees it.
 *
 * @param id broker id ({@code node.id})
 * @param incarnationId random id the broker process chose at start; a new one means the process restarted
 * @param epoch broker epoch: the log index of the registration, so every (re-)registration gets a larger one
 * @param endpoints advertised listeners
 * @param rack {@code broker.rack}, or null when not set
 * @param fenced true until the broker has caught up with the metadata log and asked to be unfenced, and again once
 *     its heartbeat session expires; a fenced broker leads nothing and is in no ISR (unless it was the last member)
 * @param inControlledShutdown true between the broker asking to shut down and being fenced
 */
public record BrokerRegistration(int id, Uuid incarnationId, long epoch, List<Endpoint> endpoints, String rack,
        boolean fenced, boolean inControlledShutdown) {

    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    /** Whether the broker may lead partitions, join ISRs and receive new replicas. */
    public boolean eligible() {
        return !fenced && !inControlledShutdown;
    }

    public Optional<String> rackName() {
        return Optional.ofNullable(rack);
    }

    public BrokerRegistration withFenced(boolean newFenced) {
        return new BrokerRegistration(id, incarnationId, epoch, endpoints, rack, newFenced,
                newFenced ? false : inControlledShutdown);
    }

    public BrokerRegistration withControlledShutdown(boolean shuttingDown) {
        return new BrokerRegistration(id, incarnationId, epoch, endpoints, rack, fenced, shuttingDown);
    }
}
