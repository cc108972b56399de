package io.brook.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.brook.storage", importOptions = ImportOption.DoNotIncludeTests.class)
class StorageArchitectureTest {

    @ArchTest
    static final ArchRule storageKnowsNothingOfNetworkBrokerOrMetadata = noClasses().that()
            .resideInAPackage("io.brook.storage..").should().dependOnClassesThat()
            .resideInAnyPackage("io.netty..", "io.brook.broker..", "io.brook.metadata..");
}
