package io.brook.broker.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Raft port of a broker-only node that configures no controller listener: chosen free on first start and kept in
 * {@code raft-listener.port} beside the quorum files, because the quorum remembers each member's address. Stateless.
 */
final class ListenerPort {

    static final String FILE = "raft-listener.port";

    private ListenerPort() {
    }

    static int load(Path storage, String bindHost) {
        Path file = storage.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindHost))) {
                port = socket.getLocalPort();
            }
            Files.createDirectories(storage);
            Path tmp = storage.resolve(FILE + ".tmp");
            Files.writeString(tmp, Integer.toString(port), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return port;
        } catch (IOException | NumberFormatException e) {
            throw new UncheckedIOException("Cannot choose the metadata port of this broker in " + file,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }
}
