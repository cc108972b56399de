package io.brook.metadata;

/**
 * One user's SCRAM credential for one mechanism, as RFC 5802 lets a server keep it: the salt, the iteration count and
 * the two keys derived from the salted password. Neither the password nor the salted password is kept, so a copy of
 * the metadata does not let anyone log in (it would let them impersonate the server, as with Kafka).
 *
 * <p>Byte values are base64 strings so the record compares by value and the JSON form is stable.
 *
 * @param salt the salt, base64
 * @param storedKey H(ClientKey), base64
 * @param serverKey HMAC(SaltedPassword, "Server Key"), base64
 * @param iterations the PBKDF2 iteration count
 */
public record ScramUserCredential(String salt, String storedKey, String serverKey, int iterations) {

    /** Never the keys, so a credential logged by mistake gives nothing away. */
    @Override
    public String toString() {
        return "ScramUserCredential[iterations=" + iterations + "]";
    }
}
