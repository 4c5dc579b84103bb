package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.FakeHost.fail;
import static io.github.pgreplication.pgbackrest.FakeHost.ok;
import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import io.github.pgreplication.clone.ContributedStep;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command construction and step order of the restore clone method, against fake hosts. */
class PgBackRestRestoreTest {
    private static final String PASSWORD = "s3cr3t-'pw\\";
    private static final String DATA = "/var/lib/postgresql/data";
    private static final String CONNINFO = "host=eshua.example port=5432 user=replicator application_name=eshub"
            + " passfile=/var/lib/postgresql/.pgpass-eshub";
    private static final Primary PRIMARY = Primary.at(Endpoint.of("eshua.example", 5432));
    private static final ReplicationRole ROLE = ReplicationRole.named("replicator").withPassword(Secret.of(PASSWORD));

    private static CloneContext context(FakeHost standby) {
        return new CloneContext(Standby.named("eshub").withHost(standby).withDataDirectory(DATA), PRIMARY, ROLE,
                "eshub_slot");
    }

    /** A standby host on which every program succeeds like pgBackRest 2.45 would. */
    private static FakeHost standby() {
        FakeHost standby = SshTrustTest.standby();
        standby.on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.45\n"))
                .onContaining("restore", c -> {
                    Fixtures.read("output/restore-detail.txt").lines().forEach(c.outputListener());
                    return ok("");
                })
                .onContaining("info", c -> ok(psql("info-full-diff-incr")));
        return standby;
    }

    /** A real info fixture, for stanza psql instead of the lab's stanza. */
    private static String psql(String fixture) {
        return Fixtures.info(fixture).replace("\"name\":\"lab\"", "\"name\":\"psql\"");
    }

    private static FakeHost repository(String version) {
        return SshTrustTest.repository().on(List.of("pgbackrest", "version"), c -> ok("pgBackRest " + version + "\n"));
    }

    @Test
    void isACloneMethodNamedPgbackrestRestore() {
        CloneMethod m = PgBackRestRestore.using("psql");
        assertThat(m.name()).isEqualTo("pgbackrest-restore");
        assertThat(PgBackRestRestore.from(RepositoryHost.at("eshua"), "psql"))
                .hasToString("pgbackrest-restore(psql from postgres@eshua)");
    }

    @Test
    void restoreCommandIsAStandbyDeltaRestoreWithConninfoAndSlot() {
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example"), "psql").withProcessMax(2);
        assertThat(r.restoreCommand(context(standby())).argv()).containsExactly("pgbackrest",
                "--config=/etc/pgbackrest.conf", "--stanza=psql", "--type=standby", "--delta",
                "--pg1-path=" + DATA, "--process-max=2",
                "--recovery-option=primary_conninfo=" + CONNINFO,
                "--recovery-option=primary_slot_name=eshub_slot",
                "--log-level-console=detail", "restore");
    }

    @Test
    void thePasswordIsNeverInArgvOrTheRunbook() {
        FakeHost standby = standby();
        CloneContext ctx = context(standby);
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example").withAccess(repository("2.45")),
                "psql").withRepositoryPreparedBy(PgBackRest.on(repository("2.45")
                .onContaining("info", c -> ok(psql("info-full"))), "psql"));
        assertThat(String.join(" ", r.restoreCommand(ctx).argv())).doesNotContain("s3cr3t");
        assertThat(String.join("\n", r.runbook(ctx))).doesNotContain("s3cr3t");
        r.cloneInto(ctx);
        assertThat(standby.argvs()).allSatisfy(a -> assertThat(String.join(" ", a)).doesNotContain("s3cr3t"));
    }

    @Test
    void usingReliesOnTheStandbysOwnConfiguration() {
        PgBackRestRestore r = PgBackRestRestore.using("psql");
        FakeHost standby = standby();
        assertThat(r.restoreCommand(context(standby)).argv()).doesNotContain("--config=/etc/pgbackrest.conf")
                .startsWith("pgbackrest", "--stanza=psql");
        assertThat(r.standbyConfig(context(standby))).isNull();
        r.cloneInto(context(standby));
        assertThat(standby.programs()).extracting(a -> a.get(a.size() - 1).equals("restore") ? "restore" : a.get(0))
                .as("no ssh, no config written").doesNotContain("ssh", "ssh-keygen");
        assertThat(standby.files).doesNotContainKey("/etc/pgbackrest.conf");
    }

    @Test
    void generatedStandbyConfigNamesTheRepositoryHostAndTheDataDirectory() {
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example").withUser("postgres"), "psql");
        FakeHost standby = standby();
        CloneContext ctx = new CloneContext(Standby.named("eshub").withHost(standby).withDataDirectory(DATA)
                .withPort(5433), PRIMARY, ROLE, "eshub_slot");
        assertThat(r.standbyConfig(ctx).toIni()).contains("[global]\nrepo1-host=eshua.example\n"
                + "repo1-host-user=postgres\n\n[psql]\npg1-path=" + DATA + "\npg1-port=5433\n");
    }

    @Test
    void cloneIntoSetsUpTrustConfigAndVersionThenRestoresAndProvesArchiveGet() {
        FakeHost standby = standby();
        FakeHost repo = repository("2.45");
        List<CloneProgress> progress = new ArrayList<>();
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example").withAccess(repo), "psql")
                .withProgressListener(progress::add);

        r.cloneInto(context(standby));

        assertThat(standby.programs()).extracting(a -> a.get(0).equals("pgbackrest") ? a.get(a.size() - 1)
                        .matches("[0-9A-F]{24}|.*archive-get-check") ? "archive-get" : a.get(a.size() - 1) : a.get(0))
                .containsExactly("ssh-keygen", "ssh", "restore", "info", "archive-get");
        assertThat(standby.argvs()).as("one probe reads the standby's set-up and version first")
                .filteredOn(FakeHost::isProbe).hasSize(1);
        assertThat(repo.files.get("/var/lib/postgresql/.ssh/authorized_keys")).contains(SshTrustTest.STANDBY_PUB);
        assertThat(standby.files.get("/etc/pgbackrest.conf")).contains("repo1-host=eshua.example")
                .contains("[psql]\npg1-path=" + DATA);
        assertThat(repo.programs()).contains(List.of("pgbackrest", "version"));
        assertThat(standby.argvs()).contains(List.of("pgbackrest", "--config=/etc/pgbackrest.conf", "--stanza=psql",
                "--pg1-path=" + DATA, "archive-get", "000000010000000000000007",
                DATA + "/pgreplication-archive-get-check"));
        assertThat(standby.argvs()).as("the check file is removed")
                .contains(List.of("rm", "-f", "--", DATA + "/pgreplication-archive-get-check"));
        assertThat(progress).isNotEmpty().last().satisfies(p -> {
            assertThat(p.standby()).isEqualTo("eshub");
            assertThat(p.percent()).isEqualTo(100);
        });
    }

    /** The commands a host ran before the restore command (none of the emulated file programs left out). */
    private static List<List<String>> beforeRestore(FakeHost host) {
        List<List<String>> all = host.argvs();
        int restore = all.indexOf(all.stream().filter(a -> a.get(a.size() - 1).equals("restore")).findFirst()
                .orElseThrow());
        return all.subList(0, restore);
    }

    @Test
    void aStandbyThatTrustsTheRepositoryAlreadyRunsOneCommandBeforeTheRestore() {
        FakeHost standby = standby();
        FakeHost repo = repository("2.45");
        standby.onContaining("pgbackrest version", c -> ok("pgBackRest 2.45\n"));
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example").withAccess(repo), "psql");
        r.cloneInto(context(standby));
        assertThat(beforeRestore(standby)).as("the first restore sets up trust and writes the configuration")
                .hasSizeGreaterThan(5);
        standby.commands.clear();
        repo.commands.clear();

        r.cloneInto(context(standby));

        assertThat(beforeRestore(standby)).as("the second: the probe alone (ssh and both versions in it)")
                .singleElement().satisfies(a -> assertThat(FakeHost.isProbe(a)).isTrue());
        assertThat(beforeRestore(standby).get(0)).as("the probe's ssh prints the repository host's version")
                .endsWith("--", "postgres@eshua.example", "pgbackrest version");
        assertThat(repo.commands).as("nothing on the repository host").isEmpty();
    }

    @Test
    void aChangedConfigurationIsRewrittenAndAWrongVersionThroughSshStopsTheRestore() {
        FakeHost standby = standby().file("/var/lib/postgresql/.ssh/id_ed25519", "k")
                .file("/var/lib/postgresql/.ssh/id_ed25519.pub", SshTrustTest.STANDBY_PUB + "\n")
                .file("/etc/pgbackrest.conf", "[global]\nrepo1-host=old\n");
        standby.onContaining("pgbackrest version", c -> ok("pgBackRest 2.44\n"));
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example"), "psql");
        assertThatThrownBy(() -> r.cloneInto(context(standby))).satisfies(kind(Kind.VERSION_MISMATCH))
                .hasMessageContaining("pgBackRest versions differ: 2.45 on eshub, 2.44 on eshua.example");
        assertThat(standby.files.get("/etc/pgbackrest.conf")).contains("repo1-host=eshua.example");
        assertThat(standby.programs()).as("no key generated: ssh connected").noneMatch(a -> a.contains("restore")
                || a.get(0).equals("ssh-keygen"));
    }

    @Test
    void twoStandbysOfOneRepositoryReadItsHostKeyAndVersionOnce() {
        FakeHost repo = repository("2.45");
        RepositoryHost repositoryHost = RepositoryHost.at("eshua.example").withAccess(repo);
        FakeHost eshub = standby();
        FakeHost eshuc = standby();
        PgBackRestRestore.from(repositoryHost, "psql").cloneInto(context(eshub));
        List<List<String>> first = List.copyOf(repo.argvs());
        repo.commands.clear();
        PgBackRestRestore.from(repositoryHost, "psql").cloneInto(new CloneContext(Standby.named("eshuc")
                .withHost(eshuc).withDataDirectory(DATA), PRIMARY, ROLE, "eshuc_slot"));
        assertThat(first).as("the first standby: host key, home, version read on the repository host")
                .contains(List.of("cat", "--", SshTrustTest.HOST_KEY_FILE), List.of("pgbackrest", "version"));
        assertThat(repo.argvs()).as("the second: only its own key added to authorized_keys")
                .doesNotContain(List.of("cat", "--", SshTrustTest.HOST_KEY_FILE), List.of("pgbackrest", "version"))
                .noneMatch(a -> a.get(0).equals("getent"));
        assertThat(repo.argvs().size()).isLessThan(first.size());
    }

    @Test
    void versionMismatchStopsBeforeTheRestore() {
        FakeHost standby = standby();
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example")
                .withAccess(repository("2.44")), "psql");
        assertThatThrownBy(() -> r.cloneInto(context(standby))).satisfies(kind(Kind.VERSION_MISMATCH))
                .hasMessageContaining("2.45 on eshub, 2.44 on eshua.example");
        assertThat(standby.programs()).noneMatch(a -> a.contains("restore"));
    }

    @Test
    void aFailedRestoreIsDiagnosedSoTheCoreCanFallBack() {
        FakeHost standby = standby().onContaining("restore", c -> fail(75, Fixtures.error("restore-no-backup")));
        PgBackRestRestore r = PgBackRestRestore.using("psql");
        assertThatThrownBy(() -> r.cloneInto(context(standby))).satisfies(kind(Kind.NO_BACKUP))
                .isInstanceOf(io.github.pgreplication.ReplicationException.class)
                .hasMessageContaining("no backup to restore");
    }

    @Test
    void aMissingWalSegmentAfterTheRestoreIsAnArchiveGetFailure() {
        FakeHost standby = standby().onContaining("archive-get", c -> new CommandResult(1,
                "P00   INFO: unable to find 000000010000000000000007 in the archive\n", ""));
        assertThatThrownBy(() -> PgBackRestRestore.using("psql").cloneInto(context(standby)))
                .satisfies(kind(Kind.ARCHIVE_GET))
                .hasMessageContaining("cannot find WAL segment 000000010000000000000007, the first one backup"
                        + " 20261122-004606F_20261122-004614I needs")
                .hasMessageContaining("check the primary's archive_command");
        assertThat(standby.argvs()).contains(List.of("rm", "-f", "--", DATA + "/pgreplication-archive-get-check"));
    }

    @Test
    void theArchiveGetCheckCanBeTurnedOff() {
        FakeHost standby = standby();
        PgBackRestRestore.using("psql").withArchiveGetCheck(false).cloneInto(context(standby));
        assertThat(standby.programs()).noneMatch(a -> a.contains("archive-get") || a.contains("info"));
    }

    @Test
    void conninfoThatPgBackRestCannotQuoteIsWrittenAfterwardsWithPostgresQuoting() {
        FakeHost standby = standby().file(DATA + "/postgresql.auto.conf", "# Do not edit\n"
                + "restore_command = 'pgbackrest --stanza=psql archive-get %f \"%p\"'\n");
        CloneContext ctx = new CloneContext(Standby.named("eshub").withHost(standby).withDataDirectory(DATA)
                .withPassfile("/var/lib/postgresql/my pass"), PRIMARY, ROLE, "eshub_slot");
        PgBackRestRestore r = PgBackRestRestore.using("psql");

        assertThat(r.restoreCommand(ctx).argv()).as("pgBackRest would write the quotes unescaped")
                .noneMatch(a -> a.startsWith("--recovery-option=primary_conninfo"))
                .contains("--recovery-option=primary_slot_name=eshub_slot");
        r.cloneInto(ctx);

        assertThat(standby.files.get(DATA + "/postgresql.auto.conf"))
                .contains("restore_command = 'pgbackrest --stanza=psql archive-get %f \"%p\"'\n")
                .contains("primary_conninfo = 'host=eshua.example port=5432 user=replicator application_name=eshub"
                        + " passfile=''/var/lib/postgresql/my pass'''\n");
        assertThat(r.runbook(ctx)).anyMatch(l -> l.contains("primary_conninfo = ") && l.endsWith(">> "
                + DATA + "/postgresql.auto.conf"));
    }

    @Test
    void theRepositoryIsPreparedByOneContributedStepOnItsHostNotByTheRestore() {
        Deque<String> infos = new ArrayDeque<>(List.of("info-no-backup", "info-no-backup", "info-full"));
        FakeHost primary = FakeHost.postgres("eshua-host").onContaining("info", c -> ok(Fixtures.info(
                infos.size() > 1 ? infos.poll() : infos.peek())));
        PgBackRestRestore restore = PgBackRestRestore.using("psql")
                .withRepositoryPreparedBy(PgBackRest.on(primary, "lab").withNodeName("eshua"));
        CloneContext eshub = context(standby());
        CloneContext eshuc = new CloneContext(Standby.named("eshuc").withHost(standby()).withDataDirectory(DATA),
                PRIMARY, ROLE, "eshuc_slot");

        List<ContributedStep> steps = restore.contributedSteps(eshub);
        assertThat(steps).singleElement().satisfies(step -> {
            assertThat(step.phase()).isEqualTo(ContributedStep.Phase.AFTER_PRIMARY);
            assertThat(step.node()).isEqualTo("eshua");
            assertThat(step.title()).isEqualTo("pgBackRest stanza lab: created, archiving checked, a full backup in"
                    + " the repository");
            assertThat(step.runbook()).contains("pgbackrest --stanza=lab check");
        });
        assertThat(restore.contributedSteps(eshuc)).singleElement().as("the same step for every standby: run once")
                .satisfies(other -> assertThat(other.key()).isEqualTo(steps.get(0).key()));

        restore.cloneInto(eshub);
        assertThat(primary.programs()).as("the restore only restores").isEmpty();
        assertThat(restore.runbook(eshub)).noneMatch(line -> line.contains("--stanza=lab"));

        assertThat(steps.get(0).isDone()).as("no backup yet").isFalse();
        assertThat(steps.get(0).run()).isEqualTo("archiving checked, full backup 20261122-004606F taken");
        assertThat(primary.programs()).extracting(a -> a.get(a.size() - 1)).containsExactly("info", "info", "check",
                "backup", "info");
        assertThat(steps.get(0).isDone()).as("info shows the stanza and its backup").isTrue();
    }

    @Test
    void withoutARepositoryToPrepareNoStepIsContributed() {
        assertThat(PgBackRestRestore.using("psql").contributedSteps(context(standby()))).isEmpty();
    }

    @Test
    void runbookListsEveryStepInOrder() {
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example").withAccess(repository("2.45")),
                "psql").withRepositoryPreparedBy(PgBackRest.on(repository("2.45"), "psql"));
        List<String> lines = r.runbook(context(standby()));
        assertThat(lines).containsSubsequence(
                "test -e ~/.ssh/id_ed25519 || ssh-keygen -t ed25519 -N '' -f ~/.ssh/id_ed25519",
                "install -m 0640 /dev/null /etc/pgbackrest.conf",
                "repo1-host=eshua.example",
                "pgbackrest version   # on both hosts: the versions must be equal",
                "pgbackrest --config=/etc/pgbackrest.conf --stanza=psql --type=standby --delta --pg1-path=" + DATA
                        + " '--recovery-option=primary_conninfo=" + CONNINFO + "'"
                        + " --recovery-option=primary_slot_name=eshub_slot --log-level-console=detail restore");
        assertThat(lines.get(lines.size() - 1)).contains("archive-get").contains("proves restore_command works");
        assertThat(lines).as("the repository's preparation is a step of its own").doesNotContain(
                "pgbackrest --stanza=psql check");
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> PgBackRestRestore.using("bad stanza")).hasMessageContaining("Try 'bad_stanza'");
        assertThatThrownBy(() -> PgBackRestRestore.using("psql").withProcessMax(0)).hasMessageContaining("between 1");
        PgBackRestConfig otherStanza = PgBackRestConfig.builder().repositoryHost(RepositoryHost.at("eshua"))
                .addStanza(StanzaSection.named("main").withPgPath("/d")).build();
        assertThatThrownBy(() -> PgBackRestRestore.from(RepositoryHost.at("eshua"), "psql").withConfig(otherStanza))
                .hasMessageContaining("has no [psql] section");
    }

    @Test
    void withDeltaTheStandbysDataDirectoryIsKeptAndTheRunbookSaysSo() {
        PgBackRestRestore full = PgBackRestRestore.from(RepositoryHost.at("eshua.example"), "psql");
        PgBackRestRestore delta = full.withDelta(true).withProcessMax(4);

        assertThat(full.keepsDataDirectory()).as("default: the core empties a directory first").isFalse();
        assertThat(delta.keepsDataDirectory()).isTrue();
        assertThat(delta.withDelta(false).keepsDataDirectory()).isFalse();
        List<String> lines = delta.runbook(context(standby()));
        assertThat(lines).containsSubsequence("# --delta on a kept data directory (PostgreSQL stopped): files that"
                        + " match the backup stay, the others are copied",
                "pgbackrest --config=/etc/pgbackrest.conf --stanza=psql --type=standby --delta --pg1-path=" + DATA
                        + " --process-max=4 '--recovery-option=primary_conninfo=" + CONNINFO + "'"
                        + " --recovery-option=primary_slot_name=eshub_slot --log-level-console=detail restore");
        assertThat(full.runbook(context(standby()))).noneMatch(l -> l.startsWith("# --delta"));
    }

    @Test
    void aDeltaBySizeAndTimestampRunsWithForceAndTheRunbookSaysWhatItTrades() {
        FakeHost host = standby();
        PgBackRestRestore bySize = PgBackRestRestore.using("psql").withDelta(DeltaMatch.SIZE_AND_TIMESTAMP)
                .withArchiveGetCheck(false);
        assertThat(bySize.keepsDataDirectory()).as("a delta keeps the directory").isTrue();
        bySize.cloneInto(context(host));
        assertThat(host.programs()).as("what ran on the standby").anySatisfy(p -> assertThat(p)
                .containsSubsequence("pgbackrest", "--type=standby", "--delta", "--force", "--pg1-path=" + DATA,
                        "restore"));
        assertThat(bySize.runbook(context(host))).anySatisfy(l -> assertThat(l).startsWith("# --delta --force on a"
                + " kept data directory (PostgreSQL stopped): files whose size and modification time match the"
                + " backup stay unread").contains("unsafe where a file may change without its size or time"
                + " changing")).noneMatch(l -> l.startsWith("# --delta on"));
        assertThat(bySize.withDelta(true).restoreCommand(context(host)).argv()).as("withDelta(true): checksums")
                .contains("--delta").doesNotContain("--force");
        assertThat(bySize.withDelta(false).restoreCommand(context(host)).argv())
                .as("a restore into an emptied directory: no --force").doesNotContain("--force");
        assertThat(bySize.withDelta(false).keepsDataDirectory()).isFalse();

        assertThatThrownBy(() -> PgBackRestRestore.using("psql").withDelta((DeltaMatch) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta match null: give DeltaMatch.CHECKSUM (safe, reads every file) or"
                        + " DeltaMatch.SIZE_AND_TIMESTAMP")
                .hasMessageContaining("withDelta(false) for no delta");
    }
}
