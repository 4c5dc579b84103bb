package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.host.SshHost;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7 item 13: a null given to a public factory or withX of io.github.pgreplication, .host and .clone gives a
 * NullPointerException naming the parameter and what to give instead, never the JVM's implicit message.
 */
class NullInputTest {
    private static final Endpoint E = Endpoint.of("db.example", 5432);

    static Stream<Arguments> calls() {
        Standby s = Standby.named("eshub");
        Primary p = Primary.at(E);
        PrimarySettings ps = PrimarySettings.empty();
        HbaRule r = HbaRule.parse("host replication replicator 10.0.0.0/24 trust");
        return Stream.of(
                call("Endpoint.of(null, 5432)", () -> Endpoint.of(null, 5432), "host must not be null: give"),
                call("Endpoint.of(null)", () -> Endpoint.of(null), "host must not be null"),
                call("jdbcUrl(null)", () -> E.jdbcUrl(null), "database must not be null"),
                call("Primary.at(null)", () -> Primary.at(null), "endpoint must not be null: give Endpoint.of("),
                call("withName(null)", () -> p.withName(null), "primary name must not be null: give"),
                call("withAdminEndpoint(null)", () -> p.withAdminEndpoint(null), "primary admin endpoint must not"),
                call("withAdmin(null, ..)", () -> p.withAdmin(null, Secret.none()), "primary admin user must not"),
                call("withAdmin(.., null)", () -> p.withAdmin("postgres", null), "primary admin password must not"
                        + " be null: give Secret.none()"),
                call("withDatabase(null)", () -> p.withDatabase(null), "primary database must not be null"),
                call("Primary.withHost(null)", () -> p.withHost(null), "primary host must not be null"),
                call("Standby.named(null)", () -> Standby.named(null), "standby name must not be null"),
                call("Standby.withHost(null)", () -> s.withHost(null), "standby host must not be null"),
                call("withService(null)", () -> s.withService(null), "standby service must not be null"),
                call("withAdminEndpoint(.., null, ..)", () -> s.withAdminEndpoint(E, null, Secret.none()),
                        "standby admin user must not be null"),
                call("withAdminEndpoint(.., .., null)", () -> s.withAdminEndpoint(E, "postgres", null),
                        "standby admin password must not be null"),
                call("withCloneMethods(null)", () -> s.withCloneMethods((CloneMethod[]) null),
                        "clone methods must not be null: give e.g. BaseBackup.defaults()"),
                call("withCloneMethods(null element)", () -> s.withCloneMethods(BaseBackup.defaults(), null),
                        "a clone method must not be null"),
                call("Standby.withParameter(null, ..)", () -> s.withParameter(null, "1"),
                        "parameter name must not be null"),
                call("Standby.withParameter(.., null)", () -> s.withParameter("work_mem", null),
                        "value of parameter work_mem must not be null"),
                call("ReplicationRole.named(null)", () -> ReplicationRole.named(null),
                        "replication role name must not be null"),
                call("withPassword(null)", () -> ReplicationRole.named("r").withPassword(null),
                        "replication role password must not be null"),
                call("Secret.of(null)", () -> Secret.of(null), "secret value must not be null"),
                call("PrimarySettings.withParameter(null, ..)", () -> ps.withParameter(null, "x"),
                        "parameter name must not be null"),
                call("PrimarySettings.withParameter(.., null)", () -> ps.withParameter("work_mem", null),
                        "value of parameter work_mem must not be null"),
                call("withListenAddresses(null)", () -> ps.withListenAddresses(null),
                        "value of parameter listen_addresses must not be null"),
                call("withWalLevel(null)", () -> ps.withWalLevel(null), "wal_level must not be null: give"),
                call("withSynchronousCommit(null)", () -> ps.withSynchronousCommit(null), "synchronous_commit"),
                call("withWalSyncMethod(null)", () -> ps.withWalSyncMethod(null), "wal_sync_method must not"),
                call("withWalCompression(null)", () -> ps.withWalCompression(null), "wal_compression must not"),
                call("withMaxWalSize((DataSize) null)", () -> ps.withMaxWalSize((DataSize) null),
                        "max_wal_size must not be null"),
                call("withMaxWalSize((String) null)", () -> ps.withMaxWalSize((String) null),
                        "value of parameter max_wal_size must not be null"),
                call("withMinWalSize(null)", () -> ps.withMinWalSize((DataSize) null), "min_wal_size must not"),
                call("withArchiveMode(null)", () -> ps.withArchiveMode(null), "archive_mode must not be null"),
                call("withArchiveTimeout(null)", () -> ps.withArchiveTimeout(null), "archive_timeout must not"),
                call("withWalKeepSize(null)", () -> ps.withWalKeepSize(null), "wal_keep_size must not be null"),
                call("withMaxSlotWalKeepSize(null)", () -> ps.withMaxSlotWalKeepSize(null),
                        "max_slot_wal_keep_size must not be null"),
                call("withAll(null)", () -> ps.withAll(null), "settings must not be null"),
                call("HbaRule.parse(null)", () -> HbaRule.parse(null), "pg_hba line must not be null: give"),
                call("HbaRule.replication(null, ..)", () -> HbaRule.replication(null, "all", "trust"),
                        "user must not be null"),
                call("HbaRule.replication(.., null, ..)", () -> HbaRule.replication("r", null, "trust"),
                        "address must not be null"),
                call("HbaRule.withOption(null, ..)", () -> r.withOption(null, "x"), "option name must not be null"),
                call("HbaRule.withOption(.., null)", () -> r.withOption("map", null), "value of option map must"),
                call("Replication.primary(null)", () -> Replication.primary(null), "primary must not be null"),
                call("settings(null)", () -> Replication.primary(p).settings(null), "settings must not be null"),
                call("replicationRole(null)", () -> Replication.primary(p).replicationRole(null),
                        "replication role must not be null"),
                call("allow(null rule)", () -> Replication.primary(p).allow((HbaRule) null),
                        "a pg_hba rule must not be null"),
                call("addStandby(null)", () -> Replication.primary(p).addStandby(null), "standby must not be null"),
                call("streamingTimeout(null)", () -> Replication.primary(p).streamingTimeout(null),
                        "streaming timeout must not be null"),
                call("LocalHost.runAs(null)", () -> LocalHost.runAs(null), "user must not be null"),
                call("LocalHost.withPrefix(null)", () -> LocalHost.withPrefix(null), "prefix must not be null"),
                call("SshHost.to(null, ..)", () -> SshHost.to(null, "h"), "ssh user must not be null"),
                call("SshHost.to(.., null)", () -> SshHost.to("postgres", null), "ssh address must not be null"),
                call("Command.of(null)", () -> Command.of((String) null), "program must not be null"),
                call("Command.of(null list)", () -> Command.of((List<String>) null), "argv must not be null"),
                call("Command.of(null argument)", () -> Command.of("ls", (String) null),
                        "command argument must not be null"),
                call("withTimeout(null)", () -> Command.of("ls").withTimeout(null), "timeout must not be null"),
                call("withEnvironment(null, ..)", () -> Command.of("ls").withEnvironment(null, "x"),
                        "environment variable name must not be null"),
                call("withStdin(null)", () -> Command.of("ls").withStdin(null), "standard input must not be null"),
                call("withRedacted(null)", () -> Command.of("ls").withRedacted(null), "secret must not be null"),
                call("ServiceControl.pgCtl(null)", () -> ServiceControl.pgCtl(null), "wait must not be null"),
                call("ServiceControl.command(null)", () -> ServiceControl.command(null),
                        "restart command must not be null"),
                call("ServiceControl.commands(null)", () -> ServiceControl.commands(null), "commands must not be"),
                call("ServiceControl.on(null, ..)", () -> ServiceControl.on(null, ServiceControl.pgCtl()),
                        "host must not be null"),
                call("ServiceControl.on(.., null)", () -> ServiceControl.on(LocalHost.current(), null),
                        "control must not be null"),
                call("BaseBackup.withTimeout(null)", () -> BaseBackup.defaults().withTimeout(null),
                        "pg_basebackup timeout must not be null: e.g. .withTimeout(Duration.ofHours(2))"),
                call("new CloneContext(null, ..)", () -> new CloneContext(null, p, ReplicationRole.named("r"), "s"),
                        "standby must not be null"),
                call("new CloneContext(.., null slot)", () -> new CloneContext(s, p, ReplicationRole.named("r"),
                        null), "slot must not be null"),
                call("new HbaRule(.., null options)", () -> new HbaRule("host", "all", "all", "all", "trust", null),
                        "options must not be null"),
                call("new Standby(.., null parameters)", () -> new Standby(Node.named("s"), null, List.of(), false,
                        null, null),
                        "parameters must not be null"),
                call("Standby parameters with a null value", () -> new Standby(Node.named("s"), null,
                        List.of(), false, null, new java.util.HashMap<>(Map.of("a", "1")) {{ put("b", null); }}),
                        "value of parameter b must not be null"));
    }

    private static Arguments call(String what, Executable call, String message) {
        return Arguments.of(what, call, message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("calls")
    void nullGivesAMessageNamingTheParameter(String what, Executable call, String message) {
        assertThatThrownBy(call::execute).as(what)
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("must not be null");
    }
}
