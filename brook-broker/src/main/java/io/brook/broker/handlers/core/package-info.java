/** Handlers every broker has regardless of the other families: ApiVersions and Metadata. No Netty here. */
package io.brook.broker.handlers.core;
