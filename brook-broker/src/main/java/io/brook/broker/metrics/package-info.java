/**
 * The broker's metrics, recorded into a Micrometer {@code MeterRegistry} handed to the broker: counters on the data
 * path resolved once per topic or API, and gauges read from the broker's state when a scrape asks.
 */
package io.brook.broker.metrics;
