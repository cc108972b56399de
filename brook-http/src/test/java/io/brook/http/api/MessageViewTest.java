package io.brook.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MessageViewTest {

    @Test
    void shouldShowJsonWhenTheBytesAreAJsonObject() {
        Map<String, Object> view = MessageView.bytes("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(view).containsEntry("format", "json").containsEntry("text", "{\"a\":1}")
                .containsEntry("base64", "eyJhIjoxfQ==");
        assertThat(view.get("json")).hasToString("{\"a\":1}");
    }

    @Test
    void shouldShowTextWhenTheBytesArePrintableUtf8() {
        assertThat(MessageView.bytes("héllo 42".getBytes(StandardCharsets.UTF_8)))
                .containsEntry("format", "text").containsEntry("text", "héllo 42");
    }

    @Test
    void shouldShowHexWhenTheBytesAreBinary() {
        assertThat(MessageView.bytes(new byte[]{0, 1, (byte) 0xff}))
                .containsEntry("format", "hex").containsEntry("text", "00 01 ff").containsEntry("size", 3);
    }

    @Test
    void shouldShowNothingForNullBytes() {
        assertThat(MessageView.bytes(null)).isNull();
    }
}
