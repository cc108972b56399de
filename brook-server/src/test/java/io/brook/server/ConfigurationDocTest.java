package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.brook.broker.config.BrokerConfig;

class ConfigurationDocTest {

    /** Surefire runs in the module directory; the docs live at the repository root. */
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void shouldMatchCommittedConfigurationDoc() throws IOException {
        String generated = ConfigDocGenerator.generate();
        if (Boolean.getBoolean("brook.docs.regenerate")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }

        String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";

        assertThat(committed).as("docs/configuration.md is out of date with BrokerConfig; regenerate it with: "
                + ConfigDocGenerator.REGENERATE_COMMAND).isEqualTo(generated);
    }

    @Test
    void shouldDocumentEverySettingWithItsStatus() {
        String generated = ConfigDocGenerator.generate();

        for (String name : BrokerConfig.definition().names()) {
            assertThat(generated).contains("| `" + name + "` |");
        }
        for (String name : BrokerConfig.notActedOn()) {
            assertThat(BrokerConfig.definition().names()).contains(name);
            assertThat(generated).contains("- `" + name + "`: ");
        }
    }
}
