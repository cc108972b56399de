package io.brook.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;

/**
 * The single place where the CLI starts the broker. Stateless.
 */
final class BrokerLauncher {

    private BrokerLauncher() {
    }

    /** Starts a broker and returns once its listeners are bound and it is serving. */
    static RunningBroker start(BrokerConfig config) {
        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RunningBroker() {
            @Override
            public int boundPort(String listenerName) {
                return broker.boundPort(listenerName);
            }

            @Override
            public CompletableFuture<String> fatalStop() {
                return broker.fatalStop();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}
