package io.brook.metadata.quorum;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.brook", importOptions = ImportOption.DoNotIncludeTests.class)
class QuorumArchitectureTest {

    /** Ratis stays behind the quorum's API, so an upgrade or a change of consensus library touches one package. */
    @ArchTest
    static final ArchRule RATIS_ONLY_IN_THE_QUORUM_PACKAGE = noClasses()
            .that().resideOutsideOfPackage("io.brook.metadata.quorum..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.ratis..");

    /**
     * The quorum moves bytes: it knows nothing of the metadata model that rides on it, nor of the broker's network;
     * only the JDK's TLS key and trust managers, which secure its own transport.
     */
    @ArchTest
    static final ArchRule QUORUM_KNOWS_NOTHING_OF_THE_MODEL = classes()
            .that().resideInAPackage("io.brook.metadata.quorum..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.brook.metadata.quorum..", "java..", "",
                    "javax.net.ssl..", "org.apache.ratis..", "org.slf4j..");
}
