package io.brook.broker.security;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

/**
 * The client side of SASL for broker-to-broker connections: the mechanism ({@code sasl.mechanism.inter.broker.protocol})
 * and the broker's own username and password (the {@code username} and {@code password} options of the inter-broker
 * listener's JAAS config for that mechanism). {@link #authenticate} runs SaslHandshake v1 and SaslAuthenticate on a
 * freshly connected blocking socket, with the JDK's PLAIN client or kafka-clients' SCRAM client.
 *
 * <p>Immutable and thread-safe; the password never appears in {@link #toString()}.
 */
public final class SaslClientLogin {

    private static final String CLIENT_ID = "brook-inter-broker";
    /** SASL answers are small; a bigger size prefix means the peer is not speaking Kafka. */
    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final String mechanism;
    private final String username;
    private final Password password;

    SaslClientLogin(String mechanism, String username, Password password) {
        this.mechanism = mechanism;
        this.username = username;
        this.password = password;
    }

    /** The login for {@code mechanism} from a client JAAS config ({@code username} and {@code password} options). */
    public static SaslClientLogin fromJaas(String listenerName, String mechanism, Password jaasConfig) {
        List<AppConfigurationEntry> entries;
        try {
            entries = JaasContext.loadClientContext(Map.of("sasl.jaas.config", jaasConfig)).configurationEntries();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Inter-broker listener " + listenerName + ": the " + mechanism
                    + " JAAS config does not parse");
        }
        Object user = entries.get(0).getOptions().get("username");
        Object secret = entries.get(0).getOptions().get("password");
        if (!(user instanceof String name) || !(secret instanceof String value)) {
            throw new ConfigException("Inter-broker listener " + listenerName + ": the " + mechanism
                    + " JAAS config needs username and password options for the broker's own connections");
        }
        return new SaslClientLogin(mechanism, name, new Password(value));
    }

    public String mechanism() {
        return mechanism;
    }

    /**
     * Authenticates on a connected socket. Throws {@link SaslAuthenticationException} when the peer refuses the
     * mechanism or the credentials, {@link IOException} when the connection fails.
     */
    public void authenticate(InputStream rawIn, OutputStream rawOut, String host) throws IOException {
        DataInputStream in = new DataInputStream(rawIn);
        DataOutputStream out = new DataOutputStream(rawOut);
        int correlation = 0;
        SaslHandshakeResponse handshake = (SaslHandshakeResponse) exchange(in, out, correlation++,
                new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism(mechanism))
                        .build((short) 1));
        if (handshake.error() != Errors.NONE) {
            throw new SaslAuthenticationException("The broker at " + host + " refused SASL mechanism " + mechanism
                    + " (" + handshake.error() + "; it offers " + handshake.data().mechanisms() + ")");
        }
        SaslClient client = newClient(host);
        try {
            byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
            while (true) {
                SaslAuthenticateResponse response = (SaslAuthenticateResponse) exchange(in, out, correlation++,
                        new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(token))
                                .build((short) 1));
                if (response.error() != Errors.NONE) {
                    throw new SaslAuthenticationException("Inter-broker authentication to " + host + " failed: "
                            + response.data().errorMessage());
                }
                if (client.isComplete()) {
                    return;
                }
                token = client.evaluateChallenge(response.data().authBytes());
                if (client.isComplete() && (token == null || token.length == 0)) {
                    return;
                }
            }
        } finally {
            client.dispose();
        }
    }

    private SaslClient newClient(String host) throws SaslException {
        CallbackHandler callbacks = all -> {
            for (Callback callback : all) {
                if (callback instanceof NameCallback name) {
                    name.setName(username);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.value().toCharArray());
                } else if (callback instanceof ScramExtensionsCallback extensions) {
                    extensions.extensions(Map.of());
                }
            }
        };
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        if (scram != null) {
            try {
                return new ScramSaslClient(scram, callbacks);
            } catch (NoSuchAlgorithmException e) {
                throw new SaslException(mechanism + " is not available in this JVM", e);
            }
        }
        SaslClient client = Sasl.createSaslClient(new String[]{mechanism}, null, "kafka", host, Map.of(), callbacks);
        if (client == null) {
            throw new SaslException("No SASL client for " + mechanism);
        }
        return client;
    }

    private static AbstractResponse exchange(DataInputStream in, DataOutputStream out, int correlationId,
            AbstractRequest request) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        int size = in.readInt();
        if (size < 0 || size > MAX_RESPONSE_BYTES) {
            throw new IOException("SASL response of " + size + " bytes from a broker");
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
    }

    @Override
    public String toString() {
        return "SaslClientLogin[" + mechanism + ", " + username + "]";
    }
}
