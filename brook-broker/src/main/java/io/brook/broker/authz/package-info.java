/**
 * Authorization with Kafka's ACL model: {@link io.brook.broker.authz.AclIndex} (the ACLs of one metadata image,
 * indexed for per-request decisions), {@link io.brook.broker.authz.AclAuthorizer} (Brook's counterpart of Kafka's
 * {@code StandardAuthorizer}: super users, {@code allow.everyone.if.no.acl.found}, the index of the newest image) and
 * {@link io.brook.broker.authz.Authorization}, the one object handlers ask.
 *
 * <p>Thread safety is stated per class.
 */
package io.brook.broker.authz;
