package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One command sees a data directory's entries and whether it is 0700; what it cannot tell is left to ls. */
class DirectoryLookTest {
    private static final String DIR = "/srv/a b/data";

    private final FakeHost host = FakeHost.postgres("h");

    @Test
    void theCommandIsPosixFindOverTheDirectoryItself() {
        assertThat(DirectoryLook.command(DIR).argv()).containsExactly("find", DIR + "/.", "(", "-name", ".", "-perm",
                "0700", "-print", ")", "-o", "(", "!", "-name", ".", "-print", "-prune", ")");
        assertThat(io.github.pgreplication.audit.PosixAudit.findings(DirectoryLook.command(DIR).argv())).isEmpty();
    }

    @Test
    void entriesAreReadWithoutTheirPrefixSortedAndTheRootLineGivesTheMode() {
        host.on(List.of("find", DIR + "/."), c -> FakeHost.ok(DIR + "/.\n" + DIR + "/./standby.signal\n" + DIR
                + "/./PG_VERSION\n" + DIR + "/./a name with spaces\n"));

        DirectoryLook look = DirectoryLook.of(host, DIR);

        assertThat(look.entries()).containsExactly("PG_VERSION", "a name with spaces", "standby.signal");
        assertThat(look.exactly0700()).contains(true);
        assertThat(look.modeKnown()).isTrue();
        assertThat(host.argvs()).hasSize(1);
    }

    @Test
    void anEmptyDirectoryOfAnotherModeIsEmptyAndNot0700() {
        host.on(List.of("find", DIR + "/."), c -> FakeHost.ok(""));

        DirectoryLook look = DirectoryLook.of(host, DIR);

        assertThat(look.entries()).isEmpty();
        assertThat(look.exactly0700()).contains(false);
        assertThat(look.modeKnown()).isTrue();
    }

    @Test
    void anAbsentDirectoryIsEmptyWithNoModeAndNoFurtherCommand() {
        host.on(List.of("find", DIR + "/."), c -> FakeHost.fail(1, "find: '" + DIR + "/.': No such file or directory"));

        DirectoryLook look = DirectoryLook.of(host, DIR);

        assertThat(look).isEqualTo(new DirectoryLook(List.of(), Optional.empty(), true));
        assertThat(host.argvs()).hasSize(1);
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsLeftToLsWhichListsItAsBefore() {
        host.file(DIR, "not a directory");
        host.on(List.of("find", DIR + "/."), c -> FakeHost.fail(1, "find: '" + DIR + "/.': Not a directory"));
        host.on(List.of("ls", "-A1"), c -> FakeHost.ok(DIR + "\n"));

        DirectoryLook look = DirectoryLook.of(host, DIR);

        assertThat(look.entries()).containsExactly(DIR);
        assertThat(look.modeKnown()).as("the mode step looks again").isFalse();
    }
}
