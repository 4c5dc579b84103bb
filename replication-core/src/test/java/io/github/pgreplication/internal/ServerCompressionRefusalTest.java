package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.BaseBackup.Compression;
import io.github.pgreplication.clone.BaseBackup.Compression.Algorithm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pg_basebackup's server-side compression needs PostgreSQL 15 on the primary: refused on 13 and 14 by the primary's
 * check, the first step of {@code apply()}, before anything changes (the version is not known at {@code load()}).
 */
class ServerCompressionRefusalTest {
    private static final BaseBackup ZSTD = BaseBackup.defaults().withCompression(Compression.server(Algorithm.ZSTD, 3));

    private static Standby standby(String name, BaseBackup... methods) {
        return Standby.named(name).withDataDirectory("/srv/" + name).withCloneMethods(methods);
    }

    @Test
    void onFourteenEveryStandbyClonedWithServerCompressionIsNamed() {
        List<Standby> standbys = List.of(standby("eshub", ZSTD), standby("eshuc", BaseBackup.defaults()),
                standby("eshud", BaseBackup.defaults().withCompression(Compression.server(Algorithm.LZ4))));

        assertThat(CheckPrimaryStep.serverCompressionRefusal("eshua", 140011, standbys)).as("PostgreSQL 14")
                .hasValue("Primary 'eshua' runs PostgreSQL 14, and standbys 'eshub', 'eshud' are cloned with"
                        + " pg_basebackup --compress=server-zstd:level=3: server-side compression needs PostgreSQL"
                        + " 15 or later on the primary (before 15, pg_basebackup compresses only tar output, after the"
                        + " transfer). Nothing was changed. On 13 and 14 clone without compression"
                        + " (BaseBackup.defaults(), whose compression is Compression.none()), or restore from a"
                        + " pgBackRest repository, whose backups are compressed"
                        + " (PgBackRestConfig.Builder.compressType).");
        assertThat(CheckPrimaryStep.serverCompressionRefusal("eshua", 130018, List.of(standby("eshub", ZSTD))))
                .as("PostgreSQL 13").hasValueSatisfying(m -> assertThat(m)
                        .startsWith("Primary 'eshua' runs PostgreSQL 13, and standby 'eshub' is cloned with"));
    }

    @Test
    void fifteenAndLaterOrNoCompressionPass() {
        assertThat(CheckPrimaryStep.serverCompressionRefusal("eshua", 150000, List.of(standby("eshub", ZSTD))))
                .isEmpty();
        assertThat(CheckPrimaryStep.serverCompressionRefusal("eshua", 170004, List.of(standby("eshub", ZSTD))))
                .isEmpty();
        assertThat(CheckPrimaryStep.serverCompressionRefusal("eshua", 140011,
                List.of(standby("eshub", BaseBackup.defaults())))).as("no compression on 14").isEmpty();
    }
}
