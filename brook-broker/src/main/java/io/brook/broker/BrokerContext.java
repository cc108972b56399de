package io.brook.broker;

import java.util.List;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.config.BrokerConfig;
import io.brook.metadata.MetadataStore;
import io.brook.storage.LogManager;

/**
 * The services a handler family is built from. Created once by {@code Broker} at start-up.
 *
 * @param config the static broker configuration
 * @param clusterId the cluster id (stored in the log directory's meta.properties)
 * @param nodeId this node's id
 * @param advertisedListeners the endpoints clients are told to connect to, one per listener name
 * @param metadata the cluster metadata store
 * @param logManager the storage engine
 * @param time the clock; tests may inject a mock
 * @param services what families built earlier offer the later ones (see {@link BrokerServices})
 */
public record BrokerContext(BrokerConfig config, String clusterId, int nodeId, List<Endpoint> advertisedListeners,
        MetadataStore metadata, LogManager logManager, Time time, BrokerServices services) {

    /** A context whose families share a new, empty {@link BrokerServices}. */
    public BrokerContext(BrokerConfig config, String clusterId, int nodeId, List<Endpoint> advertisedListeners,
            MetadataStore metadata, LogManager logManager, Time time) {
        this(config, clusterId, nodeId, advertisedListeners, metadata, logManager, time, new BrokerServices());
    }
}
