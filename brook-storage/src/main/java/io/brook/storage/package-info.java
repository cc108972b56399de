/**
 * The storage engine: segmented partition logs in Kafka's on-disk format. Knows nothing of the network.
 */
package io.brook.storage;
