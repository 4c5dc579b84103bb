package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.ReplicationRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HbaStepTest {
    private static final String USER_RULES = "# TYPE  DATABASE  USER  ADDRESS  METHOD\n"
            + "local   all       all            peer\n"
            + "host    all       all   127.0.0.1/32  scram-sha-256\n";

    private final HbaStep step = new HbaStep("eshua",
            List.of(HbaRule.parse("host replication replicator 10.0.0.0/24 scram-sha-256")));

    @Test
    void blockIsMarkedAndHoldsTheRules() {
        assertThat(step.block()).isEqualTo(HbaStep.BEGIN + "\n"
                + "host replication replicator 10.0.0.0/24 scram-sha-256\n"
                + HbaStep.END + "\n");
    }

    @Test
    void withoutBlockRemovesOnlyTheManagedBlock() {
        String file = step.block() + USER_RULES;

        assertThat(HbaStep.withoutBlock(file)).isEqualTo(USER_RULES);
    }

    @Test
    void withoutBlockKeepsTextBeforeAndAfter() {
        String file = "# header kept\n" + step.block() + USER_RULES;

        assertThat(HbaStep.withoutBlock(file)).isEqualTo("# header kept\n" + USER_RULES);
    }

    @Test
    void withoutBlockRemovesABlockWithOtherRules() {
        String oldBlock = HbaStep.BEGIN + "\nhost replication replicator 192.168.0.0/16 trust\n" + HbaStep.END + "\n";

        assertThat(HbaStep.withoutBlock(oldBlock + USER_RULES)).as("a previous run's rules are replaced")
                .isEqualTo(USER_RULES);
    }

    @Test
    void withoutBlockHandlesABlockAtTheEndWithoutNewline() {
        String file = USER_RULES + HbaStep.BEGIN + "\nhost replication r 10.0.0.0/8 trust\n" + HbaStep.END;

        assertThat(HbaStep.withoutBlock(file)).isEqualTo(USER_RULES);
    }

    @Test
    void withoutBlockLeavesAFileWithoutBlockUnchanged() {
        assertThat(HbaStep.withoutBlock(USER_RULES)).isEqualTo(USER_RULES);
        assertThat(HbaStep.withoutBlock("")).isEmpty();
    }

    @Test
    void withoutBlockIgnoresAnUnterminatedBlock() {
        String file = HbaStep.BEGIN + "\n" + USER_RULES;

        assertThat(HbaStep.withoutBlock(file)).as("without END nothing is removed").isEqualTo(file);
    }

    @Test
    void rewritingIsIdempotent() {
        String once = step.block() + HbaStep.withoutBlock(USER_RULES);
        String twice = step.block() + HbaStep.withoutBlock(once);

        assertThat(twice).as("the block is replaced, never duplicated").isEqualTo(once);
    }

    @Test
    void runbookShowsTheBlockAndTheReload() {
        assertThat(step.runbook()).contains(HbaStep.BEGIN, "host replication replicator 10.0.0.0/24 scram-sha-256",
                HbaStep.END);
        assertThat(String.join("\n", step.runbook())).contains("pg_reload_conf()", "pg_hba_file_rules");
    }

    private static final String HBA = "/var/lib/postgresql/data/pg_hba.conf";
    private final FakeHost host = FakeHost.postgres("eshua-host");
    private final ScriptedJdbc sql = new ScriptedJdbc().value(Sql.HBA_FILE, HBA).value(Sql.RELOAD, "t");

    private ApplyContext context() {
        // The server reads its own pg_hba.conf for the check (pg_read_file): the file the host holds.
        sql.on(Sql.HBA_TEXT, () -> host.files.containsKey(HBA) ? List.of(java.util.Arrays.asList(HBA,
                host.files.get(HBA))) : List.of());
        host.oneCommandReads = true; // as on SshHost and the testkit's ContainerHost
        Primary p = Primary.at(Endpoint.of("eshua", 5432)).withName("eshua").withHost(host);
        return new ApplyContext(new ReplicationConfig(p, ReplicationRole.named("replicator"), PrimarySettings.empty(),
                List.of(), List.of(), Duration.ofSeconds(1), false), sql.db("eshua"), Map.of());
    }

    private List<String> programs() {
        return host.argvs().stream().map(a -> a.get(0)).toList();
    }

    @Test
    void theFileIsReadOnceWithItsModeAndWrittenWithThatMode() {
        host.file(HBA, USER_RULES);
        host.modes.put(HBA, "0640");
        sql.on(Sql.HBA_ERRORS, List::of);
        ApplyContext ctx = context();

        assertThat(step.isDone(ctx)).isFalse();
        assertThat(step.run(ctx)).isEqualTo("written to " + HBA);

        assertThat(host.files.get(HBA)).isEqualTo(step.block() + USER_RULES);
        assertThat(host.modes.get(HBA)).as("the mode the file had").isEqualTo("0640");
        assertThat(host.argvs()).as("one read (text and mode), then the write; no stat of its own")
                .extracting(a -> a.get(2))
                .containsExactly(ReadWithMode.SCRIPT, WriteAtomically.SCRIPT);
        assertThat(sql.run()).as("the check reads the file through the server").containsExactly(Sql.HBA_TEXT,
                Sql.RELOAD, Sql.HBA_ERRORS);
    }

    @Test
    void aPrefetchLooksUpTheModeOnTheHostAheadAndTheWriteKeepsIt() {
        host.file(HBA, USER_RULES);
        host.modes.put(HBA, "0640");
        sql.on(Sql.HBA_ERRORS, List::of);
        ApplyContext ctx = context();
        RoundTrips.Tally tally = new RoundTrips.Tally();

        step.prefetch(ctx);
        boolean done = RoundTrips.within(tally, () -> step.isDone(ctx));
        String detail = RoundTrips.within(tally, () -> step.run(ctx));

        assertThat(done).isFalse();
        assertThat(detail).isEqualTo("written to " + HBA);
        assertThat(host.files.get(HBA)).as("the text the server read, under our block").isEqualTo(step.block()
                + USER_RULES);
        assertThat(host.modes.get(HBA)).as("the mode the file had").isEqualTo("0640");
        assertThat(programs()).as("the mode's look-up (no second read of the text), then the write")
                .containsExactly("ls", "sh");
        assertThat(sql.run()).as("the server's read is not repeated by isDone()").containsExactly(Sql.HBA_TEXT,
                Sql.RELOAD, Sql.HBA_ERRORS);
        host.file(HBA, USER_RULES);
        HbaStep without = new HbaStep("eshua", List.of(HbaRule.parse("host replication replicator 10.0.0.0/24"
                + " scram-sha-256")));
        RoundTrips.Tally plain = new RoundTrips.Tally();
        RoundTrips.within(plain, () -> without.isDone(ctx) ? "" : without.run(ctx));
        assertThat(tally.queries()).as("the prefetch's statement counts as the step's, as without a prefetch")
                .isPositive().isEqualTo(plain.queries());
    }

    @Test
    void aServerThatMayNotReadItsFileIsAskedOnceThenTheHostReadsIt() {
        host.file(HBA, USER_RULES);
        host.modes.put(HBA, "0640");
        sql.on(Sql.HBA_ERRORS, List::of);
        ApplyContext ctx = context();
        sql.on(Sql.HBA_TEXT, () -> {
            throw new IllegalStateException("permission denied for function pg_read_file");
        });

        step.prefetch(ctx);
        assertThat(step.isDone(ctx)).isFalse();
        step.run(ctx);

        assertThat(host.files.get(HBA)).isEqualTo(step.block() + USER_RULES);
        assertThat(host.modes.get(HBA)).isEqualTo("0640");
        assertThat(sql.run().stream().filter(Sql.HBA_TEXT::equals)).as("the refused read is not repeated").hasSize(1);
    }

    @Test
    void aPrefetchOfAFileWithTheBlockRunsNothingOnTheHost() {
        host.file(HBA, step.block() + USER_RULES);
        ApplyContext ctx = context();

        step.prefetch(ctx);

        assertThat(step.isDone(ctx)).isTrue();
        assertThat(programs()).as("nothing run on the host: the server read its own file").isEmpty();
        assertThat(sql.run()).containsExactly(Sql.HBA_TEXT, Sql.RELOAD);
    }

    @Test
    void aRuleThePrimaryRejectsRestoresTheFileWithItsMode() {
        host.file(HBA, USER_RULES);
        host.modes.put(HBA, "0600");
        List<String> contentAtCheck = new ArrayList<>();
        sql.on(Sql.HBA_ERRORS, () -> {
            contentAtCheck.add(host.files.get(HBA));
            return List.of(List.of("1", "hostssl record cannot match because SSL is disabled"));
        });
        ApplyContext ctx = context();

        assertThat(step.isDone(ctx)).isFalse();
        assertThatThrownBy(() -> step.run(ctx)).isInstanceOf(ReplicationException.class)
                .hasMessageContaining("pg_hba.conf of primary 'eshua' (" + HBA + ") does not parse after adding the"
                        + " rules")
                .hasMessageContaining("SSL is disabled")
                .hasMessageContaining("The file was restored to its previous content");

        assertThat(contentAtCheck).as("the block was there when the server checked").containsExactly(step.block()
                + USER_RULES);
        assertThat(host.files.get(HBA)).isEqualTo(USER_RULES);
        assertThat(host.modes.get(HBA)).isEqualTo("0600");
        assertThat(sql.run()).containsExactly(Sql.HBA_TEXT, Sql.RELOAD, Sql.HBA_ERRORS, Sql.RELOAD);
    }

    @Test
    void aFileWithTheBlockIsOnlyReloaded() {
        host.file(HBA, step.block() + USER_RULES);
        ApplyContext ctx = context();

        assertThat(step.isDone(ctx)).isTrue();

        assertThat(programs()).as("nothing run on the host: the server read its own file").isEmpty();
        assertThat(sql.run()).containsExactly(Sql.HBA_TEXT, Sql.RELOAD);
    }

    @Test
    void aMissingHbaFileIsSaidWithTheFix() {
        ApplyContext ctx = context();

        assertThat(step.isDone(ctx)).isFalse();
        assertThatThrownBy(() -> step.run(ctx)).isInstanceOf(ReplicationException.class)
                .hasMessageContaining("hba_file " + HBA + " of primary 'eshua' cannot be read on eshua-host")
                .hasMessageContaining("Primary.withHost(...)");
        assertThat(programs()).as("the server could not read it: read once on the host, in isDone")
                .containsExactly("sh");
    }

    @Test
    void withTheDefaultReadTheModeIsAskedOnceToo() {
        host.file(HBA, USER_RULES);
        host.modes.put(HBA, "0640");
        sql.on(Sql.HBA_ERRORS, List::of);
        ApplyContext ctx = context();
        host.oneCommandReads = false;

        assertThat(step.isDone(ctx)).isFalse();
        step.run(ctx);

        assertThat(programs()).containsExactly("cat", "ls", "sh");
        assertThat(host.modes.get(HBA)).isEqualTo("0640");
    }
}
