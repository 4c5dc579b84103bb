package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7 item 2: replication role names that are admin users, reserved names or pg_hba keywords. */
class RoleNameValidationTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"postgres", "Postgres", "POSTGRES"})
    void theDefaultAdminUserIsRefusedCaseInsensitively(String name) {
        InvalidReplicationConfigException e = rejected(valid().replicationRole(ReplicationRole.named(name)));

        assertThat(e.getMessage()).contains("replication role name '" + name + "'",
                "it is the admin user 'postgres' the library connects as", "lock the library (and you) out",
                "Try ReplicationRole.named(\"replicator\")");
    }

    @Test
    void aCustomAdminUserOfThePrimaryIsRefused() {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(Descriptions.PRIMARY)
                .withAdmin("dba", Secret.of("pw"))).replicationRole(ReplicationRole.named("DBA")));

        assertThat(e.getMessage()).contains("replication role name 'DBA'", "it is the admin user 'dba'",
                "Try ReplicationRole.named(\"replicator\")");
    }

    @Test
    void aStandbysAdminUserIsRefusedToo() {
        InvalidReplicationConfigException e = rejected(valid()
                .addStandby(standby("eshuc").withAdminEndpoint(Endpoint.of("eshuc.example"), "monitor", Secret.none()))
                .replicationRole(ReplicationRole.named("monitor")));

        assertThat(e.getMessage()).as("the role is replicated to the standbys, where 'monitor' verifies them")
                .contains("replication role name 'monitor'", "it is the admin user 'monitor'");
    }

    @Test
    void whenTheAdminIsReplicatorTheSuggestionIsAnotherName() {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(Descriptions.PRIMARY)
                .withAdmin("replicator", Secret.none())));

        assertThat(e.getMessage()).as("the default role equals this admin")
                .contains("replication role name 'replicator'", "Try ReplicationRole.named(\"standby_replicator\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"pg_monitor", "pg_replicator", "PG_repl", "Pg_x"})
    void namesWithThePgPrefixAreRefused(String name) {
        InvalidReplicationConfigException e = rejected(valid().replicationRole(ReplicationRole.named(name)));

        assertThat(e.getMessage()).contains("replication role name '" + name + "'",
                "PostgreSQL reserves role names starting with pg_", "Try ReplicationRole.named(\"");
        assertThat(e.getMessage()).as("the suggestion drops the prefix").doesNotContain("named(\"pg_")
                .doesNotContain("named(\"PG_");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"public", "PUBLIC", "none", "None", "current_user", "session_user", "current_role",
            "CURRENT_ROLE"})
    void reservedRoleNamesAreRefused(String name) {
        InvalidReplicationConfigException e = rejected(valid().replicationRole(ReplicationRole.named(name)));

        assertThat(e.getMessage()).contains("replication role name '" + name + "'", "PostgreSQL reserves '"
                + name.toLowerCase() + "'", "Try ReplicationRole.named(\"replicator\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"all", "ALL", "sameuser", "samerole", "SameGroup"})
    void pgHbaKeywordsAreRefused(String name) {
        InvalidReplicationConfigException e = rejected(valid().replicationRole(ReplicationRole.named(name)));

        assertThat(e.getMessage()).contains("replication role name '" + name + "'", "is a pg_hba.conf keyword",
                "a rule for this role would match other roles", "Try ReplicationRole.named(\"replicator\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"+replicators", "@file", "+", "@"})
    void groupAndFilePrefixesAreRefused(String name) {
        InvalidReplicationConfigException e = rejected(valid().replicationRole(ReplicationRole.named(name)));

        assertThat(e.getMessage()).contains("replication role name '" + name + "'", "the + and @ prefixes",
                "Try ReplicationRole.named(\"");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"replicator", "allison", "publicist", "nonesuch", "pgx", "my_pg_role", "postgres2",
            "repl.user", "repl-1", "$repl"})
    void namesThatOnlyLookLikeReservedOnesLoad(String name) {
        loads(valid().replicationRole(ReplicationRole.named(name)));
    }
}
