package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.ServiceControl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * A password-protected replication role with a hostile password (quotes, backslash, semicolon, colon): it works,
 * and the password never shows in any process's argv during the clone, in the logs (DEBUG included), in an
 * exception, or in the runbook.
 */
class SecretsIT {
    static final String PASSWORD = "it's a \"pass\\word\"; DROP ROLE postgres; --:x";
    static final String SAMPLES = "/tmp/cmdline-samples";
    static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "vault", "mirror");
        ClusterNode vault = machines.initDatabase("vault");
        // Enough data that the clone lasts long enough to be sampled many times.
        vault.host().run(Command.of("psql", "-X", "-q", "-c",
                "CREATE TABLE filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 300000) g"));
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    static Replication.Builder describe(HbaRule rule) {
        ClusterNode vault = machines.machine("vault");
        ClusterNode mirror = machines.machine("mirror");
        return Replication.primary(Primary.at(vault.internalEndpoint()).withName("vault")
                        .withAdminEndpoint(vault.endpoint()).withAdmin("postgres", vault.password())
                        .withHost(vault.host()).withService(ServiceControl.pgCtl()))
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of(PASSWORD)))
                .allow(rule)
                .addStandby(Standby.named("mirror").withHost(mirror.host())
                        .withDataDirectory(PostgresMachines.DATA_DIRECTORY)
                        .withAdminEndpoint(mirror.endpoint(), "postgres", mirror.password()));
    }

    @Test
    void theHostilePasswordWorksAndNeverLeaks() throws Exception {
        startSampling("vault");
        startSampling("mirror");
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        String runbook;
        String failure;
        ApplyResult result;
        try {
            // First a set-up that fails during the clone (pg_hba rejects the role): its exception must not leak.
            try (Replication rejected = describe(HbaRule.parse("host replication replicator samenet reject")).load()) {
                Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(rejected::apply);
                assertThat(thrown).hasMessageContaining("pg_hba.conf rejects replication connection");
                failure = fullText(thrown);
            }
            try (Replication replication = describe(HbaRule.parse("host replication replicator samenet scram-sha-256"))
                    .load()) {
                runbook = replication.plan().toRunbook();
                result = replication.apply();
            }
        } finally {
            System.setErr(originalErr);
        }
        String logText = logs.toString(StandardCharsets.UTF_8);
        originalErr.print(logText);

        assertThat(result.cloneMethodUsed("mirror")).contains("cloned with pg_basebackup");
        assertThat(queryOnMirror("SELECT count(*) FROM filler")).as("rows cloned with the hostile password")
                .isEqualTo("300000");

        String samples = stopSampling("mirror") + stopSampling("vault");
        assertThat(samples).as("the sampler saw the clone running").contains("pg_basebackup -h vault");
        assertThat(samples).as("argv of every process sampled during the clone").doesNotContain(PASSWORD)
                .doesNotContain("pass\\word");
        assertThat(logText).as("logs, DEBUG included").contains("pg_basebackup").doesNotContain(PASSWORD)
                .doesNotContain("pass\\word");
        assertThat(failure).as("the failed clone's exception").doesNotContain(PASSWORD).doesNotContain("pass\\word");
        assertThat(runbook).as("runbook").contains("****").doesNotContain(PASSWORD).doesNotContain("pass\\word");
        String passfile = machines.machine("mirror").host().run(Command.of("stat", "-c", "%a %U",
                "/var/lib/postgresql/.pgpass-mirror")).stdout().strip();
        assertThat(passfile).as("passfile permissions and owner").isEqualTo("600 postgres");
        String autoConf = machines.machine("mirror").host()
                .readFile(PostgresMachines.DATA_DIRECTORY + "/postgresql.auto.conf").orElseThrow();
        assertThat(autoConf).contains("passfile=''/var/lib/postgresql/.pgpass-mirror''").contains("application_name=mirror")
                .doesNotContain("pass\\word");
    }

    private static String queryOnMirror(String sql) throws Exception {
        try (Connection c = machines.machine("mirror").dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String fullText(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** A root shell loop inside the container records every process's argv every 5 ms until stopped. */
    private static void startSampling(String machine) {
        DockerClient docker = DockerClientFactory.instance().client();
        String id = machines.machine(machine).container().getContainerId();
        String script = "while [ ! -e " + SAMPLES + ".stop ]; do for f in /proc/[0-9]*/cmdline; do"
                + " tr '\\0' ' ' < $f 2>/dev/null; echo; done >> " + SAMPLES + "; sleep 0.005; done";
        String exec = docker.execCreateCmd(id).withUser("root").withCmd("sh", "-c", script).exec().getId();
        docker.execStartCmd(exec).withDetach(true).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<>());
    }

    private static String stopSampling(String machine) throws InterruptedException {
        ContainerHost root = machines.machine(machine).host().as("root");
        root.run(Command.of("touch", SAMPLES + ".stop"));
        Thread.sleep(200);
        return root.readFile(SAMPLES).orElse("");
    }
}
