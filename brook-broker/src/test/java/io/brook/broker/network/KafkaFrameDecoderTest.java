package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class KafkaFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(16));

    @Test
    void shouldEmitFramesSplitAtAnyByte() {
        byte[] stream = {0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 1, 9};
        for (byte b : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{b}));
        }

        assertThat(frame()).containsExactly(1, 2, 3);
        assertThat(frame()).containsExactly(9);
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldEmitSeveralFramesFromOneRead() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 1, 7, 0, 0, 0, 2, 8, 9}));

        assertThat(frame()).containsExactly(7);
        assertThat(frame()).containsExactly(8, 9);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldCloseWithoutAllocatingWhenTheSizeExceedsTheLimit() {
        ByteBuf oversized = Unpooled.buffer().writeInt(17).writeBytes(new byte[8]);

        channel.writeInbound(oversized);

        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(oversized.refCnt()).isZero();
    }

    @Test
    void shouldCloseWhenTheSizeIsNegative() {
        channel.writeInbound(Unpooled.buffer().writeInt(-5));

        assertThat(channel.isOpen()).isFalse();
    }

    private byte[] frame() {
        ByteBuffer frame = channel.readInbound();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return bytes;
    }
}
