package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7 item 9: the database name cannot carry driver parameters into a JDBC URL. */
class DatabaseNameValidationTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"postgres?socketFactory=x", "postgres&sslmode=disable", "a/b", "my db", "db#x",
            "\"postgres\"", "", "-db", ".db", "$db", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "postgres;", "db%3Fx=1"})
    void anythingButAPlainDatabaseNameIsRefusedAtLoad(String database) {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY)
                .withDatabase(database)));

        assertThat(e.getMessage()).contains("primary 'eshua_example' database '" + database + "'",
                "plain database name", "JDBC URLs", "Use .withDatabase(\"postgres\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"postgres?socketFactory=x", "a/b", "my db", "", "-db"})
    void aStandbysDatabaseIsRefusedAtLoadByTheSameRule(String database) {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY))
                .addStandby(Standby.of(Node.named("eshub").withDatabase(database))
                        .withDataDirectory("/var/lib/postgresql/eshub").withHost(Descriptions.host("eshub"))));

        assertThat(e.getMessage()).contains("standby 'eshub' database '" + database + "'", "plain database name",
                "Use Standby.of(Node.named(\"eshub\").withDatabase(\"postgres\"))");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"postgres", "app_db", "App-2", "db.v1", "db$x", "template1"})
    void plainDatabaseNamesLoad(String database) {
        loads(Replication.primary(Primary.at(PRIMARY).withDatabase(database)));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {"postgres?socketFactory=x|postgres%3FsocketFactory%3Dx",
        "a&b=c|a%26b%3Dc", "my db|my%20db", "x/y|x%2Fy", "caf\u00e9|caf%C3%A9", "a+b|a%2Bb"})
    void jdbcUrlEncodesTheDatabaseSoItCannotAddParameters(String database, String encoded) {
        String url = Endpoint.of("db.example", 5432).jdbcUrl(database);
        assertThat(url).isEqualTo("jdbc:postgresql://db.example:5432/" + encoded);
        assertThat(url).as("no query string").doesNotContain("?").doesNotContain("&");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"db?x=1", "db/x", "db x", "a@b", "db#frag", ""})
    void jdbcUrlRefusesAHostThatIsNotPlain(String host) {
        assertThatThrownBy(() -> Endpoint.of(host, 5432).jdbcUrl("postgres"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host '" + host + "' is not a plain host name or IP address")
                .hasMessageContaining("Endpoint.of(\"db.example.com\", 5432)");
    }
}
