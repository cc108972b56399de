package io.brook.it.console;

import io.brook.it.harness.BrookBroker;

/** The base URL of a broker's HTTP listener (console and admin API). */
final class ConsoleUrls {

    private ConsoleUrls() {
    }

    static String base(BrookBroker broker) {
        throw new UnsupportedOperationException("waiting for the http branch's per-broker HTTP port");
    }
}
