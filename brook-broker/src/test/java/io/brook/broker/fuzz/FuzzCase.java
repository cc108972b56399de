package io.brook.broker.fuzz;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * One generated input: the bytes after a size prefix, and the size prefix to send ({@code declaredSize} below the
 * real length makes the rest look like the start of the next frame).
 */
record FuzzCase(int index, byte[] frame, int declaredSize) {

    byte[] wireBytes() {
        return ByteBuffer.allocate(4 + frame.length).putInt(declaredSize).put(frame).array();
    }

    /** The API key and version the frame claims, for reports. */
    String describe() {
        if (frame.length < 4) {
            return "case " + index + " (" + frame.length + " bytes)";
        }
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        return "case " + index + " (api key " + buffer.getShort() + " v" + buffer.getShort() + ", " + frame.length
                + " bytes, declared " + declaredSize + "): " + HexFormat.of().formatHex(frame);
    }
}
