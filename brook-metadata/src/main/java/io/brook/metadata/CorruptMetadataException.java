package io.brook.metadata;

/** The metadata file failed its checksum or could not be parsed: the broker must not start on it. */
public final class CorruptMetadataException extends RuntimeException {

    public CorruptMetadataException(String message) {
        super(message);
    }

    public CorruptMetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
