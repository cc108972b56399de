package io.brook.metadata.quorum;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The file a state machine snapshot is written to. Ratis names it {@code snapshot.<term>_<index>}; the contents repeat
 * the term and index and end with a checksum, so a torn or foreign file is refused on load instead of restored.
 *
 * <pre>
 * +--------+---------+--------+--------+--------+------------------+--------+
 * | magic  | version |  term  | index  | length | state (length B) | crc32c |
 * | int32  | int16   | int64  | int64  | int32  |                  | int32  |
 * +--------+---------+--------+--------+--------+------------------+--------+
 * crc32c covers every byte before it.
 * </pre>
 *
 * <p>Stateless; safe from any thread.
 */
final class SnapshotFile {

    static final int MAGIC = 0x42524B53; // "BRKS"
    static final short VERSION = 1;
    private static final int HEADER = 4 + 2 + 8 + 8 + 4;

    private SnapshotFile() {
    }

    /** A snapshot's term, index and state as read back. */
    record Contents(long term, long index, byte[] state) {
    }

    /**
     * Writes the snapshot durably: to a temporary file, fsynced, then renamed over {@code target} and the directory
     * fsynced, because Ratis purges the log up to this index once we return.
     */
    static void write(Path target, long term, long index, byte[] state) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + state.length + 4);
        buffer.putInt(MAGIC).putShort(VERSION).putLong(term).putLong(index).putInt(state.length).put(state);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue()).flip();

        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Reads and verifies a snapshot file; the term and index must match the ones Ratis parsed from its name. */
    static Contents read(Path file, long expectedTerm, long expectedIndex) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        if (buffer.remaining() < HEADER + 4) {
            throw new IOException("snapshot " + file + " is truncated: " + buffer.remaining() + " bytes");
        }
        int magic = buffer.getInt();
        short version = buffer.getShort();
        if (magic != MAGIC || version != VERSION) {
            throw new IOException("snapshot " + file + " is not a Brook snapshot (magic " + Integer.toHexString(magic)
                    + ", version " + version + ")");
        }
        long term = buffer.getLong();
        long index = buffer.getLong();
        int length = buffer.getInt();
        if (length < 0 || length != buffer.remaining() - 4) {
            throw new IOException("snapshot " + file + " says " + length + " bytes of state but holds "
                    + (buffer.remaining() - 4));
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, HEADER + length);
        byte[] state = new byte[length];
        buffer.get(state);
        int stored = buffer.getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException("snapshot " + file + " fails its checksum");
        }
        if (term != expectedTerm || index != expectedIndex) {
            throw new IOException("snapshot " + file + " holds term " + term + " index " + index + ", its name says "
                    + expectedTerm + "_" + expectedIndex);
        }
        return new Contents(term, index, state);
    }
}
