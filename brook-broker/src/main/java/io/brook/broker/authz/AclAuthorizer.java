package io.brook.broker.authz;

import java.net.InetAddress;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;

/**
 * Brook's built-in authorizer, what {@code authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer}
 * selects: super users are allowed everything; otherwise the {@link AclIndex} of the newest metadata image decides,
 * and a resource without any ACL is allowed only with {@code allow.everyone.if.no.acl.found}.
 *
 * <p>The index is rebuilt when the store's image carries other ACLs than the indexed ones: the first decision after
 * such a change rebuilds it (under a lock, once), every other decision compares one reference and then costs a few
 * hash lookups. Reading the image itself (not a listener's delayed copy) means an ACL applies as soon as its
 * CreateAcls or DeleteAcls has been applied on this node. Thread-safe.
 */
public final class AclAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(AclAuthorizer.class);

    /** The resource name Kafka's authorizeByResourceType falls back to. */
    private static final String UNNAMED_RESOURCE = "hardcode";

    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;
    private volatile Supplier<MetadataImage> images = () -> MetadataImage.EMPTY;
    private volatile Indexed indexed = new Indexed(Set.of(), AclIndex.EMPTY);

    /** The index and the ACL set (by reference) it was built from. */
    private record Indexed(Set<AclEntry> acls, AclIndex index) {
    }

    /**
     * @param superUsers principals as {@code type:name}
     * @param allowIfNoAcl {@code allow.everyone.if.no.acl.found}
     */
    public AclAuthorizer(Set<String> superUsers, boolean allowIfNoAcl) {
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
    }

    /** Decides from the store's current image from now on. */
    public AclAuthorizer follow(MetadataStore metadata) {
        this.images = metadata::image;
        return this;
    }

    /** Decides from {@code image} (tests; a store's images with {@link #follow}). */
    public void update(MetadataImage image) {
        this.images = () -> image;
    }

    private AclIndex index() {
        Set<AclEntry> acls = images.get().acls();
        Indexed current = indexed;
        if (current.acls() == acls) {
            return current.index();
        }
        synchronized (this) {
            current = indexed;
            if (current.acls() != acls) {
                // Images that did not change the ACLs still carry a new set object: keep the index then.
                AclIndex index = current.acls().equals(acls) ? current.index() : new AclIndex(acls);
                if (index != current.index()) {
                    LOG.debug("Authorizer now indexes {} ACLs", index.size());
                }
                current = new Indexed(acls, index);
                indexed = current;
            }
            return current.index();
        }
    }

    public boolean isSuperUser(KafkaPrincipal principal) {
        return superUsers.contains(principal.toString());
    }

    public boolean authorize(KafkaPrincipal principal, InetAddress host, AclOperation operation,
            ResourceType resourceType, String resourceName) {
        if (isSuperUser(principal)) {
            return true;
        }
        AclIndex.Decision decision = index().decide(principal.toString(), principal.getPrincipalType(),
                host.getHostAddress(), operation, resourceType, resourceName);
        return switch (decision) {
            case ALLOWED -> true;
            case DENIED, NO_MATCHING_ACL -> false;
            case NO_ACL -> allowIfNoAcl;
        };
    }

    /** Whether the principal may do {@code operation} on some resource of the type (Kafka's authorizeByResourceType). */
    public boolean authorizeAny(KafkaPrincipal principal, InetAddress host, AclOperation operation,
            ResourceType resourceType) {
        if (isSuperUser(principal)) {
            return true;
        }
        // Without a matching ALLOW, Kafka asks about a resource no ACL is likely to name, so that
        // allow.everyone.if.no.acl.found (and wildcard or prefix ACLs) answer as they would for a fresh resource.
        return index().anyAllowed(principal.toString(), principal.getPrincipalType(), host.getHostAddress(),
                operation, resourceType) || authorize(principal, host, operation, resourceType, UNNAMED_RESOURCE);
    }
}
