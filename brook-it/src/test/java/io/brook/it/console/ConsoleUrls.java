package io.brook.it.console;

import io.brook.it.harness.BrookBroker;

/** The base URL of a broker's HTTP side (console and admin API). */
final class ConsoleUrls {

    private ConsoleUrls() {
    }

    static String base(BrookBroker broker) {
        return broker.httpUrl();
    }
}
