package io.damoov.gateway.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package structure, read from the compiled production classes: feature packages without cycles, and a
 * {@code core} that depends on nothing else of the gateway's.
 */
class PackageCyclesTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.damoov.gateway");

    @Test
    void shouldHaveNoCycleBetweenTheGatewaysPackages() {
        slices().matching("io.damoov.gateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void shouldKeepCoreFreeOfTheGatewaysOtherPackages() {
        noClasses().that().resideInAPackage("io.damoov.gateway.core..").should().dependOnClassesThat()
                .resideOutsideOfPackages("io.damoov.gateway.core..", "java..", "io.vertx..", "com.github.benmanes..")
                .check(GATEWAY);
    }

    @Test
    void shouldReachThePipelineOnlyFromTheEdge() {
        noClasses().that().resideOutsideOfPackages("io.damoov.gateway.pipeline..", "io.damoov.gateway.edge..",
                "io.damoov.gateway.startup..").should().dependOnClassesThat()
                .resideInAPackage("io.damoov.gateway.pipeline..").check(GATEWAY);
    }
}
