package io.github.pgreplication.samples.standby;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The standby container's image for the ITs: built by {@code scripts/build-standby-image.sh} from the classes these
 * tests run with (skipped when an image of the same content exists).
 */
final class StandbyImage {
    static final String NAME = name(17);
    private static final Set<Integer> BUILT = new java.util.HashSet<>();

    private StandbyImage() {
    }

    /** @param major PostgreSQL major of the base image @return the image's name */
    static String name(int major) {
        return "pgreplication/standby:" + major + "-local";
    }

    /** @return the image name on PostgreSQL 17, built if needed */
    static String ensure() {
        return ensure(17);
    }

    /** @param major 17 or 15 @return the image name on that PostgreSQL major, built if needed */
    static synchronized String ensure(int major) {
        if (!BUILT.contains(major)) {
            Path script = root().resolve("scripts/build-standby-image.sh");
            LocalHost.current().run(Command.of("bash", script.toString(), Integer.toString(major))
                    .withEnvironment("STANDBY_CLASSPATH", classpath()).withTimeout(Duration.ofMinutes(10)));
            BUILT.add(major);
        }
        return name(major);
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/build-standby-image.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("scripts/build-standby-image.sh not found above " + Path.of("")
                    .toAbsolutePath());
        }
        return p;
    }

    /** @return where the container's program and its runtime dependencies are loaded from here */
    private static String classpath() {
        String[] classes = {"io.github.pgreplication.samples.standby.StandbyContainer",
            "io.github.pgreplication.StandbyJoin", "io.github.pgreplication.pgbackrest.PgBackRest",
            "org.postgresql.Driver", "com.zaxxer.hikari.HikariDataSource", "org.apache.commons.exec.Executor",
            "org.slf4j.Logger", "org.slf4j.simple.SimpleLogger", "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory", "com.fasterxml.jackson.annotation.JsonProperty",
            "org.checkerframework.checker.nullness.qual.Nullable"};
        Set<String> out = new LinkedHashSet<>();
        for (String c : classes) {
            try {
                out.add(Path.of(Class.forName(c).getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString());
            } catch (ClassNotFoundException e) {
                // optional (checker-qual)
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(":", out);
    }
}
