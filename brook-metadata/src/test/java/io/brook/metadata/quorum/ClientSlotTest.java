package io.brook.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.junit.jupiter.api.Test;

class ClientSlotTest {

    private final List<RaftClient> made = new ArrayList<>();
    private final List<RaftClient> closed = new ArrayList<>();

    @Test
    void shouldCloseAReplacedClientOnlyOnceItsLastRequestInFlightCompleted() {
        // given two requests in flight on the first client
        ClientSlot slot = new ClientSlot(this::newClient);
        CompletableFuture<RaftClientReply> first = new CompletableFuture<>();
        CompletableFuture<RaftClientReply> second = new CompletableFuture<>();
        slot.send(c -> first);
        slot.send(c -> second);
        RaftClient original = made.get(0);

        // when the first fails: the slot takes a fresh client for what comes next
        first.completeExceptionally(new IOException("leader gone"));
        RaftClient[] used = new RaftClient[1];
        slot.send(c -> {
            used[0] = c;
            return new CompletableFuture<>();
        });
        assertThat(used[0]).isNotSameAs(original);

        // then the old one stays open while the second still runs on it, and closes when it completes
        assertThat(closed).isEmpty();
        second.completeExceptionally(new IOException("retried on the old client"));
        assertThat(closed).containsExactly(original);
    }

    @Test
    void shouldKeepTheClientAfterASuccessfulRequest() {
        ClientSlot slot = new ClientSlot(this::newClient);

        slot.send(c -> CompletableFuture.completedFuture(null));
        slot.send(c -> CompletableFuture.completedFuture(null));

        assertThat(made).hasSize(1);
        assertThat(closed).isEmpty();
    }

    /** A client whose only working method is close(), which the test records. */
    private RaftClient newClient() {
        AtomicInteger id = new AtomicInteger(made.size());
        RaftClient[] self = new RaftClient[1];
        self[0] = (RaftClient) Proxy.newProxyInstance(RaftClient.class.getClassLoader(),
                new Class<?>[]{RaftClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        closed.add(self[0]);
                        yield null;
                    }
                    case "toString" -> "client-" + id.get();
                    case "hashCode" -> id.get();
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        made.add(self[0]);
        return self[0];
    }
}
