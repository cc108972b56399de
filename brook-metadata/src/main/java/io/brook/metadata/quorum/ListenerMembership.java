package io.brook.metadata.quorum;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;

/**
 * Decides the next Raft configuration change that makes a listener a member of the leader's configuration, as a
 * compare-and-set of the exact configuration the leader holds.
 *
 * <p>Why not Ratis's {@code ADD} mode: in Ratis 3.2.0 the leader merges an {@code ADD} into the current
 * configuration only to decide whether anything changes, then starts the change with the request's own listener
 * list, so the new configuration holds the requesting listener alone and every other listener is dropped. A
 * compare-and-set carries the whole new configuration in the request, so what the leader installs is what was asked
 * for; and since it applies only if the configuration is still the one the request was computed from, two listeners
 * joining at once cannot overwrite each other: one of them fails the compare, reads the configuration again and
 * retries.
 *
 * <p>Stateless and free of I/O: the caller reads the leader's configuration and sends the change.
 */
final class ListenerMembership {

    private ListenerMembership() {
    }

    /**
     * The next change that makes {@code self} a listener at its address, given the leader's current voters and
     * listeners; empty when it already is one, so a restarted listener changes nothing. A listener whose address
     * changed is first removed and then added again, since Ratis compares members by id only and would take the
     * same id at a new address for no change.
     *
     * @throws IllegalStateException when {@code self} is a voter in that configuration
     */
    static Optional<SetConfigurationRequest.Arguments> nextChange(Collection<RaftPeer> voters,
            Collection<RaftPeer> listeners, RaftPeer self) {
        if (voters.stream().anyMatch(self::equals)) {
            throw new IllegalStateException("node " + self.getId() + " is a voter in the metadata quorum's "
                    + "configuration " + voters + ", it cannot join as a listener");
        }
        Optional<RaftPeer> existing = listeners.stream().filter(self::equals).findFirst();
        if (existing.isPresent() && Objects.equals(existing.get().getAddress(), self.getAddress())) {
            return Optional.empty();
        }
        List<RaftPeer> newListeners = new ArrayList<>(listeners);
        newListeners.remove(self); // RaftPeer equality is by id: drops the entry with the old address, if any
        if (existing.isEmpty()) {
            newListeners.add(self);
        }
        return Optional.of(SetConfigurationRequest.Arguments.newBuilder()
                .setServersInCurrentConf(List.copyOf(voters))
                .setListenersInCurrentConf(List.copyOf(listeners))
                .setServersInNewConf(List.copyOf(voters))
                .setListenersInNewConf(newListeners)
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .build());
    }
}
