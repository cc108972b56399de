package io.brook.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine;

/** Brook's version (from the build) and the Kafka protocol library it speaks through. Stateless. */
final class BrookVersion implements CommandLine.IVersionProvider {

    static String brook() {
        return versionIn("/brook-version.properties");
    }

    /** Read from the resource kafka-clients ships its version in (its accessor class is internal API). */
    static String kafkaClients() {
        return versionIn("/kafka/kafka-version.properties");
    }

    private static String versionIn(String resource) {
        try (InputStream in = BrookVersion.class.getResourceAsStream(resource)) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[]{"Brook " + brook(), "Kafka protocol: kafka-clients " + kafkaClients(),
                "Java " + Runtime.version()};
    }
}
