package io.brook.broker.handlers.core;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;

/**
 * The Metadata handler and the one thread on which it auto-creates topics, so that waiting for the metadata write
 * never holds an event loop. ApiVersions, which needs the finished registry, is registered by the broker itself.
 */
public final class CoreHandlers implements HandlerFamily {

    private static final Logger LOG = LoggerFactory.getLogger(CoreHandlers.class);

    private final ExecutorService autoCreation = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "brook-topic-auto-creation");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ApiHandler<?>> handlers;

    private CoreHandlers(BrokerContext context) {
        this.handlers = List.of(new MetadataHandler(context, autoCreation));
    }

    public static HandlerFamily create(BrokerContext context) {
        return new CoreHandlers(context);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    @Override
    public void close() {
        autoCreation.shutdown();
        try {
            if (!autoCreation.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Topic auto-creation still waiting after 5 s; abandoning it");
                autoCreation.shutdownNow();
            }
        } catch (InterruptedException e) {
            autoCreation.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
