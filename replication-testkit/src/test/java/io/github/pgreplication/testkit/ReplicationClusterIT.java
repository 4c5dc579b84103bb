package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.host.Command;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplicationClusterIT {
    static ReplicationCluster cluster;

    @BeforeAll
    static void start() {
        cluster = ReplicationCluster.start(2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void rowsWrittenOnThePrimaryReachEveryStandby() throws SQLException {
        try (Connection c = cluster.primary().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            st.execute("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 100) g");
        }
        cluster.awaitReplication();
        for (ClusterNode standby : cluster.standbys()) {
            try (Connection c = standby.dataSource().getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*), max(v) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows on %s", standby.name()).isEqualTo(100);
            }
        }
    }

    @Test
    void testClustersAreNonDurableByDefault() {
        assertThat(cluster.primary().query("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
                + " current_setting('full_page_writes'), current_setting('wal_log_hints')"))
                .as("full_page_writes and wal_log_hints stay on so that a former primary can be rewound")
                .isEqualTo("off|off|on|on");
        assertThat(cluster.standby(0).query("SHOW fsync")).as("inherited through postgresql.auto.conf").isEqualTo("off");
    }

    @Test
    void nonDurableClustersKeepEveryDataDirectoryInMemoryOwnedByPostgres() {
        java.util.List<ClusterNode> nodes = new java.util.ArrayList<>(cluster.standbys());
        nodes.add(cluster.primary());
        for (ClusterNode node : nodes) {
            assertThat(mountOf(node)).as("file system of %s's data directory", node.name()).isEqualTo("tmpfs");
            assertThat(node.host().run(Command.of("stat", "-c", "%U %a", node.dataDirectory())).stdout().strip())
                    .as("owner and mode of %s's data directory", node.name()).isEqualTo("postgres 700");
        }
    }

    @Test
    void durableClustersKeepTheirDataOnDiskAndStream() {
        try (ReplicationCluster durable = ReplicationCluster.builder().durable(true).standbys(1).start()) {
            assertThat(durable.primary().query("SHOW fsync")).isEqualTo("on");
            assertThat(mountOf(durable.primary())).as("primary's data directory: no mount of its own").isNull();
            assertThat(mountOf(durable.standby(0))).as("standby's data directory: no mount of its own").isNull();
            durable.primary().query("CREATE TABLE kept AS SELECT 42 AS answer");
            durable.awaitReplication();
            assertThat(durable.standby(0).query("SELECT answer FROM kept")).isEqualTo("42");
        }
    }

    /** @return the file system type mounted exactly at the node's data directory, null when none is */
    private static String mountOf(ClusterNode node) {
        return node.host().run(Command.of("cat", "/proc/mounts")).stdout().lines()
                .map(l -> l.split(" "))
                .filter(f -> f.length > 2 && f[1].equals(node.dataDirectory()))
                .map(f -> f[2]).findFirst().orElse(null);
    }

    @Test
    void aParameterGivenToARunningStandbyReachesItWithoutARestart() {
        ClusterNode standby = cluster.standby(1);
        String started = standby.query("SELECT pg_postmaster_start_time()");
        Replication r = cluster.replication();
        Replication.Builder b = Replication.primary(r.primaryServer()).settings(r.settings()).replicationRole(r.role())
                .allow(r.hbaRules().toArray(io.github.pgreplication.HbaRule[]::new)).syncPolicy(r.syncPolicy());
        r.standbys().forEach(s -> b.addStandby(s.name().equals(standby.name())
                ? s.withParameter("wal_receiver_status_interval", "7s") : s));
        try (Replication changed = b.load()) {
            io.github.pgreplication.ApplyResult result = changed.apply();
            assertThat(result.outcomes()).as(result.toString()).anySatisfy(o -> assertThat(o.detail())
                    .contains("set [wal_receiver_status_interval]; reloaded the running standby"));
            Waits.until("the standby to read its new value", java.time.Duration.ofSeconds(10),
                    () -> standby.query("SHOW wal_receiver_status_interval").equals("7s"));
            assertThat(changed.apply().changed()).as("the second apply() changes nothing").isFalse();
        }
        assertThat(standby.query("SELECT pg_postmaster_start_time()")).as("not restarted").isEqualTo(started);
    }

    @Test
    void aStandbyGivenAsThePrimaryIsRefusedBeforeAnythingChanges() {
        ClusterNode standby = cluster.standby(0);
        try (Replication wrong = Replication.primary(Primary.at(standby.internalEndpoint()).withName("standby1")
                        .withAdminEndpoint(standby.endpoint()).withAdmin("postgres", standby.password())
                        .withHost(standby.host()))
                .load()) {
            assertThatThrownBy(wrong::apply)
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Server 'standby1' is in recovery (a standby), not a primary")
                    .hasMessageContaining("Point Replication.primary(...) at the read-write server")
                    .hasMessageContaining("Already done on standby1: nothing");
        }
    }

    @Test
    void standbysAreReadOnly() {
        assertThatThrownBy(() -> {
            try (Connection c = cluster.standby(0).dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE nope (id int)");
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("read-only transaction");
    }

    @Test
    void statusShowsEveryStandbyStreamingWithAnActiveSlot() {
        ReplicationStatus status = cluster.replication().status();
        assertThat(status.standbys()).extracting(s -> s.name() + ":" + s.state())
                .containsExactly("standby1:streaming", "standby2:streaming");
        assertThat(status.slots()).extracting(s -> s.name() + ":" + s.active())
                .containsExactly("standby1_slot:true", "standby2_slot:true");
        System.out.println(status.toTable());
    }
}
