/**
 * Admin API handlers: topics (CreateTopics, DeleteTopics, CreatePartitions), configs (DescribeConfigs, AlterConfigs,
 * IncrementalAlterConfigs), DescribeCluster and DescribeLogDirs. Reads are answered inline from the metadata image;
 * mutations, which fsync the metadata store, run on the family's single admin thread so they never block an event
 * loop. Built by {@link io.brook.broker.handlers.admin.AdminHandlers#create}.
 */
package io.brook.broker.handlers.admin;
