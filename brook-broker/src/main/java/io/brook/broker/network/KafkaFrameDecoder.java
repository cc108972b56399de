package io.brook.broker.network;

import java.nio.ByteBuffer;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the byte stream into Kafka request frames (a 4-byte big-endian size, then that many bytes). The size is
 * checked against {@code socket.request.max.bytes} before anything is allocated for the frame; a negative or too big
 * size closes the connection with the reason logged, as Kafka does (there is no correlation id to answer to).
 *
 * <p>Each frame is copied once into its own heap {@link ByteBuffer} and the Netty buffer is released at once: parsed
 * requests (produce records in particular) keep referring to their frame's memory for as long as a handler holds
 * them, which must not be a pooled buffer that Netty reuses. Kafka reads each request into a heap buffer too.
 *
 * <p>One instance per connection; runs on its event loop.
 */
final class KafkaFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;

    private final int maxRequestBytes;
    private boolean rejected;

    KafkaFrameDecoder(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxRequestBytes) {
            rejected = true;
            in.skipBytes(in.readableBytes());
            LOG.warn("Closing connection from {}: invalid request size {} (socket.request.max.bytes = {})",
                    ctx.channel().remoteAddress(), size, maxRequestBytes);
            ctx.close();
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        ByteBuffer frame = ByteBuffer.allocate(size);
        in.readBytes(frame);
        frame.flip();
        out.add(frame);
    }
}
