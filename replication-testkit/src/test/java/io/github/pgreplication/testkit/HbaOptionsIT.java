package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.host.ServiceControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pg_hba rules with authentication options (issue 7 item 8) are written by apply() and accepted by a real server:
 * {@code pg_hba_file_rules} shows each rule with its options and no error. A {@code map=} option names a pg_ident
 * map, written first through the primary's host; an ldap rule carries quoted values with spaces and commas (the
 * server only parses it here, it never contacts an LDAP server).
 */
class HbaOptionsIT {
    private static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "main");
        machines.initDatabase("main");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    @Test
    void rulesWithOptionsAreWrittenAndAcceptedByPgHbaFileRules() {
        ClusterNode main = machines.machine("main");
        String identFile = main.query("SHOW ident_file");
        String ident = main.host().readFile(identFile).orElse("");
        main.host().writeFile(identFile, ident + "pgreplication_standbys postgres replicator\n", "0600");
        main.query("SELECT pg_reload_conf()");

        HbaRule peerWithMap = HbaRule.parse("local replication replicator peer").withOption("map",
                "pgreplication_standbys");
        HbaRule ldap = HbaRule.parse("host all replicator 10.9.0.0/16 ldap ldapserver=ldap.example.net"
                + " ldapprefix=\"cn=\" ldapsuffix=\", ou=people, dc=example, dc=net\"");
        try (Replication replication = Replication.primary(Primary.at(main.internalEndpoint()).withName("main")
                        .withAdminEndpoint(main.endpoint()).withAdmin("postgres", main.password())
                        .withHost(main.host()).withService(ServiceControl.pgCtl()))
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(peerWithMap, ldap)
                .load()) {
            replication.apply();
        }

        assertThat(main.query("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL"))
                .as("no line of pg_hba.conf has an error").isEqualTo("0");
        assertThat(main.query("SELECT type || ' ' || array_to_string(database, ',') || ' '"
                + " || array_to_string(user_name, ',') || ' ' || auth_method || ' '"
                + " || array_to_string(options, ';') FROM pg_hba_file_rules WHERE auth_method = 'peer'"
                + " AND user_name = '{replicator}'"))
                .as("the peer rule with its map, as the server read it")
                .isEqualTo("local replication replicator peer map=pgreplication_standbys");
        assertThat(main.query("SELECT array_to_string(options, ';') FROM pg_hba_file_rules"
                + " WHERE auth_method = 'ldap'"))
                .as("the ldap rule's quoted values reach the server intact")
                .contains("ldapserver=ldap.example.net", "ldapprefix=cn=",
                        "ldapsuffix=, ou=people, dc=example, dc=net");
        assertThat(main.query("SELECT count(*) FROM pg_ident_file_mappings WHERE map_name = 'pgreplication_standbys'"
                + " AND error IS NULL")).as("the map the rule names exists").isEqualTo("1");
    }

    private static Replication.Builder description(ClusterNode main, HbaRule... rules) {
        return Replication.primary(Primary.at(main.internalEndpoint()).withName("main")
                        .withAdminEndpoint(main.endpoint()).withAdmin("postgres", main.password())
                        .withHost(main.host()).withService(ServiceControl.pgCtl()))
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(rules);
    }

    /**
     * Issue 25 item 4: the field forms load() accepts (lists, double-quoted names with a doubled quote, +group,
     * {@code @file}) are read by PostgreSQL as written; an {@code @file} it cannot read shows in pg_hba_file_rules,
     * so apply() fails naming it and restores pg_hba.conf.
     */
    @Test
    void listsQuotedNamesGroupsAndFilesAreReadAsWritten() {
        ClusterNode main = machines.machine("main");
        String hbaFile = main.query("SHOW hba_file");
        String dir = hbaFile.substring(0, hbaFile.lastIndexOf('/'));
        main.host().writeFile(dir + "/pgreplication_standbys", "replicator\nstandby_two\n", "0600");
        HbaRule list = HbaRule.parse("host replication replicator, \"Repl \"\"X\"\"\" 10.7.0.0/16 scram-sha-256");
        HbaRule group = HbaRule.parse("host postgres,\"my db\" +standbys 10.8.0.0/16 scram-sha-256");
        HbaRule file = HbaRule.parse("host replication @pgreplication_standbys 10.6.0.0/16 scram-sha-256");
        try (Replication replication = description(main, list, group, file).load()) {
            replication.apply();
        }
        assertThat(main.query("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL"))
                .as("no line of pg_hba.conf has an error").isEqualTo("0");
        assertThat(main.query("SELECT array_to_string(user_name, '|') FROM pg_hba_file_rules"
                + " WHERE address = '10.7.0.0'")).as("the list, its quoted name unquoted")
                .isEqualTo("replicator|Repl \"X\"");
        assertThat(main.query("SELECT array_to_string(database, '|') || ' ' || array_to_string(user_name, '|')"
                + " FROM pg_hba_file_rules WHERE address = '10.8.0.0'")).isEqualTo("postgres|my db +standbys");
        assertThat(main.query("SELECT array_to_string(user_name, '|') FROM pg_hba_file_rules"
                + " WHERE address = '10.6.0.0'")).as("the names of the @file, read by the server")
                .isEqualTo("replicator|standby_two");

        String before = main.host().readFile(hbaFile).orElseThrow();
        HbaRule missing = HbaRule.parse("host replication @pgreplication_nosuch 10.5.0.0/16 scram-sha-256");
        try (Replication replication = description(main, missing).load()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(replication::apply)
                    .hasMessageContaining("does not parse after adding the rules")
                    .hasMessageContaining("pgreplication_nosuch")
                    .hasMessageContaining("The file was restored to its previous content");
        }
        assertThat(main.host().readFile(hbaFile).orElseThrow()).as("restored").isEqualTo(before);
    }
}
