package io.brook.server;

/** The server properties file or an override cannot be read; the message is meant for the user. */
final class ConfigFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ConfigFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
