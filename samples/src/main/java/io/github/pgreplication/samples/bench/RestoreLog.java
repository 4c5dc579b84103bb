package io.github.pgreplication.samples.bench;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phases of one {@code pgbackrest restore}, read from its log file at detail level (every line has pgBackRest's
 * own millisecond timestamp): from the command's begin to the first file (the manifest loaded over SSH, the data
 * directory walked and files it does not know removed), from the first file to the last (every file checked or
 * copied), and from the last file to the command's end (paths synced, pg_control and the recovery settings written).
 * pgBackRest logs a file when it is done with it, so the first phase also holds the first file's own time: nothing
 * in a delta, which first finishes a small file it keeps, but the first file's transfer in a full restore.
 *
 * @param startMs     begin to the first file
 * @param filesMs     first file to the last
 * @param endMs       last file to the end
 * @param totalMs     the command's own time, begin to end
 * @param kept        files kept as they matched the backup
 * @param copied      files copied from the repository
 * @param copiedBytes the sizes of the copied files, as pgBackRest printed them
 */
record RestoreLog(long startMs, long filesMs, long endMs, long totalMs, int kept, int copied, long copiedBytes) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
    private static final Pattern FILE = Pattern.compile("restore file \\S+( - exists and [^(]*)? \\("
            + "(?:bundle [^,()]*, )?(?:bi [^,()]*, )?([\\d.]+)(B|KB|MB|GB|TB), [\\d.]+%\\)");

    /**
     * @param log the log file of one restore (an empty or partial log gives zeros)
     * @return its phases
     */
    static RestoreLog parse(String log) {
        LocalDateTime begin = null;
        LocalDateTime first = null;
        LocalDateTime last = null;
        LocalDateTime end = null;
        int kept = 0;
        int copied = 0;
        long bytes = 0;
        for (String line : log.lines().toList()) {
            Matcher t = LINE.matcher(line);
            if (!t.find()) {
                continue;
            }
            LocalDateTime at = LocalDateTime.parse(t.group(1), TIME);
            if (line.contains("restore command begin")) {
                begin = at;
            } else if (line.contains("restore command end")) {
                end = at;
            }
            Matcher f = FILE.matcher(line);
            if (f.find()) {
                first = first == null ? at : first;
                last = at;
                if (f.group(1) != null) {
                    kept++;
                } else {
                    copied++;
                    bytes += Math.round(Double.parseDouble(f.group(2)) * switch (f.group(3)) {
                        case "KB" -> 1L << 10;
                        case "MB" -> 1L << 20;
                        case "GB" -> 1L << 30;
                        case "TB" -> 1L << 40;
                        default -> 1L;
                    });
                }
            }
        }
        if (begin == null || first == null || end == null) {
            return new RestoreLog(0, 0, 0, 0, kept, copied, bytes);
        }
        return new RestoreLog(ms(begin, first), ms(first, last), ms(last, end), ms(begin, end), kept, copied, bytes);
    }

    private static long ms(LocalDateTime a, LocalDateTime b) {
        return Duration.between(a, b).toMillis();
    }

    /**
     * @param runs the runs of one method
     * @return each phase's median over the runs, as {@link #toString()} prints one
     */
    static String medians(List<RestoreLog> runs) {
        if (runs.isEmpty()) {
            return "none";
        }
        return new RestoreLog(median(runs, RestoreLog::startMs), median(runs, RestoreLog::filesMs),
                median(runs, RestoreLog::endMs), median(runs, RestoreLog::totalMs), runs.get(0).kept,
                runs.get(0).copied, runs.get(0).copiedBytes).toString();
    }

    private static long median(List<RestoreLog> runs, ToLongFunction<RestoreLog> f) {
        List<Long> v = new ArrayList<>(runs.stream().map(f::applyAsLong).toList());
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    @Override
    public String toString() {
        return String.format("%d ms (to the first file %d, files %d, after them %d); %d files kept, %d copied (%d MB)",
                totalMs, startMs, filesMs, endMs, kept, copied, copiedBytes >> 20);
    }
}
