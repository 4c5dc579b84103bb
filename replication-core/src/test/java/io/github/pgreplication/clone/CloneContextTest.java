package io.github.pgreplication.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloneContextTest {
    private static final String PASSWORD = "s3cr'et\\;x";
    private static final Primary PRIMARY = Primary.at(Endpoint.of("eshua.example", 5432));
    private static final Standby ESHUB = Standby.named("eshub").withDataDirectory("/var/postgresql/data");

    private static CloneContext context(Standby standby, ReplicationRole role) {
        return new CloneContext(standby, PRIMARY, role, standby.effectiveSlotName());
    }

    @Test
    void primaryConninfoWithoutPasswordHasNoPassfile() {
        CloneContext c = context(ESHUB, ReplicationRole.named("replicator"));

        assertThat(c.primaryConninfo())
                .isEqualTo("host=eshua.example port=5432 user=replicator application_name=eshub");
        assertThat(c.passfile()).as("no password, no passfile").isNull();
    }

    @Test
    void primaryConninfoWithPasswordNamesThePassfileBesideTheDataDirectory() {
        CloneContext c = context(ESHUB, ReplicationRole.named("replicator").withPassword(Secret.of(PASSWORD)));

        assertThat(c.passfile()).isEqualTo("/var/postgresql/.pgpass-eshub");
        assertThat(c.primaryConninfo())
                .isEqualTo("host=eshua.example port=5432 user=replicator application_name=eshub"
                        + " passfile=/var/postgresql/.pgpass-eshub");
    }

    @Test
    void primaryConninfoNeverContainsThePassword() {
        CloneContext c = context(ESHUB, ReplicationRole.named("replicator").withPassword(Secret.of(PASSWORD)));

        assertThat(c.primaryConninfo()).doesNotContain(PASSWORD).doesNotContain("s3cr").doesNotContain("password");
    }

    @Test
    void explicitPassfileIsUsed() {
        CloneContext c = context(ESHUB.withPassfile("/etc/pg/pass file"),
                ReplicationRole.named("replicator").withPassword(Secret.of("pw")));

        assertThat(c.passfile()).isEqualTo("/etc/pg/pass file");
        assertThat(c.primaryConninfo()).endsWith(" passfile='/etc/pg/pass file'");
    }

    @Test
    void passfileQuotedWhenTheDataDirectoryHasSpaces() {
        Standby s = Standby.named("eshub").withDataDirectory("/srv/pg data/main");
        CloneContext c = context(s, ReplicationRole.named("replicator").withPassword(Secret.of("pw")));

        assertThat(c.primaryConninfo()).endsWith(" passfile='/srv/pg data/.pgpass-eshub'");
    }

    @Test
    void conninfoLeavesPlainValuesBare() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", "10.0.0.5");
        kv.put("user", "rep-1_x.y@z");
        kv.put("passfile", "/a/b/.pgpass");

        assertThat(CloneContext.conninfo(kv)).isEqualTo("host=10.0.0.5 user=rep-1_x.y@z passfile=/a/b/.pgpass");
    }

    @Test
    void conninfoQuotesSpacesQuotesAndBackslashesAsLibpqRequires() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("application_name", "my app");
        kv.put("user", "it's");
        kv.put("passfile", "C:\\pg\\pass");
        kv.put("options", "-c x='a b'\\");

        assertThat(CloneContext.conninfo(kv)).isEqualTo("application_name='my app' user='it\\'s'"
                + " passfile='C:\\\\pg\\\\pass' options='-c x=\\'a b\\'\\\\'");
    }

    @Test
    void conninfoQuotesEmptyValues() {
        assertThat(CloneContext.conninfo(Map.of("sslmode", ""))).isEqualTo("sslmode=''");
    }

    @Test
    void contextExposesTheStandbysHostAndDirectory() {
        CloneContext c = context(ESHUB, ReplicationRole.named("replicator"));

        assertThat(c.dataDirectory()).isEqualTo("/var/postgresql/data");
        assertThat(c.host()).isSameAs(ESHUB.host());
        assertThat(c.slot()).isEqualTo("eshub_slot");
    }
}
