package io.brook.it.harness;

import java.lang.reflect.Method;
import java.util.Arrays;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts a {@link BrookCluster} before each test method as its {@link BrookClusterTest} says (the method's annotation
 * wins over the class's), and closes it afterwards, which fails the test if a node does not stop in time or its log
 * shows a leak or an undeclared ERROR. Work directories: {@code target/it-work/<Class>-<method>-*}.
 *
 * <p>JUnit calls the callbacks on the test thread; the cluster lives in the method-level store.
 */
public final class BrookClusterExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    static final java.util.regex.Pattern RATIS_APPEND_TO_CLOSING_VOTER = java.util.regex.Pattern
            .compile("ERROR o\\.a\\.ratis\\.server\\.RaftServer\\$Division - \\d+@group-\\w+: Failed appendEntries");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
            .create(BrookClusterExtension.class);
    private static final String KEY = "cluster";

    @Override
    public void beforeEach(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        BrookClusterTest settings = AnnotationSupport.findAnnotation(method, BrookClusterTest.class)
                .or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(), BrookClusterTest.class))
                .orElseThrow(() -> new IllegalStateException("no @BrookClusterTest on " + method));
        BrookCluster.Builder builder = BrookCluster
                .builder(WorkDirs.create(context.getRequiredTestClass().getSimpleName() + "-" + method.getName()))
                .nodes(settings.nodes()).controllers(settings.controllers())
                .overrides(Arrays.asList(settings.overrides()));
        for (int id : settings.controllerOnly()) {
            builder.controllerOnly(id);
        }
        for (int id : settings.bootstrapOnly()) {
            builder.bootstrapOnly(id);
        }
        for (int id : settings.proxied()) {
            builder.proxied(id);
        }
        for (int id : settings.startLater()) {
            builder.startLater(id);
        }
        BrookCluster cluster = builder.build();
        // The extension stops every node at once; Ratis then logs at ERROR an append a closing voter refused
        // (ServerNotReadyException, state CLOSING). Only that line is allowed; any other ERROR still fails.
        cluster.expectLogLine(RATIS_APPEND_TO_CLOSING_VOTER);
        context.getStore(NAMESPACE).put(KEY, cluster);
        cluster.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        BrookCluster cluster = context.getStore(NAMESPACE).remove(KEY, BrookCluster.class);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == BrookCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getStore(NAMESPACE).get(KEY, BrookCluster.class);
    }
}
