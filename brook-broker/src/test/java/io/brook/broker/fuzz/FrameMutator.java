package io.brook.broker.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Mutates a request frame (header and body, no size prefix) the ways a broken or hostile client would: flipped bits,
 * boundary values written over sizes, lengths and counts, oversized or malformed varints (compact lengths and tagged
 * fields), a bogus tagged-field section, truncation, appended garbage, cut or repeated chunks, and other API keys and
 * versions. Mostly one mutation, sometimes two or three stacked.
 *
 * <p>Not thread-safe; deterministic for a given {@link Random}.
 */
final class FrameMutator {

    private static final byte[] INTERESTING_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff};
    private static final short[] INTERESTING_SHORTS = {-1, 0, 1, 0x7fff, Short.MIN_VALUE, 0x100};
    private static final int[] INTERESTING_INTS = {-1, 0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000,
            100 * 1024 * 1024, 0x7fff};
    private static final byte[][] VARINTS = {{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {0}, {1},
            {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}};

    private final Random random;

    FrameMutator(Random random) {
        this.random = random;
    }

    byte[] mutate(byte[] seed) {
        byte[] frame = seed.clone();
        // Mostly one mutation: a frame broken in several places rarely gets past the codec.
        int count = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
        for (int i = 0; i < count; i++) {
            frame = mutateOnce(frame);
        }
        return frame;
    }

    private byte[] mutateOnce(byte[] frame) {
        if (frame.length == 0) {
            return garbage(1 + random.nextInt(16));
        }
        int at = random.nextInt(frame.length);
        switch (random.nextInt(12)) {
            case 0 -> frame[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> frame[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
            case 2 -> putShort(frame, at, INTERESTING_SHORTS[random.nextInt(INTERESTING_SHORTS.length)]);
            case 3 -> putInt(frame, at, random.nextBoolean()
                    ? INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]
                    : random.nextInt());
            case 4 -> frame = insert(frame, at, VARINTS[random.nextInt(VARINTS.length)]);
            case 5 -> frame = Arrays.copyOf(frame, at);
            case 6 -> frame = insert(frame, frame.length, garbage(1 + random.nextInt(64)));
            case 7 -> frame = cut(frame, at, 1 + random.nextInt(Math.max(1, Math.min(32, frame.length - at))));
            case 8 -> frame = repeat(frame, at, 1 + random.nextInt(Math.max(1, Math.min(32, frame.length - at))));
            case 9 -> putShort(frame, 0, (short) (random.nextInt(8) == 0
                    ? random.nextInt(Short.MAX_VALUE)
                    : ApiKeys.values()[random.nextInt(ApiKeys.values().length)].id));
            case 10 -> putShort(frame, 2, (short) (random.nextInt(22) - 2));
            default -> frame = taggedFields(frame);
        }
        return frame;
    }

    /** Replaces the trailing "no tagged fields" byte with a section that claims fields, of random sizes. */
    private byte[] taggedFields(byte[] frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(frame, 0, frame.length - 1);
        int fields = 1 + random.nextInt(3);
        out.write(fields);
        for (int i = 0; i < fields; i++) {
            out.write(random.nextInt(128));
            byte[] size = random.nextBoolean() ? VARINTS[random.nextInt(VARINTS.length)] : new byte[]{4};
            out.write(size, 0, size.length);
            byte[] payload = garbage(random.nextInt(6));
            out.write(payload, 0, payload.length);
        }
        return out.toByteArray();
    }

    private byte[] garbage(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void putShort(byte[] frame, int at, short value) {
        if (at + 2 <= frame.length) {
            frame[at] = (byte) (value >> 8);
            frame[at + 1] = (byte) value;
        }
    }

    private static void putInt(byte[] frame, int at, int value) {
        if (at + 4 <= frame.length) {
            putShort(frame, at, (short) (value >> 16));
            putShort(frame, at + 2, (short) value);
        }
    }

    private static byte[] insert(byte[] frame, int at, byte[] bytes) {
        byte[] result = new byte[frame.length + bytes.length];
        System.arraycopy(frame, 0, result, 0, at);
        System.arraycopy(bytes, 0, result, at, bytes.length);
        System.arraycopy(frame, at, result, at + bytes.length, frame.length - at);
        return result;
    }

    private static byte[] cut(byte[] frame, int at, int length) {
        int end = Math.min(frame.length, at + length);
        byte[] result = new byte[frame.length - (end - at)];
        System.arraycopy(frame, 0, result, 0, at);
        System.arraycopy(frame, end, result, at, frame.length - end);
        return result;
    }

    private static byte[] repeat(byte[] frame, int at, int length) {
        int end = Math.min(frame.length, at + length);
        return insert(frame, end, Arrays.copyOfRange(frame, at, end));
    }
}
