package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Replication;
import io.github.pgreplication.pgbackrest.PgBackRest;
import java.lang.module.ModuleDescriptor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/**
 * The module graph the testkit's descriptor declares, as the JVM resolved it: this module's unit tests run on the
 * module path (surefire's {@code useModulePath} is true in this module's POM), patched into
 * {@code io.github.pgreplication.testkit}. On the class path every class here would be in the unnamed module and these
 * checks would fail.
 */
class ModuleGraphTest {
    private final Module testkit = ReplicationCluster.class.getModule();
    private final Module core = Replication.class.getModule();

    @Test
    void theTestkitIsItsOwnNamedModuleWithADescriptor() {
        assertThat(testkit.isNamed()).as("on the module path, not the class path").isTrue();
        assertThat(testkit.getName()).isEqualTo("io.github.pgreplication.testkit");
        assertThat(testkit.getDescriptor().isAutomatic()).as("a real module-info, not Automatic-Module-Name")
                .isFalse();
        assertThat(testkit.getDescriptor().exports()).extracting(ModuleDescriptor.Exports::source)
                .as("only the API package").containsExactly("io.github.pgreplication.testkit");
    }

    @Test
    void theCoresInternalsAreExportedToTheTestkitAndNoOneElse() {
        assertThat(core.getName()).isEqualTo("io.github.pgreplication");
        assertThat(core.isExported("io.github.pgreplication.internal", testkit))
                .as("the qualified export the core's module-info names the testkit in").isTrue();
        assertThat(core.isExported("io.github.pgreplication.internal")).as("not to every module").isFalse();
        assertThat(core.isExported("io.github.pgreplication.internal", getClass().getClassLoader().getUnnamedModule()))
                .as("not to the class path").isFalse();
        assertThat(testkit.canRead(core)).isTrue();
    }

    @Test
    void theTestkitsCodeCallsTheCoresInternalsAtRunTimeThroughThatExport() {
        // TestDatabase.create checks the template with the core's internal Text and Validator before it asks the
        // cluster: a call from the testkit's module into io.github.pgreplication.internal, which the JVM refuses
        // (IllegalAccessError) unless the core's descriptor exports that package to the testkit.
        assertThat(TestDatabase.class.getModule()).isSameAs(testkit);
        assertThat(io.github.pgreplication.internal.Validator.class.getModule()).isSameAs(core);
        assertThatThrownBy(() -> TestDatabase.create(null, "app\nforged", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template database 'app\\nforged'")
                .hasMessageContaining(io.github.pgreplication.internal.Validator.CONTROL_RULE);
    }

    @Test
    void theTestkitReadsPgBackRestTestcontainersJUnitAndAssertJAsModules() {
        Module pgbackrest = PgBackRest.class.getModule();
        assertThat(pgbackrest.getName()).isEqualTo("io.github.pgreplication.pgbackrest");
        assertThat(pgbackrest.isExported("io.github.pgreplication.pgbackrest.internal")).isFalse();
        Module testcontainers = GenericContainer.class.getModule();
        assertThat(testcontainers.getName())
                .as("Testcontainers 2.0.5 has no module-info nor Automatic-Module-Name: named after its jar")
                .isEqualTo("testcontainers");
        assertThat(testcontainers.getDescriptor().isAutomatic()).isTrue();
        assertThat(Test.class.getModule().getName()).isEqualTo("org.junit.jupiter.api");
        assertThat(assertThat(1).getClass().getModule().getName()).isEqualTo("org.assertj.core");
        for (Module m : new Module[] {core, pgbackrest, testcontainers, Test.class.getModule(),
                assertThat(1).getClass().getModule()}) {
            assertThat(testkit.canRead(m)).as(m.getName()).isTrue();
        }
    }
}
