package io.brook.broker.security;

import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import io.brook.metadata.MetadataImage;

/**
 * Where SCRAM servers find a user's credential: the cluster metadata image (SCRAM credentials are replicated to every
 * broker). Thread-safe when the image supplier is.
 */
@FunctionalInterface
public interface ScramCredentialSource {

    /** No SCRAM users at all. */
    ScramCredentialSource NONE = (user, mechanism) -> Optional.empty();

    Optional<ScramCredential> credential(String user, ScramMechanism mechanism);

    /** Credentials read from the newest image {@code images} supplies (null while the metadata is not open). */
    static ScramCredentialSource fromImages(Supplier<MetadataImage> images) {
        return (user, mechanism) -> {
            MetadataImage image = images.get();
            if (image == null) {
                return Optional.empty();
            }
            Base64.Decoder base64 = Base64.getDecoder();
            return image.scramCredential(user, mechanism.mechanismName())
                    .map(c -> new ScramCredential(base64.decode(c.salt()), base64.decode(c.storedKey()),
                            base64.decode(c.serverKey()), c.iterations()));
        };
    }
}
