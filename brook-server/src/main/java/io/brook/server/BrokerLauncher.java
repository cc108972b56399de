package io.brook.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;
import io.brook.server.http.BrokerHolder;
import io.brook.server.http.HttpSide;
import io.brook.server.logging.LogbackLoggerLevels;

/**
 * The single place where the CLI starts the broker. Stateless.
 */
final class BrokerLauncher {

    private BrokerLauncher() {
    }

    /**
     * Starts the HTTP side, then the broker, and returns once the broker's listeners are bound and it is serving. The
     * HTTP side comes first so that its health checks answer (not ready) while the broker recovers.
     */
    static RunningBroker start(BrokerConfig config) {
        BrokerHolder holder = new BrokerHolder();
        HttpSide http = HttpSide.start(config, holder);
        Broker broker;
        try {
            broker = Broker.start(config, http.metrics(), LogbackLoggerLevels.forCurrentBackend());
        } catch (IOException e) {
            http.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        holder.started(broker);
        return new RunningBroker() {
            @Override
            public int boundPort(String listenerName) {
                return broker.boundPort(listenerName);
            }

            @Override
            public List<String> httpUrls() {
                return http.urls();
            }

            @Override
            public Optional<String> clusterId() {
                return Optional.of(broker.context().clusterId());
            }

            @Override
            public CompletableFuture<String> fatalStop() {
                return broker.fatalStop();
            }

            @Override
            public void close() {
                holder.stopping();
                broker.close();
                http.close();
            }
        };
    }
}
