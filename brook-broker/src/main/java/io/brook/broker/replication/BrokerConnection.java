package io.brook.broker.replication;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking connection from a replica fetcher (or the transaction coordinator's marker sender) to a leader: one request at a time, framed and parsed with
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

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int maxResponseBytes;
    private int nextCorrelationId;

    public BrokerConnection(String host, int port, int timeoutMs, int maxResponseBytes) throws IOException {
        this.socket = new Socket();
        this.maxResponseBytes = maxResponseBytes;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
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
