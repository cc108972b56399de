package io.brook.storage;

/** A ListOffsets answer: the offset found, the timestamp of that record (or -1), and its leader epoch (or -1). */
public record TimestampAndOffset(long timestamp, long offset, int leaderEpoch) {
}
