/**
 * CreateAcls, DescribeAcls and DeleteAcls over the ACLs in the cluster metadata. Thread safety is stated per class.
 */
package io.brook.broker.handlers.acl;
