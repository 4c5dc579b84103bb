package io.github.pgreplication.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The second runbook's sample, run for real, with the runbook's default variables. */
class Seed2IT {
    @Test
    void theSamplePrintsTheKeyRestoresOverSshAndTheStandbyStreams() {
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17),
                List.of("primary", "slave"), Set.of("slave"))) {
            machines.initDatabase("primary").startSshd();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ApplyResult result = PgBackRestSample.run(machines, "slave", Map.of(),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(out).containsPattern("Standby public key, for the primary's authorized_keys:\\n  ssh-ed25519 ");
            assertThat(result.cloneMethodUsed("slave")).contains("cloned with pgbackrest-restore");
            assertThat(out).contains("slave reads: 42; in recovery: t; WAL receiver: streaming")
                    .contains("archive-get %f \"%p\"")
                    .containsPattern("(?m)^slave\\s+streaming\\s+");
            assertThat(out).as("the seed's default password never shows").doesNotContain("replication'")
                    .doesNotContain("pg****");
            assertThat(machines.machine("slave").container().getExposedPorts()).isEmpty();
        }
    }
}
