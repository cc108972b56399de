/**
 * The classic consumer group APIs: thin handlers that route each group to its coordinator shard through
 * {@link io.brook.broker.handlers.group.GroupCoordinator}, which owns the shards on one thread.
 */
package io.brook.broker.handlers.group;
