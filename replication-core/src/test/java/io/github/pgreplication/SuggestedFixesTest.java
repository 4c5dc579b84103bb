package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7 item 14: every "Try ..." / "Example: ..." / "Use ..." a message offers must itself pass load(). Each case
 * breaks one value, extracts every code snippet of that kind from the problems' fixes, puts the suggested value
 * back into the same description and loads it.
 */
class SuggestedFixesTest {
    private static final String ANY = "\"((?:[^\"\\\\]|\\\\.)*)\"";

    /**
     * @param what    the case
     * @param broken  the description with a given value
     * @param bad     values to break it with
     * @param snippet the snippet a fix offers, with one group: the suggested value
     * @param fixed   the description with the suggested value
     */
    private record Case(String what, Function<String, Replication.Builder> broken, List<String> bad, Pattern snippet,
            Function<String, Replication.Builder> fixed) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Case of(String what, Function<String, Replication.Builder> description, String snippet,
            String... bad) {
        return new Case(what, description, List.of(bad), Pattern.compile(snippet), description);
    }

    static Stream<Arguments> cases() {
        Function<String, Replication.Builder> role = v -> valid().replicationRole(ReplicationRole.named(v));
        Function<String, Replication.Builder> roleWithAdminReplicator = v -> Replication.primary(Primary.at(PRIMARY)
                .withAdmin("replicator", Secret.none())).replicationRole(ReplicationRole.named(v));
        Function<String, Replication.Builder> standbyName = v -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby(v));
        Function<String, Replication.Builder> slot = v -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withSlot(v));
        Function<String, Replication.Builder> dir = v -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withDataDirectory(v));
        Function<String, Replication.Builder> passfile = v -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withPassfile(v));
        Function<String, Replication.Builder> name = v -> Replication.primary(Primary.at(PRIMARY).withName(v));
        Function<String, Replication.Builder> database = v -> Replication.primary(Primary.at(PRIMARY)
                .withDatabase(v));
        Function<String, Replication.Builder> port = v -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(Standby.named("one").withDataDirectory("/srv/one").withPort(5433))
                .addStandby(Standby.named("two").withDataDirectory("/srv/two").withPort(Integer.parseInt(v)));
        Function<String, Replication.Builder> walSize = v -> valid().settings(PrimarySettings.empty()
                .withMaxWalSize(v));
        Function<String, Replication.Builder> keepSize = v -> valid().settings(PrimarySettings.empty()
                .withParameter("wal_keep_size", v));
        Function<String, Replication.Builder> senders = v -> valid().addStandby(standby("eshuc"))
                .addStandby(standby("eshud")).settings(PrimarySettings.empty().withMaxWalSenders(Integer.parseInt(v)));
        Function<String, Replication.Builder> slots = v -> valid().addStandby(standby("eshuc"))
                .settings(PrimarySettings.empty().withMaxReplicationSlots(Integer.parseInt(v)));
        Function<String, Replication.Builder> timeout = v -> valid().settings(PrimarySettings.empty()
                .withArchiveTimeout(Duration.ofMillis(Long.parseLong(v))));
        Function<String, Replication.Builder> timeoutSeconds = v -> valid().settings(PrimarySettings.empty()
                .withArchiveTimeout(Duration.ofSeconds(Long.parseLong(v.replaceAll("\\D", ""))
                        * (v.startsWith("Minutes") ? 60 : 1))));
        Function<String, Replication.Builder> slotParameter = v -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withParameter("primary_slot_name", v));
        Function<String, Replication.Builder> host = v -> Replication.primary(Primary.at(Endpoint.of(v, 5432))
                .withName("eshua"));
        Function<String, Replication.Builder> hbaRoleExample = v -> valid().replicationRole(
                ReplicationRole.named(v)).allow(HbaRule.parse("host replication x 10.0.0.0/33 trust"));
        return Stream.of(
                of("role name", role, "ReplicationRole\\.named\\(" + ANY + "\\)", "postgres", "Postgres", "pg_repl",
                        "public", "ALL", "+group", "@list", "repl icator", "repl\nicator", "", "r".repeat(70),
                        "current_user", "samerole", "PG_", "\"", "none"),
                of("role name when the admin is replicator", roleWithAdminReplicator,
                        "ReplicationRole\\.named\\(" + ANY + "\\)", "replicator", "REPLICATOR", "pg_replicator"),
                of("standby name", standbyName, "Standby\\.named\\(" + ANY + "\\)", "eshub-1", "Eshub.x", "a b",
                        "a\nb", "x".repeat(70), "é"),
                of("slot", slot, "\\.withSlot\\(" + ANY + "\\)", "Eshub-Slot", "slot\n", "", "s".repeat(64), "ü"),
                new Case("primary_slot_name parameter", slotParameter, List.of("My-Slot", "x y"),
                        Pattern.compile("\\.withSlot\\(" + ANY + "\\)"), slot),
                of("data directory", dir, "\\.withDataDirectory\\(" + ANY + "\\)", "relative", "/srv/..", "/",
                        "/etc", "/var/lib/x\ny", "/proc/1", ""),
                of("passfile", passfile, "\\.withPassfile\\(" + ANY + "\\)", "rel", "/var/lib/postgresql/eshub/.p",
                        "/etc/passwd", "/a/../b", "/tmp/"),
                of("primary name", name, "\\.withName\\(" + ANY + "\\)", "eshua\nFAKE: all good", "\n", " ", ""),
                of("database", database, "\\.withDatabase\\(" + ANY + "\\)", "postgres?ssl=false", "", "a b"),
                of("standby port", port, "\\.withPort\\((\\d+)\\)", "5433", "0", "70000"),
                of("max_wal_size", walSize, "(?:Try|Write|or) '([^']*)'|withMaxWalSize\\(" + ANY + "\\)", "1gb", "1.5GB", "-5", "1536kB", "10 parsecs",
                        "16MB", "1 G", "99999999999"),
                of("wal_keep_size", keepSize, "(?:Try|Write|or) '([^']*)'|DataSize\\.parse\\(" + ANY + "\\)", "1536kB", "2.5MB", "64KB", "3000000B"),
                of("max_wal_senders", senders, "withMaxWalSenders\\((\\d+)\\)", "1", "5", "-1", "300000"),
                of("max_replication_slots", slots, "withMaxReplicationSlots\\((\\d+)\\)", "1", "-3", "262144"),
                new Case("archive_timeout", timeout, List.of("500", "1500", "-1000", "1"),
                        Pattern.compile("Duration\\.of((?:Seconds|Minutes)\\(\\d+)\\)"), timeoutSeconds),
                of("endpoint host", host, "Endpoint\\.of\\(" + ANY + ", \\d+\\)", "", "db example", "db\n"),
                new Case("pg_hba example with an invalid role", hbaRoleExample, List.of("repl icator", "postgres",
                        "pg_x"), Pattern.compile("Example: HbaRule\\.parse\\(" + ANY + "\\)"),
                        v -> valid().replicationRole(ReplicationRole.named(v.split(" ")[2])).allow(HbaRule.parse(v))))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void everySuggestedValueLoads(Case c) {
        for (String bad : c.bad()) {
            InvalidReplicationConfigException e = rejected(c.broken().apply(bad));
            List<String> suggested = new ArrayList<>();
            for (Problem p : e.problems()) {
                Matcher m = c.snippet().matcher(p.fix());
                while (m.find()) {
                    String g = m.group(1) != null || m.groupCount() < 2 ? m.group(1) : m.group(2);
                    suggested.add(g.replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            assertThat(suggested).as(c + " '" + bad + "' offers a snippet: " + e.getMessage()).isNotEmpty();
            for (String value : suggested) {
                assertThatCode(() -> Descriptions.loads(c.fixed().apply(value)))
                        .as(c + " '" + bad + "': the suggested '" + value + "' must load").doesNotThrowAnyException();
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"1gb", "1.5GB", "0.5kB", "1.3MB", "-5MB", "-2", "1024", "10 parsecs", "GB", "", "2 mib",
            "1.25TB", "big", "64KB"})
    void dataSizeSuggestionsParse(String text) {
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class, () -> DataSize.parse(text));
        assertThat(e).as("'" + text + "' is refused").isNotNull();
        Matcher m = Pattern.compile("Try '([^']*)'\\.$").matcher(e.getMessage());
        assertThat(m.find()).as(e.getMessage()).isTrue();
        assertThatCode(() -> DataSize.parse(m.group(1))).as("suggestion " + m.group(1)).doesNotThrowAnyException();
    }

    @Test
    void fractionalSizesSuggestTheExactValue() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> DataSize.parse("1.5GB")))
                .hasMessageContaining("1.5GB is exactly '1536MB'")
                .hasMessageEndingWith("Try '1536MB'.");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> DataSize.parse("0.5kB")))
                .hasMessageEndingWith("Try '512B'.");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> DataSize.parse("1.3MB")))
                .as("no exact value: the nearest whole kB, said so")
                .hasMessageContaining("the nearest whole kB is 1331kB").hasMessageEndingWith("Try '1331kB'.");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> DataSize.parse("-5MB")))
                .hasMessageContaining("Sizes are not negative").hasMessageEndingWith("Try '5MB'.");
    }

    @Test
    void hbaRuleParseSuggestionsParse() {
        for (String line : List.of("host replication replicator trust", "", "local all", "a b c d e f g")) {
            IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                    () -> HbaRule.parse(line));
            Matcher m = Pattern.compile("Example: '([^']*)'").matcher(e.getMessage());
            assertThat(m.find()).as(e.getMessage()).isTrue();
            assertThat(HbaRule.parse(m.group(1)).problems()).isEmpty();
        }
    }
}
