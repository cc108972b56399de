package io.brook.broker.authz;

import java.net.InetAddress;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;

/**
 * Brook's built-in authorizer, what {@code authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer}
 * selects: super users are allowed everything; otherwise the {@link AclIndex} of the newest metadata image decides,
 * and a resource without any ACL is allowed only with {@code allow.everyone.if.no.acl.found}.
 *
 * <p>The index is rebuilt (off the request path, on the metadata publisher's thread) only when an image brings other
 * ACLs, and swapped in through a volatile field, so a decision costs a few hash lookups and never waits. Thread-safe.
 */
public final class AclAuthorizer implements MetadataStore.MetadataListener {

    private static final Logger LOG = LoggerFactory.getLogger(AclAuthorizer.class);

    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;
    private volatile AclIndex index = AclIndex.EMPTY;
    private volatile Set<io.brook.metadata.AclEntry> indexed = Set.of();

    /**
     * @param superUsers principals as {@code type:name}
     * @param allowIfNoAcl {@code allow.everyone.if.no.acl.found}
     */
    public AclAuthorizer(Set<String> superUsers, boolean allowIfNoAcl) {
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
    }

    /** Indexes the store's current ACLs and follows its changes. */
    public AclAuthorizer follow(MetadataStore metadata) {
        metadata.addListener(this);
        update(metadata.image());
        return this;
    }

    @Override
    public void onChange(MetadataImage previous, MetadataImage current) {
        update(current);
    }

    /** Rebuilds the index when the image's ACLs differ from the indexed ones. */
    public synchronized void update(MetadataImage image) {
        if (image.acls().equals(indexed)) {
            return;
        }
        index = new AclIndex(image.acls());
        indexed = image.acls();
        LOG.debug("Authorizer now indexes {} ACLs", index.size());
    }

    public boolean isSuperUser(KafkaPrincipal principal) {
        return superUsers.contains(principal.toString());
    }

    public boolean authorize(KafkaPrincipal principal, InetAddress host, AclOperation operation,
            ResourceType resourceType, String resourceName) {
        if (isSuperUser(principal)) {
            return true;
        }
        AclIndex.Decision decision = index.decide(principal.toString(), principal.getPrincipalType(),
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
        return index.anyAllowed(principal.toString(), principal.getPrincipalType(), host.getHostAddress(), operation,
                resourceType) || (allowIfNoAcl && index.size() == 0);
    }
}
