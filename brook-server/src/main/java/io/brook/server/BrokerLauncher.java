package io.brook.server;

import io.brook.broker.config.BrokerConfig;

/**
 * The single place where the CLI starts the broker. Stateless.
 */
final class BrokerLauncher {

    private BrokerLauncher() {
    }

    /** Starts a broker and returns once its listeners are bound and it is serving. */
    static RunningBroker start(BrokerConfig config) {
        // TODO(integrator): temporary stub until io.brook.broker.Broker is on main. Replace the line below with
        // io.brook.broker.Broker broker = io.brook.broker.Broker.start(config);
        // return new RunningBroker() { boundPort -> broker.boundPort(name); close -> broker.close() }
        throw new UnsupportedOperationException("Broker not wired yet");
    }
}
