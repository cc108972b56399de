package io.brook.it.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test method a fresh {@link BrookCluster} (see {@link BrookClusterExtension}), started before the method
 * and stopped and log-checked after it; the method receives it as a parameter. On a method, the annotation replaces
 * the class-level one for that method.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(BrookClusterExtension.class)
public @interface BrookClusterTest {

    /** Number of broker processes, ids 1..nodes. */
    int nodes() default 3;

    /** How many of them (the lowest ids) are controller quorum voters; -1 means min(nodes, 3). */
    int controllers() default -1;

    /** Ids of nodes whose inter-broker and quorum traffic goes through cuttable proxies. */
    int[] proxied() default {};

    /**
     * Ids of broker-only nodes the cluster does not start with: the test adds them to the running cluster with
     * {@link BrookCluster#addBroker(int)}, as an operator adds a broker (they then host nothing until partitions are
     * moved onto them).
     */
    int[] startLater() default {};

    /**
     * Ids of voters that run {@code process.roles=controller} alone: no Kafka listener, no partitions, ready when
     * their HTTP side says so.
     */
    int[] controllerOnly() default {};

    /** Ids of broker-only nodes told only controller.quorum.bootstrap.servers, not the voters. */
    int[] bootstrapOnly() default {};

    /** Properties for every node as {@code name=value}. */
    String[] overrides() default {};
}
