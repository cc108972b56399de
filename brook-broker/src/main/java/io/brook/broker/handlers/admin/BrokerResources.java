package io.brook.broker.handlers.admin;

import org.apache.kafka.common.errors.InvalidRequestException;

/** Checks the name of a BROKER config resource: this node's id, or "" for the cluster-wide default. Stateless. */
final class BrokerResources {

    private BrokerResources() {
    }

    /** Returns true for the cluster-wide default ("") and false for this node; throws for anything else. */
    static boolean isClusterDefault(String resourceName, int nodeId) {
        if (resourceName == null || resourceName.isEmpty()) {
            return true;
        }
        int id;
        try {
            id = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Unable to parse broker name as a base 10 number: " + resourceName);
        }
        if (id != nodeId) {
            throw new InvalidRequestException("Unexpected broker id, expected " + nodeId
                    + " or empty string, but received " + resourceName);
        }
        return false;
    }
}
