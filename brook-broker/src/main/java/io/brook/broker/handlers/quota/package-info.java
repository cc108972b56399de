/**
 * DescribeClientQuotas and AlterClientQuotas over the client quotas in the cluster metadata. Thread safety is stated
 * per class.
 */
package io.brook.broker.handlers.quota;
