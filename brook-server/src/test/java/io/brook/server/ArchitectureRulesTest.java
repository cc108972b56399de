package io.brook.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Guardrails over all of Brook's main code on this module's classpath: only the CLI (io.brook.server) may print to
 * the console or end the process; everything else logs through SLF4J and reports failures by exceptions.
 */
class ArchitectureRulesTest {

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.brook");

    @Test
    void shouldNotUseTheConsoleOutsideTheCli() {
        noClasses().that().resideOutsideOfPackage("io.brook.server..").should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err").orShould().callMethod(Throwable.class, "printStackTrace")
                .because("main code logs through SLF4J; only the brook command prints").check(MAIN_CLASSES);
    }

    @Test
    void shouldNotEndTheProcessOutsideTheCli() {
        noClasses().that().resideOutsideOfPackage("io.brook.server..").should()
                .callMethod(System.class, "exit", int.class).orShould()
                .callMethod(Runtime.class, "exit", int.class).orShould()
                .callMethod(Runtime.class, "halt", int.class)
                .because("a library that exits the JVM takes the decision from its caller").check(MAIN_CLASSES);
    }
}
