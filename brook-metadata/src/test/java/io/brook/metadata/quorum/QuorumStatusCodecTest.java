package io.brook.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class QuorumStatusCodecTest {

    private static final QuorumStatus STATUS = new QuorumStatus(2, QuorumRole.VOTER, OptionalInt.of(2), 7, 41, 40,
            List.of(new QuorumStatus.Member(1, "localhost:9093", 41, 40, 12),
                    new QuorumStatus.Member(2, "[::1]:9094", 42, 41, 0)),
            List.of(new QuorumStatus.Member(4, "host-4:7000", -1, -1, -1)));

    @Test
    void shouldDecodeWhatItEncodes() {
        assertThat(QuorumStatusCodec.decode(QuorumStatusCodec.encode(STATUS))).isEqualTo(STATUS);
    }

    @Test
    void shouldKeepAnUnknownLeaderUnknown() {
        QuorumStatus noLeader = new QuorumStatus(3, QuorumRole.LISTENER, OptionalInt.empty(), 0, -1, -1, List.of(),
                List.of());

        assertThat(QuorumStatusCodec.decode(QuorumStatusCodec.encode(noLeader))).isEqualTo(noLeader);
    }

    @Test
    void shouldRejectTruncatedOrTrailingBytes() {
        byte[] encoded = QuorumStatusCodec.encode(STATUS);

        assertThatThrownBy(() -> QuorumStatusCodec.decode(Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuorumStatusCodec.decode(Arrays.copyOf(encoded, encoded.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuorumStatusCodec.decode(new byte[]{9}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
