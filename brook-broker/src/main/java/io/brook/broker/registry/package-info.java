/** Which handler answers which API, and which versions are advertised. */
package io.brook.broker.registry;
