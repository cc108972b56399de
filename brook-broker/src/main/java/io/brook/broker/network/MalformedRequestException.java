package io.brook.broker.network;

/** A frame that cannot be answered (unknown API, unparseable header or body); the connection is closed. */
final class MalformedRequestException extends Exception {

    MalformedRequestException(String message) {
        super(message);
    }

    MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
