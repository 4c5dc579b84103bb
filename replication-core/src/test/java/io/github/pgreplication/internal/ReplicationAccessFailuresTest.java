package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Reason;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import org.junit.jupiter.api.Test;

/** pg_basebackup's and psql's words when the primary refuses a replication connection, as PostgreSQL 15-17 say them. */
class ReplicationAccessFailuresTest {
    private static final Endpoint PRIMARY = Endpoint.of("eshua", 5432);
    private static final ReplicationRole WITH = ReplicationRole.named("replicator").withPassword(Secret.of("pw"));
    private static final ReplicationRole WITHOUT = ReplicationRole.named("replicator");

    private static ConnectionFailedException parse(ReplicationRole role, String stderr) {
        return ReplicationAccessFailures.parse("eshub", PRIMARY, role, stderr).orElseThrow();
    }

    @Test
    void noHbaEntryGivesTheRuleForTheAddressTheServerSaw() {
        ConnectionFailedException e = parse(WITHOUT, "pg_basebackup: error: connection to server at \"eshua\""
                + " (10.0.0.1), port 5432 failed: FATAL:  no pg_hba.conf entry for replication connection from host"
                + " \"fd00::5\", user \"replicator\", no encryption");
        assertThat(e.reason()).contains(Reason.NO_HBA_ENTRY);
        assertThat(e.primaryFix()).contains("host replication replicator fd00::5/128 trust");
        assertThat(e).hasMessageContaining("To fix on the primary")
                .hasMessageContaining("trust only where every host of that address is yours");
    }

    @Test
    void wrongPasswordIsThisSidesToFix() {
        ConnectionFailedException e = parse(WITH, "FATAL:  password authentication failed for user \"replicator\"");
        assertThat(e.reason()).contains(Reason.WRONG_PASSWORD);
        assertThat(e.reason().orElseThrow().fixedOnPrimary()).isFalse();
        assertThat(e.primaryFix()).isEmpty();
        assertThat(e).hasMessageContaining("The password given for role replicator is not the primary's");
        assertThat(parse(WITHOUT, "fe_sendauth: no password supplied")).satisfies(p -> {
            assertThat(p.reason()).contains(Reason.PASSWORD_REQUIRED);
            assertThat(p).hasMessageContaining("asks for a password and role replicator was given none");
        });
    }

    @Test
    void roleWithoutReplicationInBothWordings() {
        String pg15 = "FATAL:  must be superuser or replication role to start walsender";
        String pg16 = "FATAL:  permission denied to start WAL sender\nDETAIL:  Only roles with the REPLICATION"
                + " attribute may start a WAL sender process.";
        for (String words : new String[] {pg15, pg16}) {
            ConnectionFailedException e = parse(WITH, words);
            assertThat(e.reason()).contains(Reason.NOT_REPLICATION_ROLE);
            assertThat(e.primaryFix()).contains("ALTER ROLE \"replicator\" WITH REPLICATION;");
            assertThat(e).hasMessageContaining("the role lacks the REPLICATION attribute");
        }
    }

    @Test
    void walSendersExhaustedWithAndWithoutQuotes() {
        assertThat(parse(WITH, "FATAL:  number of requested standby connections exceeds max_wal_senders (currently"
                + " 10)").primaryFix()).contains("ALTER SYSTEM SET max_wal_senders = 20;");
        ConnectionFailedException e = parse(WITH, "FATAL:  number of requested standby connections exceeds"
                + " \"max_wal_senders\" (currently 1)");
        assertThat(e.reason()).contains(Reason.WAL_SENDERS_EXHAUSTED);
        assertThat(e.kind()).isEqualTo(io.github.pgreplication.ConnectionFailedException.Kind.NOT_READY);
        assertThat(e).hasMessageContaining("max_wal_senders needs a restart");
    }

    @Test
    void missingRoleAndUnreachablePrimary() {
        assertThat(parse(WITHOUT, "FATAL:  role \"replicator\" does not exist")).satisfies(e -> {
            assertThat(e.reason()).contains(Reason.ROLE_MISSING);
            assertThat(e.primaryFix()).contains("CREATE ROLE \"replicator\" WITH REPLICATION LOGIN;");
        });
        assertThat(parse(WITH, "could not translate host name \"eshua\" to address").reason())
                .contains(Reason.UNKNOWN_HOST);
        assertThat(parse(WITH, "connection to server at \"eshua\" (10.0.0.1), port 5432 failed: Connection refused"))
                .hasMessageContaining("Nothing listens at eshua:5432");
        assertThat(ReplicationAccessFailures.parse("eshub", PRIMARY, WITH, "pg_basebackup: error: disk full"))
                .as("not a connection failure").isEmpty();
    }
}
