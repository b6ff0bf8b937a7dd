package org.dldlage.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parts' dependencies point inward (README, "The parts"): core ← model, face ← inference ← api;
 * train uses model, face and core; only app (wiring) and api (HTTP) know Spring.
 */
class LayeringTest {

    private static JavaClasses main;

    @BeforeAll
    static void load() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.dldlage");
    }

    private static void check(ArchRule rule) {
        rule.check(main);
    }

    private static final String SPRING = "org.springframework..";

    @Test
    void coreUsesNothingOfOursAndNoFramework() {
        check(noClasses().that().resideInAPackage("org.dldlage.core..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dldlage.model..", "org.dldlage.face..", "org.dldlage.inference..", "org.dldlage.api..",
                        "org.dldlage.train..", "org.dldlage.app..", "ai.djl..", SPRING, "io.micrometer..", "jakarta.."));
    }

    @Test
    void modelUsesCore() {
        check(noClasses().that().resideInAPackage("org.dldlage.model..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dldlage.face..", "org.dldlage.inference..", "org.dldlage.api..", "org.dldlage.train..",
                        "org.dldlage.app..", SPRING));
    }

    @Test
    void faceUsesCore() {
        check(noClasses().that().resideInAPackage("org.dldlage.face..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dldlage.model..", "org.dldlage.inference..", "org.dldlage.api..", "org.dldlage.train..",
                        "org.dldlage.app..", SPRING));
    }

    @Test
    void inferenceUsesModelFaceAndCoreWithoutSpring() {
        check(noClasses().that().resideInAPackage("org.dldlage.inference..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dldlage.api..", "org.dldlage.train..", "org.dldlage.app..", SPRING, "jakarta.servlet.."));
    }

    @Test
    void apiUsesInferenceAndItsOwnTypes() {
        check(noClasses().that().resideInAPackage("org.dldlage.api..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dldlage.core..", "org.dldlage.model..", "org.dldlage.face..", "org.dldlage.train..",
                        "org.dldlage.app.."));
    }

    @Test
    void trainUsesModelFaceAndCoreWithoutSpring() {
        check(noClasses().that().resideInAPackage("org.dldlage.train..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dldlage.inference..", "org.dldlage.api..", "org.dldlage.app..", SPRING));
    }
}
