package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The uid and gid a {@link ContainerHost} gives the files it writes, read from a container's /etc/passwd; no Docker. */
class ContainerHostPasswdTest {
    private static final String PASSWD = String.join("\n",
            "root:x:0:0:root:/root:/bin/bash",
            "postgresx:x:7:7::/:/bin/sh",
            "postgres:x:100:103:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash",
            "postgres:x:200:200:a second line for the same name:/:/bin/sh",
            "odd:x:nobody:7::/:/bin/sh",
            "short:x:5",
            "");

    @Test
    void theUsersFirstLineGivesItsUidAndGid() {
        assertThat(ContainerHost.passwdIds(PASSWD, "postgres")).as("the first line named postgres, not postgresx")
                .containsExactly(100, 103);
        assertThat(ContainerHost.passwdIds("root:x:0:0:root:/root:/bin/sh", "root")).as("no line break at the end")
                .containsExactly(0, 0);
    }

    @Test
    void anAbsentUserOrALineWithoutNumericIdsGivesNothing() {
        assertThat(ContainerHost.passwdIds(PASSWD, "nobody")).as("no such line: id is asked instead").isNull();
        assertThat(ContainerHost.passwdIds(PASSWD, "odd")).as("a uid that is no number").isNull();
        assertThat(ContainerHost.passwdIds(PASSWD, "short")).as("fewer than four fields").isNull();
        assertThat(ContainerHost.passwdIds("", "postgres")).as("an empty file").isNull();
    }
}
