package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.host.SshHost;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.github.pgreplication.internal.SlotName;

/**
 * Issue 25 item 1 (messages): a value of 10,000 characters given anywhere (load(), the value parsers, the operations'
 * arguments) is refused with a message that shows its start and its length, never the whole value; the one mechanism
 * is {@link Problem#shown(String)}.
 */
class LongValueTest {
    private static final int LONG = 10_000;
    /** Longer than any message needs, far shorter than the value. */
    private static final int MESSAGE_BOUND = 1_500;

    private static String longValue(String start, char fill) {
        return start + String.valueOf(fill).repeat(LONG - start.length());
    }

    @Test
    void shownKeepsShortValuesWholeAndEscaped() {
        assertThat(Problem.shown("eshub")).isEqualTo("eshub");
        assertThat(Problem.shown("a\nb\u202ec")).as("line breaks and bidirectional controls escaped")
                .isEqualTo("a\\nb\\u202ec");
        String limit = "x".repeat(Problem.SHOWN_WHOLE);
        assertThat(Problem.shown(limit)).as("up to " + Problem.SHOWN_WHOLE + " characters: whole").isEqualTo(limit);
    }

    @Test
    void shownShortensALongValueToItsStartAndLength() {
        String value = longValue("eshub", 'x');
        String shown = Problem.shown(value);
        assertThat(shown).as("start, then the length").startsWith("eshubxxx")
                .endsWith("... (10000 characters)").hasSizeLessThan(100);
        assertThat(Problem.shown("x".repeat(Problem.SHOWN_WHOLE + 1)))
                .endsWith("... (" + (Problem.SHOWN_WHOLE + 1) + " characters)");
        assertThat(Problem.shown("\uD83D\uDE00".repeat(200))).as("counted in characters, not UTF-16 units; no"
                + " surrogate cut in half").endsWith("... (200 characters)").doesNotContain("?")
                .startsWith("\uD83D\uDE00");
    }

    @Test
    void aProblemKeepsItsPartsWholeButEscapesThem() {
        Problem p = new Problem("subject '" + Problem.shown(longValue("a", 'b')) + "'", "rule\n", "fix");
        assertThat(p.describe()).as("the value shortened by the caller, the line break escaped")
                .contains("(10000 characters)").contains("rule\\n").hasSizeLessThan(200);
    }

    static Stream<Arguments> loadCases() {
        String name = longValue("eshub", 'x');
        String path = "/srv/" + "d".repeat(LONG - 5);
        return Stream.of(
                Arguments.of("primary name", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY).withName(v)), name),
                Arguments.of("standby name", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby(v)), name),
                Arguments.of("two standbys on one machine", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(Standby.named("eshub")
                                .withDataDirectory("/srv/a")).addStandby(Standby.named(v).withDataDirectory("/srv/a")),
                        name),
                Arguments.of("slot", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub").withSlot(v)),
                        longValue("eshub_slot", 'x')),
                Arguments.of("role", (Function<String, Replication.Builder>)
                        v -> valid().replicationRole(ReplicationRole.named(v)), longValue("replicator", 'r')),
                Arguments.of("data directory", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                                .withDataDirectory(v)), path),
                Arguments.of("passfile", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub").withPassfile(v)),
                        path),
                Arguments.of("primary data directory", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY).withDataDirectory(v)).addStandby(standby("eshub")),
                        path),
                Arguments.of("primary host", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(Endpoint.of(v, 5432)).withName("eshua")),
                        longValue("db", 'h')),
                Arguments.of("standby admin host", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                                .withAdminEndpoint(Endpoint.of(v, 5432), "postgres", Secret.none())),
                        longValue("db", 'h')),
                Arguments.of("primary admin user", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY).withAdmin(v, Secret.none())),
                        longValue("postgres", 'p')),
                Arguments.of("database", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY).withDatabase(v)), longValue("postgres", 'd')),
                Arguments.of("parameter name", (Function<String, Replication.Builder>)
                        v -> valid().settings(PrimarySettings.empty().withParameter(v, "on")),
                        longValue("work_mem", 'm')),
                Arguments.of("typed parameter value", (Function<String, Replication.Builder>)
                        v -> valid().settings(PrimarySettings.empty().withParameter("max_wal_size", v)),
                        "0".repeat(LONG - 1) + "x"),
                Arguments.of("hot_standby value", (Function<String, Replication.Builder>)
                        v -> valid().settings(PrimarySettings.empty().withParameter("hot_standby", v)),
                        longValue("of", 'f')),
                Arguments.of("standby parameter name", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                                .withParameter(v, "1")), longValue("work_mem", 'M')),
                Arguments.of("standby port parameter", (Function<String, Replication.Builder>)
                        v -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                                .withParameter("port", v)), longValue("5", '4')),
                Arguments.of("pg_hba user", (Function<String, Replication.Builder>)
                        v -> valid().allow(HbaRule.replication(v, "10.0.0.0/24", "trust")),
                        longValue("replicator", 'u')),
                Arguments.of("pg_hba database", (Function<String, Replication.Builder>)
                        v -> valid().allow(new HbaRule("host", v, "replicator", "10.0.0.0/24", "trust")),
                        longValue("replication", 'd')),
                Arguments.of("pg_hba address", (Function<String, Replication.Builder>)
                        v -> valid().allow(HbaRule.replication("replicator", v, "trust")), longValue("standby", 'a')),
                Arguments.of("pg_hba type", (Function<String, Replication.Builder>)
                        v -> valid().allow(new HbaRule(v, "replication", "replicator", "10.0.0.0/24", "trust")),
                        longValue("host", 't')),
                Arguments.of("pg_hba option name", (Function<String, Replication.Builder>)
                        v -> valid().allow(HbaRule.replication("replicator", "10.0.0.0/24", "trust")
                                .withOption(v, "1")), longValue("clientcert", 'c')),
                Arguments.of("pg_hba option value", (Function<String, Replication.Builder>)
                        v -> valid().allow(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 trust")
                                .withOption("clientcert", v)), longValue("verify", 'v')));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("loadCases")
    void loadShowsALongValueShortened(String what, Function<String, Replication.Builder> description, String value) {
        InvalidReplicationConfigException e = rejected(description.apply(value));
        assertThat(e.getMessage()).as(what + ": the start and the length, not the whole value")
                .contains(value.substring(0, 20)).contains("(" + value.length() + " characters)")
                .hasSizeLessThan(MESSAGE_BOUND * e.problems().size());
    }

    static Stream<Arguments> parserCases() {
        String value = longValue("1", '9');
        String start = value.substring(0, 20);
        return Stream.of(
                Arguments.of("DataSize.parse", (Runnable) () -> DataSize.parse(value + "parsecs"), start),
                Arguments.of("DataSize.parse, too large", (Runnable) () -> DataSize.parse(value + "GB"), start),
                Arguments.of("Lsn.parse", (Runnable) () -> Lsn.parse(value), start),
                Arguments.of("SlotName.of", (Runnable) () -> SlotName.of(longValue("Slot", 's')), "Slotsss"),
                Arguments.of("HbaRule.parse, fields", (Runnable) () -> HbaRule.parse(longValue("host all ", 'a')),
                        "host all aaa"),
                Arguments.of("HbaRule.parse, option first", (Runnable) () -> HbaRule.parse("host a=b "
                        + longValue("x", 'x')), "host a=b xxx"),
                Arguments.of("HbaRule.parse, unclosed quote", (Runnable) () -> HbaRule.parse("host \""
                        + longValue("x", 'x')), "host \"xxx"),
                Arguments.of("HbaRule.parse, control", (Runnable) () -> HbaRule.parse(longValue("host\n", 'x')),
                        "host\\nxxx"),
                Arguments.of("BaseBackup.withLabel", (Runnable) () -> BaseBackup.defaults()
                        .withLabel(longValue("label\n", 'l')), "label\\nlll"),
                Arguments.of("SshHost.to user", (Runnable) () -> SshHost.to(longValue("postgres", 'p'), "db"),
                        "postgresppp"),
                Arguments.of("SshHost.to address", (Runnable) () -> SshHost.to("postgres", longValue("db", 'h')),
                        "dbhhh"),
                Arguments.of("SshHost identity file", (Runnable) () -> SshHost.to("postgres", "db")
                        .withIdentityFile(longValue("relative", 'f')), "relativefff"),
                Arguments.of("Endpoint.jdbcUrl", (Runnable) () -> Endpoint.of(longValue("db ", 'h')).jdbcUrl("x"),
                        "db hhh"),
                Arguments.of("Command.of", (Runnable) () -> io.github.pgreplication.host.Command.of("pg_ctl",
                        longValue("-D\0", 'd')), "-D\\0ddd"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("parserCases")
    void parsersShowALongValueShortened(String what, Runnable call, String start) {
        Throwable e = catchThrowable(call::run);
        assertThat(e).as(what + " refuses the value").isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getMessage()).as(what + ": the start and the length, not the whole value").contains(start)
                .contains("characters)").hasSizeLessThan(MESSAGE_BOUND);
    }

    private static Replication.Builder seed1() {
        return Replication.primary(Primary.at(Endpoint.of("eshua.ghelew.ch", 5432)).withName("eshua")
                        .withDataDirectory("/var/postgresql/data").withService(ServiceControl.pgCtl()))
                .addStandby(Standby.named("eshub").withHost(SshHost.to("postgres", "eshub.ghelew.ch"))
                        .withDataDirectory("/var/postgresql/data"));
    }

    @Test
    void operationTargetsAreShownShortened() {
        String target = longValue("eshud", 'x');
        try (Replication r = seed1().load()) {
            for (Runnable call : java.util.List.<Runnable>of(() -> r.plan(Switchover.to(target)),
                    () -> r.plan(Failover.to(target)), () -> r.plan(Rejoin.node(target)),
                    () -> r.planRemoval(target, true), () -> r.removeStandby(target, true))) {
                Throwable e = catchThrowable(call::run);
                assertThat(e).isInstanceOf(OperationRefusedException.class);
                assertThat(e.getMessage()).as("the target's start and length").contains("eshudxxx")
                        .contains("(10000 characters)").hasSizeLessThan(MESSAGE_BOUND);
            }
            Throwable drop = catchThrowable(() -> r.dropSlot(longValue("Eshub_slot", 's')));
            assertThat(drop).isInstanceOf(IllegalArgumentException.class);
            assertThat(drop.getMessage()).contains("Eshub_slotsss").contains("(10000 characters)")
                    .hasSizeLessThan(MESSAGE_BOUND);
        }
    }
}
