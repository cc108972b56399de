/**
 * Client quotas (KIP-13, KIP-55, KIP-124, KIP-219): the sampled rate math ({@link io.brook.broker.quota.SampledRate}),
 * the resolution of a client's quota from the metadata image ({@link io.brook.broker.quota.QuotaResolver}), the
 * per-type managers that record usage and compute throttle times ({@link io.brook.broker.quota.ClientQuotaManager}),
 * and the wrapper that applies them to requests ({@link io.brook.broker.quota.QuotaGate}). Thread safety is stated per
 * class.
 */
package io.brook.broker.quota;
