package io.brook.it.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against one broker started for the class (see {@link BrookExtension}); test methods
 * and lifecycle methods receive it as a {@link BrookBroker} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(BrookExtension.class)
public @interface BrookTest {

    /** The port to listen on; 0 picks a free one. */
    int port() default 0;

    /** Extra broker properties as {@code name=value}, passed as {@code --override}. */
    String[] overrides() default {};
}
