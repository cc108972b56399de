package io.brook.storage;

import java.util.Locale;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;

/**
 * A topic's {@code compression.type} with its level settings: either {@code producer} (batches are stored in the
 * codec the producer chose, byte for byte) or one codec the broker writes every batch in, recompressing batches that
 * arrive in another codec. A batch already in the target codec is kept as it is whatever level it was compressed with,
 * as Kafka does: levels only apply to batches the broker rebuilds.
 *
 * <p>Immutable and thread-safe.
 */
public final class TopicCompression {

    private static final TopicCompression PRODUCER = new TopicCompression(null, "producer");

    /** The codec batches are rewritten in; null for {@code producer}. */
    private final Compression target;
    private final String description;

    private TopicCompression(Compression target, String description) {
        this.target = target;
        this.description = description;
    }

    /** {@code compression.type=producer}: keep whatever the producer sent. */
    public static TopicCompression producer() {
        return PRODUCER;
    }

    /** Every batch is stored in {@code target} (use {@link Compression#NONE} for {@code uncompressed}). */
    public static TopicCompression of(Compression target) {
        return new TopicCompression(target, target.type().name);
    }

    private static TopicCompression of(Compression target, int level) {
        return new TopicCompression(target, target.type().name + "(level " + level + ")");
    }

    /**
     * Parses Kafka's {@code compression.type} values ({@code producer}, {@code uncompressed}, {@code none},
     * {@code gzip}, {@code snappy}, {@code lz4}, {@code zstd}) with the levels of
     * {@code compression.gzip.level}, {@code compression.lz4.level} and {@code compression.zstd.level}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static TopicCompression parse(String type, int gzipLevel, int lz4Level, int zstdLevel) {
        return switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "producer" -> PRODUCER;
            case "uncompressed", "none" -> of(Compression.NONE);
            case "gzip" -> of(Compression.gzip().level(gzipLevel).build(), gzipLevel);
            case "snappy" -> of(Compression.snappy().build());
            case "lz4" -> of(Compression.lz4().level(lz4Level).build(), lz4Level);
            case "zstd" -> of(Compression.zstd().level(zstdLevel).build(), zstdLevel);
            default -> throw new IllegalArgumentException("Unknown compression.type " + type);
        };
    }

    public boolean keepsProducerCodec() {
        return target == null;
    }

    /** True when a batch compressed with {@code source} has to be rebuilt in another codec. */
    public boolean mustRecompress(CompressionType source) {
        return target != null && target.type() != source;
    }

    /** The codec a batch that arrived in {@code source} is stored in. */
    public Compression targetFor(CompressionType source) {
        return target == null ? Compression.of(source).build() : target;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof TopicCompression that)) {
            return false;
        }
        return target == null ? that.target == null : target.equals(that.target);
    }

    @Override
    public int hashCode() {
        return target == null ? 0 : target.hashCode();
    }

    @Override
    public String toString() {
        return description;
    }
}
