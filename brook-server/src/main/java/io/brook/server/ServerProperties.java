package io.brook.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the settings the {@code server} command was given: an optional Java properties file (Kafka's
 * {@code server.properties} format), then the {@code --override} pairs, which win. Stateless.
 */
public final class ServerProperties {

    private ServerProperties() {
    }

    /** Returns the merged settings, sorted by name. */
    public static Map<String, String> load(Path file, Map<String, String> overrides) {
        Map<String, String> settings = new TreeMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (NoSuchFileException e) {
                throw new ConfigFileException("Config file not found: " + file.toAbsolutePath(), e);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigFileException("Cannot read config file " + file + ": " + e.getMessage(), e);
            }
            for (String name : properties.stringPropertyNames()) {
                settings.put(name.trim(), properties.getProperty(name));
            }
        }
        overrides.forEach((name, value) -> settings.put(name.trim(), value));
        return settings;
    }
}
