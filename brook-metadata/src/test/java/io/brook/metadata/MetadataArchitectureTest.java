package io.brook.metadata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.brook.metadata", importOptions = ImportOption.DoNotIncludeTests.class)
class MetadataArchitectureTest {

    @ArchTest
    static final ArchRule METADATA_KNOWS_NO_NETWORK_BROKER_OR_STORAGE = noClasses()
            .that().resideInAPackage("io.brook.metadata..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.brook.broker..", "io.brook.storage..");
}
