package io.brook.broker.replication;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

import io.brook.broker.security.InterBrokerSockets;

/**
 * A blocking connection from one broker to another (replica fetchers, the transaction coordinator's marker sender
 * and verifier): one request at a time, framed and parsed with
 * kafka-clients' own codec.
 *
 * <p>Why not kafka-clients' {@code NetworkClient}: a fetcher is a dedicated thread that sends one request and waits
 * for its answer, so the selector, in-flight bookkeeping, metadata and version negotiation of {@code NetworkClient}
 * buy nothing; a socket with a read timeout is a few dozen lines, and {@link #close()} from another thread unblocks a
 * pending read, which is how fetchers stop. Both ends are Brook brokers of the same build, so versions are fixed.
 *
 * <p>Not thread-safe, except {@link #close()}.
 */
public final class BrokerConnection implements Closeable {

    private static final String CLIENT_ID = "brook-replica-fetcher";

    private final InterBrokerSockets.BrokerSocket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int maxResponseBytes;
    private int nextCorrelationId;

    public BrokerConnection(String host, int port, int timeoutMs, int maxResponseBytes) throws IOException {
        this(InterBrokerSockets.plaintext(), host, port, timeoutMs, maxResponseBytes);
    }

    /** Connects through {@code sockets}: TLS when the inter-broker listener is SSL. */
    public BrokerConnection(InterBrokerSockets sockets, String host, int port, int timeoutMs, int maxResponseBytes)
            throws IOException {
        this.socket = sockets.connect(host, port, timeoutMs);
        this.maxResponseBytes = maxResponseBytes;
        try {
            this.in = new DataInputStream(new BufferedInputStream(socket.in()));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.out()));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code request} and waits for its response (bounded by the socket timeout). */
    public AbstractResponse send(AbstractRequest request) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, nextCorrelationId++);
        ByteBuffer frame = request.serializeWithHeader(header);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        int size = in.readInt();
        if (size < 0 || size > maxResponseBytes) {
            throw new IOException("Response of " + size + " bytes exceeds the limit of " + maxResponseBytes);
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
