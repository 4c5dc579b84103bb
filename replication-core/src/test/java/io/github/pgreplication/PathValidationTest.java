package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7 item 5: data directories and passfiles are checked as written, then normalised. */
class PathValidationTest {

    private static Replication.Builder withDataDirectory(String dir) {
        return Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub").withDataDirectory(dir)
                .withEmptyDataDirectoryAllowed(true));
    }

    private static Replication.Builder withPassfile(String passfile) {
        return Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub").withPassfile(passfile));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/../../etc", "/srv/..", "/srv/data/../..", "/..", "/a/b/../../..",
            "/var/lib/postgresql/17/main/..", "/srv/./../srv"})
    void dotDotSegmentsAreRefusedOutright(String dir) {
        InvalidReplicationConfigException e = rejected(withDataDirectory(dir));

        assertThat(e.getMessage()).contains("standby 'eshub' data directory '" + dir + "'",
                "must not contain '..' segments", "symbolic links",
                ".withDataDirectory(\"/var/lib/postgresql/data\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/", "//", "/.", "/./", "///.//", "/./././"})
    void everySpellingOfTheRootIsTheRoot(String dir) {
        // Issue 25 item 6: named as given (it was shown as '/'), with the normalised form when it differs.
        assertThat(rejected(withDataDirectory(dir)).getMessage()).as("shown as given, then what it is")
                .contains("data directory '" + dir + "'", "the root directory cannot be a data directory")
                .contains(dir.equals("/") ? "" : "is / once its . segments and repeated or trailing slashes are"
                        + " removed");
    }

    @ParameterizedTest(name = "[{index}] {0} is {1}")
    @CsvSource({"/etc, /etc", "/etc/, /etc", "/usr/./, /usr", "//var//, /var", "/home, /home", "/tmp/., /tmp",
            "/var/lib, /var/lib", "/root, /root", "/boot, /boot", "/lib64, /lib64", "/usr/local, /usr/local",
            "/srv, /srv", "/opt/, /opt"})
    void systemDirectoriesAreRefusedWhateverTheSpelling(String dir, String normalised) {
        assertThat(rejected(withDataDirectory(dir)).getMessage()).as("shown as given, then what it is")
                .contains("data directory '" + dir + "'", normalised + " is a system directory")
                .contains(dir.equals(normalised) ? "" : "is " + normalised + " once its . segments");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"/etc/postgresql/data, /etc", "/proc/1/root, /proc", "/sys/fs/pg, /sys", "/dev/shm/pg, /dev",
            "/usr/lib/postgresql/17, /usr/lib", "/bin/pg, /bin", "/boot/x, /boot", "/usr/share/pg, /usr/share"})
    void nothingGoesInsideTheSystemsOwnDirectories(String dir, String system) {
        assertThat(rejected(withDataDirectory(dir)).getMessage())
                .contains("data directory '" + dir + "'", "must not be inside the system directory " + system);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/17/main", "/var/lib/postgresql/data/", "/srv/pg//data",
            "/tmp/pg/data", "/home/app/pg", "/usr/local/pgsql/data", "/var/postgresql/data", "/data",
            "/srv/./pg/data/."})
    void ordinaryDataDirectoriesLoad(String dir) {
        loads(withDataDirectory(dir));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"data", "./data", "~/data", "var/lib/postgresql", ""})
    void relativeDataDirectoriesAreRefused(String dir) {
        InvalidReplicationConfigException e = rejected(withDataDirectory(dir));
        assertThat(e.getMessage()).contains("standby 'eshub' data directory");
        assertThat(e.getMessage()).containsAnyOf("must be an absolute path", "every standby needs its PGDATA");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {".pgpass", "pgpass-eshub", "./x", "~/.pgpass"})
    void relativePassfilesAreRefused(String passfile) {
        assertThat(rejected(withPassfile(passfile)).getMessage())
                .contains("standby 'eshub' passfile '" + passfile + "'", "must be an absolute path",
                        ".withPassfile(\"/var/lib/postgresql/.pgpass-eshub\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/eshub/.pgpass", "/var/lib/postgresql/eshub/sub/dir/pass",
            "/var/lib/postgresql/./eshub//.pgpass", "/var/lib/postgresql/eshub"})
    void passfilesInsideTheDataDirectoryAreRefused(String passfile) {
        assertThat(rejected(withPassfile(passfile)).getMessage())
                .contains("passfile '" + passfile + "'", "must not be inside the data directory"
                        + " /var/lib/postgresql/eshub", "the clone must find empty",
                        ".withPassfile(\"/var/lib/postgresql/.pgpass-eshub\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/x/../.pgpass", "/etc/passwd", "/etc/.pgpass", "/usr/lib/pass", "/tmp",
            "/var/lib/postgresql/"})
    void passfilesThatAreNoFileOfOursAreRefused(String passfile) {
        assertThat(rejected(withPassfile(passfile)).getMessage()).contains("passfile '" + passfile + "'")
                .containsAnyOf("'..'", "system directory", "must name a file");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/.pgpass-eshub", "/tmp/pgpass", "/home/app/.pgpass",
            "/var/lib/postgresql/eshub.pgpass"})
    void ordinaryPassfilesLoad(String passfile) {
        loads(withPassfile(passfile));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/eshub/.", "/var/lib/postgresql/eshub/", "/var/lib/postgresql//eshub"})
    void theDerivedPassfileIsBesideTheNormalisedDataDirectory(String dir) {
        try (Replication r = withDataDirectory(dir).replicationRole(ReplicationRole.named("replicator")
                .withPassword(Secret.of("pw"))).load()) {
            assertThat(r.standbys().get(0).effectivePassfile()).as("not inside the data directory")
                    .isEqualTo("/var/lib/postgresql/.pgpass-eshub");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/data", "/var/lib/postgresql/data/", "/var/lib/postgresql/data///",
            "/var/lib/postgresql//data/.", "/var/lib/postgresql/./data"})
    void aDataDirectoryEntersTheModelNormalised(String dir) {
        assertThat(Standby.named("eshub").withDataDirectory(dir).dataDirectory())
                .isEqualTo("/var/lib/postgresql/data");
        assertThat(Primary.at(PRIMARY).withDataDirectory(dir).dataDirectory()).isEqualTo("/var/lib/postgresql/data");
        assertThat(Node.named("eshub").withDataDirectory(dir).dataDirectory()).isEqualTo("/var/lib/postgresql/data");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/data", "/var/lib/postgresql/data/", "/var/lib/postgresql/data//"})
    void thePgCtlLogIsBesideTheDataDirectoryWhateverTheSpelling(String dir) {
        Standby standby = Standby.named("eshub").withDataDirectory(dir);
        List<String> argv = standby.node().service().command(ServiceAction.START, standby.dataDirectory()).argv();
        assertThat(argv).as("not /var/lib/postgresql/data/.log, inside the data directory")
                .containsExactly("pg_ctl", "-D", "/var/lib/postgresql/data", "-w", "-t", "120", "-l",
                        "/var/lib/postgresql/data.log", "start");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/data/", "/var/lib/postgresql/data//"})
    void thePlanShowsTheNormalisedDataDirectory(String dir) {
        try (Replication r = withDataDirectory(dir).load()) {
            assertThat(r.plan().toRunbook()).contains("-l /var/lib/postgresql/data.log start",
                    "data directory /var/lib/postgresql/data is absent", "-D /var/lib/postgresql/data -S")
                    .doesNotContain("/var/lib/postgresql/data/.log", "/var/lib/postgresql/data/ ",
                            "/var/lib/postgresql/data//");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"data/", "/srv/../x/", "/srv/pg\n/", ""})
    void aPathThatBreaksTheRulesIsKeptAsWrittenForItsMessage(String dir) {
        assertThat(Node.named("eshub").withDataDirectory(dir).dataDirectory()).as("load() reports it as written")
                .isEqualTo(dir);
    }
}
