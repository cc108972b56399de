package io.brook.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.junit.jupiter.api.Test;

class ListenerMembershipTest {

    private static final List<RaftPeer> VOTERS = List.of(voter(1), voter(2), voter(3));

    @Test
    void shouldAddSelfToTheOtherListenersAsACompareAndSetOfTheCurrentConfiguration() {
        List<RaftPeer> listeners = List.of(listener(4, 9004), listener(5, 9005));

        SetConfigurationRequest.Arguments change = ListenerMembership
                .nextChange(VOTERS, listeners, listener(6, 9006)).orElseThrow();

        assertThat(change.getMode()).isEqualTo(SetConfigurationRequest.Mode.COMPARE_AND_SET);
        assertThat(change.getServersInCurrentConf()).containsExactlyElementsOf(VOTERS);
        assertThat(change.getListenersInCurrentConf()).containsExactlyElementsOf(listeners);
        assertThat(change.getServersInNewConf()).containsExactlyElementsOf(VOTERS);
        assertThat(change.getPeersInNewConf(RaftPeerRole.LISTENER)).extracting(RaftPeer::getAddress)
                .containsExactly("127.0.0.1:9004", "127.0.0.1:9005", "127.0.0.1:9006");
    }

    @Test
    void shouldChangeNothingWhenSelfIsAlreadyAListenerAtItsAddress() {
        Optional<SetConfigurationRequest.Arguments> change = ListenerMembership
                .nextChange(VOTERS, List.of(listener(4, 9004), listener(5, 9005)), listener(5, 9005));

        assertThat(change).isEmpty();
    }

    @Test
    void shouldFirstRemoveTheOldEntryWhenSelfIsAListenerAtAnotherAddress() {
        List<RaftPeer> listeners = List.of(listener(4, 9004), listener(5, 9005));

        SetConfigurationRequest.Arguments removal = ListenerMembership
                .nextChange(VOTERS, listeners, listener(5, 9555)).orElseThrow();
        assertThat(removal.getPeersInNewConf(RaftPeerRole.LISTENER)).extracting(RaftPeer::getAddress)
                .containsExactly("127.0.0.1:9004");

        SetConfigurationRequest.Arguments addition = ListenerMembership
                .nextChange(VOTERS, List.of(listener(4, 9004)), listener(5, 9555)).orElseThrow();
        assertThat(addition.getPeersInNewConf(RaftPeerRole.LISTENER)).extracting(RaftPeer::getAddress)
                .containsExactly("127.0.0.1:9004", "127.0.0.1:9555");
    }

    @Test
    void shouldRefuseToJoinWhenSelfIsAVoterInTheConfiguration() {
        assertThatThrownBy(() -> ListenerMembership.nextChange(VOTERS, List.of(), listener(2, 9002)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("voter");
    }

    private static RaftPeer voter(int id) {
        return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(Integer.toString(id))).setAddress("127.0.0.1:900" + id)
                .setStartupRole(RaftPeerRole.FOLLOWER).build();
    }

    private static RaftPeer listener(int id, int port) {
        return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(Integer.toString(id))).setAddress("127.0.0.1:" + port)
                .setStartupRole(RaftPeerRole.LISTENER).build();
    }
}
