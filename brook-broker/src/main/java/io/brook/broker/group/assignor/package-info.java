/**
 * Server-side partition assignors of the consumer group protocol (KIP-848): pure, deterministic functions from the
 * members' subscriptions, their previous target and the topics' partition counts to a new target assignment.
 * Stateless and thread-safe.
 */
package io.brook.broker.group.assignor;
