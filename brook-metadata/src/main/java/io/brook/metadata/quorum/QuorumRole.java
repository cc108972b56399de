package io.brook.metadata.quorum;

/** What a node is in the metadata quorum. */
public enum QuorumRole {
    /** Votes in elections and counts towards the majority that commits a command (a controller). */
    VOTER,
    /** Follows the committed log and holds the same state, but never votes nor counts (a pure broker). */
    LISTENER
}
