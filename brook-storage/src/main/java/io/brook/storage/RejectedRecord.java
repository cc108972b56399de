package io.brook.storage;

/**
 * One record a leader append refused: its index in its batch and why, what a Produce response lists in its
 * {@code record_errors} so that the Java producer fails that record with the reason and the rest of the batch as
 * collateral.
 */
public record RejectedRecord(int batchIndex, String message) {
}
