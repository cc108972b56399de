/** Cluster metadata: the model and its durable store. No network, no storage engine. */
package io.brook.metadata;
