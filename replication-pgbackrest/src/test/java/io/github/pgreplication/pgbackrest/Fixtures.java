package io.github.pgreplication.pgbackrest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real pgBackRest 2.45 output captured on PostgreSQL 15 (see src/test/resources/pgbackrest-2.45/README.md). */
final class Fixtures {
    private Fixtures() {
    }

    static String read(String path) {
        return readVersion("2.45", path);
    }

    /** @param name a file under {@code pgbackrest-2.55.1/info} (PostgreSQL 17, see its README) @return its text */
    static String info255(String name) {
        return readVersion("2.55.1", "info/" + name + ".json");
    }

    private static String readVersion(String version, String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/pgbackrest-" + version + "/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String info(String name) {
        return read("info/" + name + ".json");
    }

    static String error(String name) {
        return read("errors/" + name + ".txt");
    }
}
