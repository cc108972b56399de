package io.brook.broker.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;

/**
 * Turns a kafka-clients {@link Send} (what {@code AbstractResponse.toSend} builds: the size prefix, header and fields
 * as heap buffers, file-backed records as a transfer from their {@link FileChannel}) into Netty messages without
 * copying: heap buffers are wrapped, and each file transfer becomes a {@link DefaultFileRegion} over the log's own
 * channel, which the epoll transport sends with {@code sendfile} and NIO with {@code transferTo}.
 *
 * <p>The Send is driven through a channel that accepts every byte at once, so it records the pieces in order rather
 * than writing them. Not thread-safe; one call per response on the connection's event loop.
 */
final class SendWriter {

    private SendWriter() {
    }

    /** The Netty messages (ByteBuf or FileRegion) that carry {@code send}, in order. The caller owns them. */
    static List<Object> toMessages(Send send) throws IOException {
        CapturingChannel channel = new CapturingChannel();
        try {
            // Every write is accepted whole, so a Send completes in one pass; the bound only guards a broken Send.
            for (int pass = 0; !send.completed(); pass++) {
                if (pass > 1_000) {
                    throw new IOException("Send did not complete: " + send);
                }
                send.writeTo(channel);
            }
        } catch (IOException | RuntimeException e) {
            channel.releaseAll();
            throw e;
        }
        return channel.messages;
    }

    /** A file region over a channel that the log owns: releasing the region must not close the log's file. */
    static final class SharedFileRegion extends DefaultFileRegion {

        private final FileChannel file;

        SharedFileRegion(FileChannel file, long position, long count) {
            super(file, position, count);
            this.file = file;
        }

        /** The log's file (for copying the region where it cannot be sent as is, e.g. under TLS). */
        FileChannel file() {
            return file;
        }

        @Override
        protected void deallocate() {
            // The FileChannel belongs to the log segment, which closes it.
        }
    }

    private static final class CapturingChannel implements TransferableChannel {

        private final List<Object> messages = new ArrayList<>();

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) {
            if (count > 0) {
                messages.add(new SharedFileRegion(fileChannel, position, count));
            }
            return count;
        }

        @Override
        public int write(ByteBuffer src) {
            int length = src.remaining();
            if (length > 0) {
                messages.add(Unpooled.wrappedBuffer(src.slice()));
                src.position(src.limit());
            }
            return length;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                written += write(srcs[i]);
            }
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }

        void releaseAll() {
            for (Object message : messages) {
                io.netty.util.ReferenceCountUtil.release(message);
            }
            messages.clear();
        }
    }
}
