package io.brook.metadata.cluster;

import java.util.ArrayList;
import java.util.List;

import io.brook.metadata.AclEntry;

/**
 * Applies CreateAcls and DeleteAcls to an {@link ImageBuilder}. Stateless; the caller owns the builder.
 */
final class AclControl {

    private AclControl() {
    }

    static CommandReply createAcls(ImageBuilder image, MetadataCommand.CreateAcls command) {
        image.acls().addAll(command.acls());
        return new CommandReply.Done();
    }

    /** Each filter sees the ACLs as they were before the command, as Kafka matches every filter against one view. */
    static CommandReply deleteAcls(ImageBuilder image, MetadataCommand.DeleteAcls command) {
        List<AclEntry> before = image.acls().stream().sorted(AclEntry.ORDER).toList();
        List<List<AclEntry>> deleted = new ArrayList<>();
        for (MetadataCommand.AclFilter filter : command.filters()) {
            List<AclEntry> matched = before.stream().filter(filter::matches).toList();
            deleted.add(matched);
            matched.forEach(image.acls()::remove);
        }
        return new CommandReply.AclsDeleted(deleted);
    }
}
