package io.brook.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's bounded key → latest offset map. Keys are stored as their 16-byte MD5 digest, so memory per key is
 * fixed whatever the key's size; two keys sharing a digest would be merged, which at 128 bits does not happen in
 * practice (Kafka's cleaner makes the same trade).
 *
 * <pre>
 * slot (24 bytes):  md5(key) 16 bytes | offset int64      open addressing, linear probing from the digest's
 *                                                          first 4 bytes; an all-zero digest marks a free slot
 * </pre>
 *
 * <p>At most {@link #capacity()} keys (90% of the slots, Kafka's {@code log.cleaner.io.buffer.load.factor} default) so
 * probes stay short. Not thread-safe: owned by one cleaner thread.
 */
final class KeyOffsetMap {

    static final int SLOT_BYTES = 16 + 8;
    private static final double LOAD_FACTOR = 0.9;
    private static final byte[] FREE = new byte[16];

    private final ByteBuffer slots;
    private final int slotCount;
    private final int capacity;
    private final MessageDigest digest;
    private final byte[] hash = new byte[16];
    private final byte[] probe = new byte[16];
    private int size;
    private long latestOffset = -1;

    KeyOffsetMap(int memoryBytes) {
        this.slotCount = Math.max(2, memoryBytes / SLOT_BYTES);
        this.capacity = Math.max(1, (int) (slotCount * LOAD_FACTOR));
        this.slots = ByteBuffer.allocate(slotCount * SLOT_BYTES);
        try {
            this.digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    /** Bytes this map needs to hold {@code keys} keys. */
    static long bytesFor(long keys) {
        return (long) Math.ceil(keys / LOAD_FACTOR + 1) * SLOT_BYTES;
    }

    /** Bytes of the slot array. */
    int memoryBytes() {
        return slotCount * SLOT_BYTES;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size >= capacity;
    }

    /** The largest offset put since the last clear, -1 if none. */
    long latestOffset() {
        return latestOffset;
    }

    /** Records {@code offset} as the latest for {@code key}; a key already present is overwritten. */
    void put(ByteBuffer key, long offset) {
        int slot = find(key);
        if (!isFree(slot)) {
            slots.putLong(slot * SLOT_BYTES + 16, offset);
        } else {
            if (isFull()) {
                throw new IllegalStateException("key map is full (" + size + " keys)");
            }
            slots.put(slot * SLOT_BYTES, hash);
            slots.putLong(slot * SLOT_BYTES + 16, offset);
            size++;
        }
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The latest offset put for {@code key}, or -1. */
    long get(ByteBuffer key) {
        int slot = find(key);
        return isFree(slot) ? -1 : slots.getLong(slot * SLOT_BYTES + 16);
    }

    void clear() {
        Arrays.fill(slots.array(), (byte) 0);
        size = 0;
        latestOffset = -1;
    }

    /** Digests {@code key} into {@link #hash} and returns its slot, or the free slot where it would go. */
    private int find(ByteBuffer key) {
        digest.update(key.duplicate());
        try {
            digest.digest(hash, 0, 16);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        if (Arrays.equals(hash, FREE)) {
            hash[0] = 1; // keep the all-zero digest free as the empty marker
        }
        int slot = Math.floorMod(ByteBuffer.wrap(hash).getInt(), slotCount);
        while (true) {
            slots.get(slot * SLOT_BYTES, probe);
            if (Arrays.equals(probe, FREE) || Arrays.equals(probe, hash)) {
                return slot;
            }
            slot = slot + 1 == slotCount ? 0 : slot + 1;
        }
    }

    private boolean isFree(int slot) {
        slots.get(slot * SLOT_BYTES, probe);
        return Arrays.equals(probe, FREE);
    }
}
