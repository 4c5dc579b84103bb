package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.FakeHost.ok;
import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.internal.PgBackRestInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code info} on a standby whose repository is on another host exits with 0 even when it cannot read the
 * repository: the stanza's status is 99 "other" and the error is in {@code repo[].status.message}. Real pgBackRest
 * 2.55.1 output (fixtures under {@code pgbackrest-2.55.1/info}); {@link PgBackRest#info()} must throw what
 * {@link PgBackRest#run} would throw for the same cause.
 */
class InfoErrorsTest {
    private static final RepositoryHost REPO = RepositoryHost.at("repo");

    private static PgBackRest standby(String fixture) {
        FakeHost host = FakeHost.postgres("standby").onContaining("info", c -> ok(Fixtures.info255(fixture)));
        return PgBackRest.on(host, "main").withRepositoryHost(REPO);
    }

    private static PgBackRestException infoFails(String fixture) {
        return catchThrowableOfType(PgBackRestException.class, () -> standby(fixture).info());
    }

    @Test
    void theParserKeepsTheRepositorysErrorAsTheStatusMessage() {
        StanzaInfo info = PgBackRestInfo.parse(Fixtures.info255("info-ssh-refused")).stanza("main").orElseThrow();
        assertThat(info.status().code()).isEqualTo(StanzaInfo.Status.OTHER);
        assertThat(info.status().message()).isEqualTo("[UnknownError] remote-0 process on 'repo' terminated"
                + " unexpectedly [255]: ssh: connect to host repo port 22: Connection refused");
    }

    @Test
    void aWorkingRepositoryOverSshIsParsed() {
        StanzaInfo info = standby("info-full").info();
        assertThat(info.status()).isEqualTo(new StanzaInfo.Status(0, "ok"));
        assertThat(info.backups()).singleElement().satisfies(b -> {
            assertThat(b.type()).isEqualTo(BackupType.FULL);
            assertThat(b.pgBackRestVersion()).isEqualTo("2.55.1");
            assertThat(b.lsnStop()).isGreaterThan(b.lsnStart());
        });
        assertThat(info.currentDatabase()).hasValueSatisfying(d -> assertThat(d.version()).isEqualTo("17"));
    }

    @Test
    void aRefusedKeyWithoutKeyPair() {
        PgBackRestException e = infoFails("info-ssh-denied");
        assertThat(e.kind()).isEqualTo(Kind.SSH_KEY_MISSING);
        assertThat(e.getMessage()).contains("ssh-keygen -t ed25519").contains("Permission denied (publickey");
        assertThat(e.errorCode()).isEqualTo(125);
    }

    @Test
    void aRefusedConnection() {
        PgBackRestException e = infoFails("info-ssh-refused");
        assertThat(e.kind()).isEqualTo(Kind.SSH_CONNECTION);
        assertThat(e.getMessage()).startsWith("The standby cannot reach the SSH server of postgres@repo (Connection"
                + " refused)").contains("pgBackRest said ([125]):").contains("--output=json info");
    }

    @Test
    void aChangedHostKey() {
        PgBackRestException e = infoFails("info-ssh-hostkey-changed");
        assertThat(e.kind()).isEqualTo(Kind.SSH_HOST_KEY);
        assertThat(e.hostKeyFingerprint()).as("the key repo presented, from ssh's words inside info's JSON")
                .contains("SHA256:zhWOZKIZ+XsoqyE9bcYS88krK9kupqS5DIhcBI6Xycg");
        assertThat(e.getMessage()).contains("presented an SSH host key that differs")
                .contains("ssh-keygen -R repo -f ~/.ssh/known_hosts");
    }

    @Test
    void aRepositoryThatCannotBeRead() {
        PgBackRestException e = infoFails("info-ssh-permission");
        assertThat(e.kind()).isEqualTo(Kind.REPOSITORY_PERMISSION);
        assertThat(e.getMessage()).contains("denied access to '/var/lib/pgbackrest/archive/main/archive.info'")
                .contains("chown -R postgres:postgres /var/lib/pgbackrest");
        assertThat(e.errorCode()).isEqualTo(41);
    }

    @Test
    void differentVersions() {
        PgBackRestException e = infoFails("info-version-mismatch");
        assertThat(e.kind()).isEqualTo(Kind.VERSION_MISMATCH);
        assertThat(e.localVersion()).contains("2.45");
        assertThat(e.remoteVersion()).contains("2.55.1");
        assertThat(e.getMessage()).startsWith("pgBackRest versions differ: 2.45 on standby, 2.55.1 on postgres@repo");
    }

    @Test
    void aMissingStanzaIsStillAStatusNotAnError() {
        FakeHost host = FakeHost.postgres("standby").onContaining("info", c -> ok(Fixtures.info("info-no-stanza")));
        assertThat(PgBackRest.on(host, "lab").info().status().missing()).isTrue();
        assertThat(host.programs()).containsExactly(List.of("pgbackrest", "--stanza=lab", "--output=json", "info"));
    }
}
