package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ListenerSpecTest {

    @Test
    void shouldParseHostNamesIpv6LiteralsAndEmptyHosts() {
        List<ListenerSpec> specs = ListenerSpec.parseAll("listeners",
                List.of("PLAINTEXT://localhost:9092"));
        assertThat(specs).containsExactly(new ListenerSpec("PLAINTEXT", "localhost", 9092));

        ListenerSpec ipv6 = ListenerSpec.parse("listeners", "PLAINTEXT://[::1]:0");
        assertThat(ipv6.bareHost()).isEqualTo("::1");
        assertThat(ipv6.isWildcard()).isFalse();
        assertThat(ListenerSpec.parse("listeners", "PLAINTEXT://:9092").isWildcard()).isTrue();
        assertThat(ListenerSpec.parse("listeners", "PLAINTEXT://0.0.0.0:9092").isWildcard()).isTrue();
    }

    @Test
    void shouldRejectMalformedEntriesAndDuplicateNames() {
        assertThatThrownBy(() -> ListenerSpec.parseAll("listeners", List.of("localhost:9092")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NAME://host:port");
        assertThatThrownBy(() -> ListenerSpec.parseAll("listeners", List.of("PLAINTEXT://localhost:70000")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ListenerSpec.parseAll("listeners",
                List.of("PLAINTEXT://localhost:9092", "PLAINTEXT://localhost:9093")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
    }
}
