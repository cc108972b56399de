/**
 * SASL-related APIs served by handlers: SaslHandshake and SaslAuthenticate where no SASL conversation expects them
 * (the conversation itself is {@code io.brook.broker.security.SaslAuthenticator}, ahead of the handlers), and SCRAM
 * credential management (AlterUserScramCredentials, DescribeUserScramCredentials) over the cluster metadata.
 * Handlers run on the connection's event loop and never block.
 */
package io.brook.broker.handlers.sasl;
