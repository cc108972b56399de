package io.brook.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import io.brook.broker.config.BrokerConfig;

/**
 * The warnings of the start-up block: settings that work but are probably not what the operator wants, each saying
 * what to do about it. Stateless; the file-system type of a directory is asked through the given function so that
 * tests need no tmpfs.
 */
final class StartupWarnings {

    private StartupWarnings() {
    }

    /**
     * @param fileSystemType the type of the file system holding a path ("tmpfs", "ext4", ...), empty when unknown
     */
    static List<String> of(BrokerConfig config, Function<Path, Optional<String>> fileSystemType) {
        List<String> warnings = new ArrayList<>();
        if (!config.authorizationEnabled()) {
            for (Endpoint endpoint : config.brokerListenerEndpoints()) {
                if (endpoint.securityProtocol() == SecurityProtocol.PLAINTEXT && !isLoopback(endpoint.host())) {
                    warnings.add("Listener " + endpoint.listener() + " is PLAINTEXT on a non-loopback address"
                            + " without an authorizer: anyone on the network can read and write; set listeners to"
                            + " SSL/SASL or authorizer.class.name.");
                }
            }
        }
        List<String> dirs = new ArrayList<>(config.logDirs());
        if (!dirs.contains(config.metadataLogDir())) {
            dirs.add(config.metadataLogDir());
        }
        for (String dir : dirs) {
            Path path = Path.of(dir).toAbsolutePath().normalize();
            if (path.startsWith("/tmp") || fileSystemType.apply(path).filter("tmpfs"::equals).isPresent()) {
                warnings.add("Data directory " + dir + " is under /tmp or on tmpfs: data may be lost on reboot;"
                        + " set log.dirs (and metadata.log.dir) to a persistent disk.");
            }
        }
        if (isSingleNode(config) && config.defaultReplicationFactor() > 1) {
            warnings.add("default.replication.factor is " + config.defaultReplicationFactor() + " but this is a"
                    + " single node: topics created without a replication factor will fail; set it to 1.");
        }
        return warnings;
    }

    private static boolean isSingleNode(BrokerConfig config) {
        // A dynamic quorum (bootstrap servers) may grow, so only a fixed quorum of one, or none, counts.
        return config.explicitQuorumVoters().map(voters -> voters.size() <= 1)
                .orElse(config.controllerQuorumBootstrapServers().isEmpty());
    }

    private static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false; // every interface
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
