package io.brook.it.harness;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The test JVM's full classpath and java binary, for starting child JVMs (the broker, Kafka's tools). Surefire
 * normally runs tests behind a manifest-only jar, so {@code java.class.path} alone would be that one jar; surefire
 * publishes the real classpath as {@code surefire.test.class.path}.
 */
public final class TestClasspath {

    private TestClasspath() {
    }

    public static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A test resource as a file (resources are copied to target/test-classes, so they are plain files). */
    public static Path resource(String name) {
        var url = TestClasspath.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource not found: " + name);
        }
        try {
            return Paths.get(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
