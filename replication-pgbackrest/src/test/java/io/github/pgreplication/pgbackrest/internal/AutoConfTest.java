package io.github.pgreplication.pgbackrest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoConfTest {
    @Test
    void valuesPgBackRestCanQuote() {
        assertThat(AutoConf.safeForPgBackRest("host=eshua application_name=eshub passfile=/x/.pgpass")).isTrue();
        assertThat(AutoConf.safeForPgBackRest("passfile='/x y'")).isFalse();
        assertThat(AutoConf.safeForPgBackRest("a\\b")).isFalse();
        assertThat(AutoConf.safeForPgBackRest("a\nb")).isFalse();
    }

    @Test
    void quotesLikePostgresql() {
        assertThat(AutoConf.quote("passfile='/x y' o\\k")).isEqualTo("'passfile=''/x y'' o\\\\k'");
    }

    @Test
    void setReplacesActiveLinesAndKeepsTheRest() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("primary_conninfo", "host=a passfile='/p q'");
        String out = AutoConf.set("# Do not edit\nprimary_conninfo = 'host=old'\n# primary_conninfo = 'kept'\n"
                + "restore_command = 'x'\n", values);
        assertThat(out).isEqualTo("# Do not edit\n# primary_conninfo = 'kept'\nrestore_command = 'x'\n"
                + "# Written by pgreplication after pgBackRest restore (quoted for PostgreSQL)\n"
                + "primary_conninfo = 'host=a passfile=''/p q'''\n");
    }
}
