package io.brook.server.backup;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking Kafka-protocol connection from the backup tool to one broker, framed and parsed with kafka-clients'
 * codec. It asks the broker's API versions once and sends each request at the highest version both sides know.
 *
 * <p>Why not kafka-clients' consumer: it hides record batches behind records (so batches could not be copied byte for
 * byte) and its {@code NetworkClient} brings selector and metadata machinery a one-request-at-a-time copier does not
 * need. Not thread-safe.
 */
final class LeaderConnection implements Closeable {

    private static final String CLIENT_ID = "brook-backup";

    private final String address;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int maxResponseBytes;
    private ApiVersionsResponse versions;
    private int nextCorrelationId;

    LeaderConnection(String host, int port, int timeoutMs, int maxResponseBytes) throws IOException {
        this.address = host + ":" + port;
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

    /** The highest version of {@code api} both this client and the broker support, at most {@code max}. */
    short version(ApiKeys api, short max) throws IOException {
        if (versions == null) {
            ApiVersionsResponse response = (ApiVersionsResponse) send(
                    new ApiVersionsRequest.Builder((short) 3).build((short) 3));
            if (response.data().errorCode() != Errors.NONE.code()) {
                throw new IOException("ApiVersions to " + address + " failed: "
                        + Errors.forCode(response.data().errorCode()));
            }
            versions = response;
        }
        ApiVersion supported = versions.apiVersion(api.id);
        if (supported == null) {
            throw new IOException("The broker at " + address + " does not serve " + api);
        }
        return (short) Math.min(Math.min(max, api.latestVersion()), supported.maxVersion());
    }

    /** Sends {@code request} and waits for its response (bounded by the socket timeout). */
    AbstractResponse send(AbstractRequest request) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, nextCorrelationId++);
        ByteBuffer frame = request.serializeWithHeader(header);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        int size = in.readInt();
        if (size < 0 || size > maxResponseBytes) {
            throw new IOException("Response of " + size + " bytes from " + address + " exceeds the limit of "
                    + maxResponseBytes);
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
    }

    String address() {
        return address;
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
