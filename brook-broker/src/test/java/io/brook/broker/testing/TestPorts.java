package io.brook.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for test nodes, picked below Linux's ephemeral range (32768 and up). The kernel hands ephemeral
 * ports to every outgoing connection and every {@code bind(0)}, so a port picked with {@code bind(0)} and released
 * could be taken (e.g. by another node's client connection) before its node binds it.
 */
public final class TestPorts {

    private static final int LOW = 15_000;
    private static final int HIGH = 32_000;
    private static final int ATTEMPTS = 1_000;

    private TestPorts() {
    }

    public static int free() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate), 1);
                return candidate;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new UncheckedIOException(new IOException("No free port between " + LOW + " and " + HIGH));
    }
}
