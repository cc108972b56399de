package io.brook.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments replaced by a cleaned one, their files already renamed to {@code *.deleted}. They stay open until
 * {@link #destroy()} so that a read that found them before the swap (a fetch holding a slice of the old file) still
 * completes; the cleaner destroys them after {@code log.segment.delete.delay.ms}, and a crash leaves only
 * {@code *.deleted} files, which the loader removes.
 *
 * <p>Thread-safe: immutable; {@link #destroy()} is called once, by the cleaner.
 */
record RetiredSegments(List<LogSegment> segments, List<Path> files) {

    private static final Logger LOG = LoggerFactory.getLogger(RetiredSegments.class);
    static final String DELETED_SUFFIX = LogSegment.DELETED_SUFFIX;

    /** Closes the old segments' handles and deletes their renamed files. Never touches the live names. */
    void destroy() {
        for (LogSegment segment : segments) {
            try {
                segment.closeHandlers();
            } catch (IOException e) {
                LOG.warn("Failed to close replaced {}", segment, e);
            }
        }
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Failed to delete {}", file, e);
            }
        }
    }
}
