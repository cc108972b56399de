package io.brook.broker.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking Kafka-protocol client over a plain socket, for tests that need to send exactly the bytes they choose.
 * Requests are serialized and responses parsed with kafka-clients' own codec. Not thread-safe.
 */
public final class RawKafkaClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 10_000;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawKafkaClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The frame (size prefix included) that carries {@code request} with {@code header}. */
    public static byte[] frame(RequestHeader header, AbstractRequest request) {
        ByteBuffer body = request.serializeWithHeader(header);
        ByteBuffer frame = ByteBuffer.allocate(4 + body.remaining());
        frame.putInt(body.remaining()).put(body).flip();
        return frame.array();
    }

    public static RequestHeader header(AbstractRequest request, int correlationId) {
        return new RequestHeader(request.apiKey(), request.version(), "raw-test", correlationId);
    }

    public RequestHeader send(AbstractRequest request, int correlationId) throws IOException {
        RequestHeader header = header(request, correlationId);
        sendRaw(frame(header, request));
        return header;
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame's bytes (without the size prefix). */
    public ByteBuffer receiveFrame() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /** Reads the response to {@code header}; fails if the next response has another correlation id. */
    public AbstractResponse receive(RequestHeader header) throws IOException {
        return AbstractResponse.parseResponse(receiveFrame(), header);
    }

    /** Whether the broker closed the connection (end of stream or reset) before sending anything more. */
    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether nothing arrives (and the connection stays open) for {@code millis}. */
    public boolean hasNothingToReadWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MS);
        }
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
