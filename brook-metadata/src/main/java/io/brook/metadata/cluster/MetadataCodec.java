package io.brook.metadata.cluster;

import java.io.IOException;

import org.apache.kafka.common.Uuid;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Binary form of commands, replies and queries, as the quorum's log and RPCs carry them.
 *
 * <pre>
 * +---------+------------------------------------------------+
 * | version | UTF-8 JSON object, {"type":"&lt;RecordName&gt;",...}  |
 * | 1 byte  | the rest of the array, nothing after the object |
 * +---------+------------------------------------------------+
 * </pre>
 *
 * Uuids are written in Kafka's base64 form, map keys in sorted order (so equal values give equal bytes). Decoding
 * rejects an unknown version, unknown properties and trailing bytes with {@link IllegalArgumentException}: a
 * command that cannot be decoded means the log was written by an incompatible version, which no node may skip.
 *
 * <p>Thread-safe and stateless.
 */
public final class MetadataCodec {

    /** The only version written and read. */
    public static final byte VERSION = 1;

    private static final ObjectMapper MAPPER = newMapper();

    private MetadataCodec() {
    }

    /** A mapper configured for the metadata formats: Kafka Uuids, sorted maps, strict reading. */
    static ObjectMapper newMapper() {
        SimpleModule uuids = new SimpleModule("kafka-uuid");
        uuids.addSerializer(Uuid.class, new JsonSerializer<>() {
            @Override
            public void serialize(Uuid value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                gen.writeString(value.toString());
            }
        });
        uuids.addDeserializer(Uuid.class, new JsonDeserializer<>() {
            @Override
            public Uuid deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return Uuid.fromString(p.getValueAsString());
            }
        });
        return JsonMapper.builder().addModule(uuids).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public static byte[] encode(MetadataCommand command) {
        return write(command, MetadataCommand.class);
    }

    public static MetadataCommand decodeCommand(byte[] bytes) {
        return read(bytes, MetadataCommand.class);
    }

    public static byte[] encode(CommandReply reply) {
        return write(reply, CommandReply.class);
    }

    public static CommandReply decodeReply(byte[] bytes) {
        return read(bytes, CommandReply.class);
    }

    public static byte[] encode(MetadataQuery query) {
        return write(query, MetadataQuery.class);
    }

    public static MetadataQuery decodeQuery(byte[] bytes) {
        return read(bytes, MetadataQuery.class);
    }

    public static byte[] encode(MetadataQuery.Answer answer) {
        return write(answer, MetadataQuery.Answer.class);
    }

    public static MetadataQuery.Answer decodeAnswer(byte[] bytes) {
        return read(bytes, MetadataQuery.Answer.class);
    }

    private static <T> byte[] write(T value, Class<T> type) {
        try {
            byte[] json = MAPPER.writerFor(type).writeValueAsBytes(value);
            byte[] bytes = new byte[json.length + 1];
            bytes[0] = VERSION;
            System.arraycopy(json, 0, bytes, 1, json.length);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode " + value, e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes.length < 1 || bytes[0] != VERSION) {
            throw new IllegalArgumentException("Unknown metadata codec version "
                    + (bytes.length < 1 ? "(empty)" : Byte.toString(bytes[0])));
        }
        try {
            return MAPPER.readValue(bytes, 1, bytes.length - 1, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot decode a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
