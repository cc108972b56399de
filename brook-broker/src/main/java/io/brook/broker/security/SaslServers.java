package io.brook.broker.security;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCredentialCallback;

/**
 * Makes the server side of one SASL exchange for a listener: kafka-clients' {@code PlainSaslServer} checking the
 * listener's {@link PlainUsers}, or its {@code ScramSaslServer} with credentials from the cluster metadata. The
 * mechanisms' wire formats and checks are Kafka's own code; Brook only answers their callbacks.
 *
 * <p>Immutable and thread-safe; each {@link SaslServer} it makes belongs to one connection.
 */
public final class SaslServers {

    private final List<String> enabledMechanisms;
    private final PlainUsers plainUsers;
    private final ScramCredentialSource scramCredentials;

    /**
     * @param enabledMechanisms the mechanisms offered, upper case (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)
     * @param plainUsers the PLAIN users (null when PLAIN is not offered)
     */
    public SaslServers(List<String> enabledMechanisms, PlainUsers plainUsers, ScramCredentialSource scramCredentials) {
        this.enabledMechanisms = List.copyOf(enabledMechanisms);
        this.plainUsers = plainUsers;
        this.scramCredentials = scramCredentials;
    }

    public List<String> enabledMechanisms() {
        return enabledMechanisms;
    }

    /** A new server for {@code mechanism}, which must be enabled. */
    public SaslServer create(String mechanism) throws SaslException {
        if (!enabledMechanisms.contains(mechanism)) {
            throw new SaslException("Mechanism " + mechanism + " is not enabled");
        }
        if (mechanism.equals(PlainSaslServer.PLAIN_MECHANISM)) {
            return new PlainSaslServer(this::handlePlain);
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        if (scram == null) {
            throw new SaslException("Mechanism " + mechanism + " is not implemented");
        }
        try {
            return new ScramSaslServer(scram, Map.of(), scramHandler(scram));
        } catch (NoSuchAlgorithmException e) {
            throw new SaslException("Mechanism " + mechanism + " is not available in this JVM", e);
        }
    }

    private void handlePlain(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof PlainAuthenticateCallback plain) {
                plain.authenticated(user != null && plainUsers != null && plainUsers.matches(user, plain.password()));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private CallbackHandler scramHandler(ScramMechanism mechanism) {
        return callbacks -> {
            String user = null;
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    user = name.getDefaultName();
                } else if (callback instanceof DelegationTokenCredentialCallback) {
                    // Delegation tokens are not implemented: leaving the callback empty fails the exchange.
                    continue;
                } else if (callback instanceof ScramCredentialCallback credential) {
                    if (user != null) {
                        credential.scramCredential(scramCredentials.credential(user, mechanism).orElse(null));
                    }
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        };
    }
}
