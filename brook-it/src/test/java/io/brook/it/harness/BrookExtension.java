package io.brook.it.harness;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts one broker per test class before its first test and stops it after the last, then checks the broker's log
 * for Netty leak reports and unexpected ERROR lines. With the environment variable {@code BROOK_IT_BOOTSTRAP=host:port}
 * no process is started and the tests use that broker instead (how the suite is checked against Apache Kafka).
 *
 * <p>JUnit calls the callbacks on its own thread; the broker handle lives in the class-level store.
 */
public final class BrookExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** host:port of an externally managed broker; when set, no process is started. */
    public static final String EXTERNAL_BOOTSTRAP_ENV = "BROOK_IT_BOOTSTRAP";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrookExtension.class);
    private static final String KEY = "broker";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        BrookTest settings = AnnotationSupport.findAnnotation(testClass, BrookTest.class).orElse(null);
        int port = settings == null ? 0 : settings.port();
        List<String> overrides = settings == null ? List.of() : Arrays.asList(settings.overrides());
        String external = System.getenv(EXTERNAL_BOOTSTRAP_ENV);
        BrookBroker broker;
        if (external != null && !external.isBlank()) {
            broker = ExternalBroker.of(external.trim());
        } else {
            ProcessBroker process = new ProcessBroker(BrokerLauncher.fromEnvironment(), port, overrides,
                    WorkDirs.forClass(testClass));
            process.start();
            broker = process;
        }
        context.getStore(NAMESPACE).put(KEY, broker);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        BrookBroker broker = context.getStore(NAMESPACE).remove(KEY, BrookBroker.class);
        if (broker instanceof ProcessBroker process) {
            process.shutDownAndCheckLog();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == BrookBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getStore(NAMESPACE).get(KEY, BrookBroker.class);
    }
}
