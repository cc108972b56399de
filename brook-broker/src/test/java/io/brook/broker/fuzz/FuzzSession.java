package io.brook.broker.fuzz;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Sends fuzz cases to a broker over real sockets and checks that each one is answered or closes its connection.
 * After every case a valid ApiVersions "probe" follows on the same connection: its response (responses come in
 * request order) proves the broker answered everything before it; the connection closing proves a reasoned close.
 * Neither within the read timeout is a stall, reported with the case that caused it, unless the case is a long poll
 * that asked for a longer wait ({@link LongPolls}).
 *
 * <p>Not thread-safe; one session drives one connection at a time.
 */
final class FuzzSession implements AutoCloseable {

    private static final int PROBE_CORRELATION_BASE = 1 << 30;

    private final int port;
    private final int readTimeoutMs;
    private final List<String> stalls = new ArrayList<>();
    private volatile FuzzCase current;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private int answered;
    private int closed;
    private int parked;

    FuzzSession(int port, int readTimeoutMs) {
        this.port = port;
        this.readTimeoutMs = readTimeoutMs;
    }

    /** Sends one case and its probe; returns once the probe is answered, the connection closed, or time ran out. */
    void run(FuzzCase fuzzCase) throws IOException {
        current = fuzzCase;
        if (socket == null) {
            connect();
        }
        int probeCorrelation = PROBE_CORRELATION_BASE + fuzzCase.index();
        try {
            out.write(fuzzCase.wireBytes());
            out.write(probe(probeCorrelation));
            out.flush();
            while (true) {
                int size = in.readInt();
                byte[] body = new byte[size];
                in.readFully(body);
                if (ByteBuffer.wrap(body).getInt() == probeCorrelation) {
                    answered++;
                    return;
                }
            }
        } catch (EOFException | SocketException e) {
            closed++;
            disconnect();
        } catch (SocketTimeoutException e) {
            if (LongPolls.mayWaitLongerThan(fuzzCase.frame(), readTimeoutMs)) {
                parked++;
            } else {
                stalls.add(fuzzCase.describe());
            }
            disconnect();
        }
    }

    /** The case being sent (or last sent), to tie a broker log line to its input. */
    FuzzCase current() {
        return current;
    }

    List<String> stalls() {
        return stalls;
    }

    int answered() {
        return answered;
    }

    int closed() {
        return closed;
    }

    /** Cases left unanswered because they asked the broker to wait longer than this client does. */
    int parked() {
        return parked;
    }

    @Override
    public void close() throws IOException {
        disconnect();
    }

    private void connect() throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(readTimeoutMs);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void disconnect() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private static byte[] probe(int correlationId) {
        byte[] frame = SeedFrames.encode(ApiKeys.API_VERSIONS, (short) 3, correlationId,
                new ApiVersionsRequestData().setClientSoftwareName("fuzz-probe").setClientSoftwareVersion("1"));
        return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
    }
}
