/**
 * The contract between the network layer and the API handlers. Handlers run on Netty event loops and must not block.
 */
package io.brook.broker.api;
