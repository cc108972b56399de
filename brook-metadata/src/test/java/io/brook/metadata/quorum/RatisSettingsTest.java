package io.brook.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClientConfigKeys;
import org.junit.jupiter.api.Test;

class RatisSettingsTest {

    private static final QuorumConfig CONFIG = QuorumConfig
            .voter(1, QuorumVoters.parse("1@127.0.0.1:9093"), Path.of("unused"))
            .withRequestTimeout(Duration.ofSeconds(2));

    @Test
    void shouldBoundACommandAttemptByTheRequestTimeoutSoASilentLeaderIsLeftSoon() {
        long attempt = RaftClientConfigKeys.Rpc.requestTimeout(RatisSettings.commandClient(CONFIG))
                .toLong(TimeUnit.MILLISECONDS);

        assertThat(attempt).isEqualTo(2000);
    }

    @Test
    void shouldBoundAQueryAttemptByTheRequestTimeout() {
        long attempt = RaftClientConfigKeys.Rpc.requestTimeout(RatisSettings.queryClient(CONFIG))
                .toLong(TimeUnit.MILLISECONDS);

        assertThat(attempt).isEqualTo(2000);
    }
}
