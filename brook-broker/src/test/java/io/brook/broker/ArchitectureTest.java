package io.brook.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Layering rules: only the network layer and Broker touch Netty; storage and metadata know nothing of the broker. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.brook");

    @Test
    void shouldKeepNettyOutOfTheHandlerContractAndHandlers() {
        noClasses().that().resideInAnyPackage("io.brook.broker.api..", "io.brook.broker.handlers..",
                "io.brook.broker.registry..", "io.brook.broker.partition..", "io.brook.broker.config..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..").check(CLASSES);
    }

    @Test
    void shouldKeepStorageAndMetadataIndependentOfTheBroker() {
        noClasses().that().resideInAnyPackage("io.brook.storage..", "io.brook.metadata..").should()
                .dependOnClassesThat().resideInAPackage("io.brook.broker..").check(CLASSES);
    }

    @Test
    void shouldKeepStorageIndependentOfMetadataAndNetty() {
        noClasses().that().resideInAPackage("io.brook.storage..").should().dependOnClassesThat()
                .resideInAnyPackage("io.brook.metadata..", "io.netty..").check(CLASSES);
    }
}
