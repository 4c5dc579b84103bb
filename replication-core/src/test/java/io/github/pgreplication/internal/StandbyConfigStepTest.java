package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** postgresql.auto.conf is read back unless core's pg_basebackup -R has just written all the step wants. */
class StandbyConfigStepTest {
    private static final String AUTO = "/srv/s1/postgresql.auto.conf";
    /** What pg_basebackup -R -S s1_slot appends (recovery_gen.c), after the primary's own settings. */
    private static final String WRITTEN_BY_R = "wal_level = 'replica'\n"
            + "primary_conninfo = 'user=replicator host=p.example port=5432 application_name=s1'\n"
            + "primary_slot_name = 's1_slot'\n";

    private final FakeHost host = FakeHost.postgres("s1host");
    private final Primary primary = Primary.at(Endpoint.of("p.example", 5432)).withName("p");
    private final ReplicationRole role = ReplicationRole.named("replicator");

    private final CloneMethod other = new CloneMethod() {
        @Override
        public String name() {
            return "other";
        }

        @Override
        public List<String> runbook(CloneContext context) {
            return List.of("other");
        }

        @Override
        public void cloneInto(CloneContext context) {
        }
    };

    private Standby standby() {
        return Standby.named("s1").withHost(host).withDataDirectory("/srv/s1");
    }

    private ApplyContext context(Standby s) {
        return new ApplyContext(new ReplicationConfig(primary, role, PrimarySettings.empty(), List.of(), List.of(s),
                Duration.ofSeconds(1), false), null, Map.of());
    }

    private StandbyConfigStep step(Standby s) {
        return new StandbyConfigStep(s, new CloneContext(s, primary, role, "s1_slot"));
    }

    private List<String> programs() {
        return host.argvs().stream().map(a -> a.get(0)).toList();
    }

    @Test
    void tlsDescribedForAStandbyThatStreamsInClearRewritesItsPrimaryConninfoAndOnlyThen() {
        io.github.pgreplication.Tls tls = io.github.pgreplication.Tls.off().withReplication(io.github.pgreplication.Tls
                .Client.verifyFull("/etc/pg/root.crt").withCertificate("/etc/pg/s1.crt", "/etc/pg/s1.key"));
        Standby s = standby().withTls(tls);
        host.file(AUTO, WRITTEN_BY_R);
        StandbyConfigStep step = step(s);
        ApplyContext ctx = context(s);

        assertThat(step.isDone(ctx)).as("its primary_conninfo has no sslmode, sslrootcert, sslcert or sslkey")
                .isFalse();
        assertThat(step.run(ctx)).isEqualTo("set [primary_conninfo]");
        String written = AutoConf.parse(host.files.get(AUTO)).get("primary_conninfo");
        assertThat(Conninfo.parse(written).orElseThrow()).containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", "/etc/pg/root.crt").containsEntry("sslcert", "/etc/pg/s1.crt")
                .containsEntry("sslkey", "/etc/pg/s1.key").containsEntry("application_name", "s1");
        assertThat(step(s).isDone(context(s))).as("the second apply() changes nothing").isTrue();

        // What pg_basebackup -R writes over TLS: every option it used, the defaults too, in its own quoting.
        host.file(AUTO, "primary_conninfo = 'user=replicator passfile=''/srv/pass'' channel_binding=prefer"
                + " host=p.example port=5432 sslmode=verify-full sslcert=/etc/pg/s1.crt sslkey=/etc/pg/s1.key"
                + " sslrootcert=/etc/pg/root.crt sslsni=1 application_name=s1'\nprimary_slot_name = 's1_slot'\n");
        assertThat(step(s).isDone(context(s))).as("more options than ours, the same TLS ones").isTrue();
        host.file(AUTO, "primary_conninfo = 'user=replicator host=p.example sslmode=verify-full"
                + " sslcert=/etc/pg/s1.crt sslkey=/etc/pg/s1.key sslrootcert=/old/root.crt application_name=s1'\n"
                + "primary_slot_name = 's1_slot'\n");
        assertThat(step(s).isDone(context(s))).as("a CA moved").isFalse();
    }

    @Test
    void aStandbyServingTlsWithoutACaDoesNotKeepThePrimarysCaFromTheClone() {
        Primary tlsPrimary = primary.withTls(io.github.pgreplication.Tls.off().withServer(io.github.pgreplication.Tls
                .Server.files("/etc/pg/p.crt", "/etc/pg/p.key", "/etc/pg/root.crt")));
        Standby s = standby().withTls(io.github.pgreplication.Tls.off().withServer(io.github.pgreplication.Tls.Server
                .files("/etc/pg/s1.crt", "/etc/pg/s1.key", null)));
        host.file(AUTO, "ssl = 'on'\nssl_cert_file = '/etc/pg/p.crt'\nssl_key_file = '/etc/pg/p.key'\n"
                + "ssl_ca_file = '/etc/pg/root.crt'\n" + WRITTEN_BY_R);
        StandbyConfigStep step = new StandbyConfigStep(s, new CloneContext(s, tlsPrimary, role, "s1_slot"));
        ApplyContext ctx = new ApplyContext(new ReplicationConfig(tlsPrimary, role, PrimarySettings.empty(),
                List.of(), List.of(s), Duration.ofSeconds(1), false), null, Map.of());

        assertThat(step.isDone(ctx)).isFalse();
        step.run(ctx);
        assertThat(AutoConf.parse(host.files.get(AUTO))).containsEntry("ssl_cert_file", "/etc/pg/s1.crt")
                .containsEntry("ssl_key_file", "/etc/pg/s1.key").containsEntry("ssl_ca_file", "");
    }

    @Test
    void aConnectionStringIsReadByLibpqsRules() {
        assertThat(Conninfo.parse("host=a  port = 5432 application_name='s 1' sslrootcert='/x/it\\'s\\\\.crt'"))
                .contains(Map.of("host", "a", "port", "5432", "application_name", "s 1", "sslrootcert",
                        "/x/it's\\.crt"));
        assertThat(Conninfo.parse("")).contains(Map.of());
        assertThat(Conninfo.parse("host")).as("no =").isEmpty();
        assertThat(Conninfo.parse("host='a")).as("unterminated").isEmpty();
    }

    @Test
    void rightAfterABaseBackupCloneNothingIsReadBack() {
        Standby s = standby();
        ApplyContext ctx = context(s);
        ctx.markCloned("s1", BaseBackup.defaults());

        assertThat(step(s).isDone(ctx)).isTrue();
        assertThat(host.argvs()).as("no round trip").isEmpty();
    }

    @Test
    void theStandbysOwnParametersAreWrittenAfterOneRead() {
        Standby s = standby().withParameter("hot_standby_feedback", "on");
        host.file(AUTO, WRITTEN_BY_R);
        ApplyContext ctx = context(s);
        ctx.markCloned("s1", BaseBackup.defaults());
        StandbyConfigStep step = step(s);

        assertThat(step.isDone(ctx)).isFalse();
        assertThat(step.run(ctx)).isEqualTo("set [hot_standby_feedback]");

        assertThat(programs()).as("read once, in isDone; then written").containsExactly("cat", "sh");
        assertThat(host.files.get(AUTO)).startsWith(WRITTEN_BY_R).endsWith("hot_standby_feedback = 'on'\n");
    }

    @Test
    void afterAnotherCloneMethodTheFileIsReadAndCompleted() {
        Standby s = standby();
        host.file(AUTO, "wal_level = 'replica'\n");
        ApplyContext ctx = context(s);
        ctx.markCloned("s1", other);
        StandbyConfigStep step = step(s);

        assertThat(step.isDone(ctx)).isFalse();
        assertThat(step.run(ctx)).isEqualTo("set [primary_slot_name, primary_conninfo]");
        assertThat(host.files.get(AUTO)).contains("primary_slot_name = 's1_slot'")
                .contains("application_name=s1");
        assertThat(programs()).containsExactly("cat", "sh");
    }

    @Test
    void aStandbyKeptFromAnEarlierRunIsReadAndLeftAsItIs() {
        Standby s = standby();
        host.file(AUTO, WRITTEN_BY_R);

        assertThat(step(s).isDone(context(s))).as("not cloned in this run: checked").isTrue();
        assertThat(programs()).containsExactly("cat");
        assertThat(host.files.get(AUTO)).isEqualTo(WRITTEN_BY_R);
    }
}
