package io.brook.broker.network;

import java.io.IOException;
import java.util.List;

import io.brook.broker.network.SendWriter.SharedFileRegion;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * Reads the file regions of fetch responses into buffers, on TLS connections only: records must be encrypted, so they
 * cannot go from the page cache to the socket with {@code sendfile} (Kafka's SSL transport copies them too). Chunks of
 * {@value #CHUNK_BYTES} bytes keep a large fetch response from needing one large buffer.
 *
 * <p>Runs on the connection's event loop; stateless.
 */
final class FileRegionReader extends MessageToMessageEncoder<SharedFileRegion> {

    static final int CHUNK_BYTES = 256 * 1024;

    FileRegionReader() {
        super(SharedFileRegion.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SharedFileRegion region, List<Object> out) throws IOException {
        long position = region.position();
        long end = position + region.count();
        while (position < end) {
            int size = (int) Math.min(CHUNK_BYTES, end - position);
            ByteBuf chunk = ctx.alloc().buffer(size, size);
            try {
                while (chunk.isWritable()) {
                    int read = chunk.writeBytes(region.file(), position, chunk.writableBytes());
                    if (read < 0) {
                        throw new IOException("Log file ended " + (end - position) + " bytes before its region");
                    }
                    position += read;
                }
            } catch (IOException | RuntimeException e) {
                chunk.release();
                throw e;
            }
            out.add(chunk);
        }
    }
}
