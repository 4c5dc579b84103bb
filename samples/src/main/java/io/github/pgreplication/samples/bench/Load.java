package io.github.pgreplication.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average, to print beside a figure: benchmarks share the machine with other work. */
final class Load {
    private Load() {
    }

    /** @return the 1, 5 and 15 minute load averages, e.g. {@code 1.82 3.00 4.40}, or "unknown" */
    static String now() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
