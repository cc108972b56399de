package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class KeyOffsetMapTest {

    private static ByteBuffer key(String key) {
        return ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReturnLatestOffsetPutForKey() {
        KeyOffsetMap map = new KeyOffsetMap(24 * 100);
        map.put(key("a"), 1);
        map.put(key("b"), 2);
        map.put(key("a"), 7);

        assertThat(map.get(key("a"))).isEqualTo(7);
        assertThat(map.get(key("b"))).isEqualTo(2);
        assertThat(map.get(key("c"))).isEqualTo(-1);
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.latestOffset()).isEqualTo(7);
    }

    @Test
    void shouldHoldAtMostNinetyPercentOfSlotsWhenBoundedByMemory() {
        KeyOffsetMap map = new KeyOffsetMap(24 * 10);
        for (int i = 0; i < map.capacity(); i++) {
            map.put(key("k" + i), i);
        }

        assertThat(map.capacity()).isEqualTo(9);
        assertThat(map.isFull()).isTrue();
        map.put(key("k0"), 100); // an existing key still updates
        assertThat(map.get(key("k0"))).isEqualTo(100);
        assertThatThrownBy(() -> map.put(key("new"), 1)).isInstanceOf(IllegalStateException.class);
        for (int i = 1; i < map.capacity(); i++) {
            assertThat(map.get(key("k" + i))).isEqualTo(i);
        }
    }

    @Test
    void shouldForgetEverythingWhenCleared() {
        KeyOffsetMap map = new KeyOffsetMap(24 * 10);
        map.put(key("a"), 3);

        map.clear();

        assertThat(map.get(key("a"))).isEqualTo(-1);
        assertThat(map.size()).isZero();
        assertThat(map.latestOffset()).isEqualTo(-1);
    }
}
