package io.brook.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks distinct free TCP ports for broker processes about to bind them. The ports come from below Linux's
 * ephemeral range (32768 and up): the kernel hands ephemeral ports to every outgoing connection and to every
 * {@code bind(0)}, including a broker-only node choosing its own Raft port, so a port picked there and released could
 * be taken before its broker binds it. Each candidate is checked by binding it, and all are held until every one is
 * chosen. Stateless and thread-safe.
 */
final class FreePorts {

    private static final int LOW = 15_000;
    private static final int HIGH = 32_000;
    private static final int ATTEMPTS = 1_000;

    private FreePorts() {
    }

    static int[] pick(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = bindSomewhereFree();
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // released anyway
                }
            }
        }
    }

    private static ServerSocket bindSomewhereFree() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            ServerSocket socket = null;
            try {
                socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(candidate));
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
            }
        }
        throw new UncheckedIOException(new IOException("No free port between " + LOW + " and " + HIGH + " after "
                + ATTEMPTS + " attempts"));
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing held
            }
        }
    }
}
