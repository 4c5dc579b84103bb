package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.host.Command;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a restore needs to know about a standby before it starts, read in one command (issue 24: the checks
 * before a restore cost one round trip, not twenty): its user and home directory, whether its SSH key pair exists
 * and its public key, its {@code known_hosts}, its pgBackRest configuration file, its pgBackRest version, and, when
 * an ssh command is given and the key pair exists, that command's exit code and output (the standby's connection to
 * the repository host, which prints the repository host's pgBackRest version). Never the private key.
 *
 * <p>The script is constant; the values are its arguments ({@code sh -c SCRIPT sh BOUNDARY CONFIG EXECUTABLE
 * SSH...}), so nothing reaches a shell as code. POSIX {@code sh}, {@code id}, {@code awk}, {@code cat} and the
 * {@code getent} of the systems that have it ({@code /etc/passwd} otherwise, as {@link Users#home} reads it). Each
 * part is printed after a line {@code BOUNDARY NAME}, the boundary random per run so that no file's content can end
 * a part; each file's content is followed by one newline of the script's own, removed when parsed.
 */
public final class StandbyProbe {
    /**
     * The probe script: {@code $1} boundary, {@code $2} configuration file, {@code $3} pgbackrest, {@code $4} a
     * certificate to print (or empty), {@code $5} how many files follow to check for, those files, then ssh.
     */
    public static final String SCRIPT = "b=$1; cfg=$2; exe=$3; show=$4; n=$5; shift 5; i=0;"
            + " while [ \"$i\" -lt \"$n\" ]; do i=$((i + 1)); if [ -r \"$1\" ]; then r=0; elif [ -e \"$1\" ];"
            + " then r=1; else r=2; fi; echo \"$b file $i $r\"; shift; done; u=$(id -un) || exit 1;"
            + " h=$({ getent passwd \"$u\" 2>/dev/null || cat /etc/passwd; }"
            + " | awk -F: -v u=\"$u\" '$1 == u { print $6; exit }');"
            + " echo \"$b user\"; printf '%s\\n' \"$u\"; echo \"$b home\"; printf '%s\\n' \"$h\";"
            + " k=${h%/}/.ssh/id_ed25519;"
            + " if [ -n \"$h\" ] && [ -e \"$k\" ]; then echo \"$b key\"; cat -- \"$k.pub\" 2>/dev/null; echo; fi;"
            + " if [ -n \"$h\" ] && [ -e \"${h%/}/.ssh/known_hosts\" ]; then echo \"$b known_hosts\";"
            + " cat -- \"${h%/}/.ssh/known_hosts\" 2>/dev/null; echo; fi;"
            + " if [ -n \"$cfg\" ] && [ -e \"$cfg\" ]; then echo \"$b config\"; cat -- \"$cfg\" 2>/dev/null; echo; fi;"
            + " if [ -n \"$show\" ] && [ -r \"$show\" ]; then echo \"$b cert\"; cat -- \"$show\"; echo; fi;"
            + " v=$(\"$exe\" version 2>&1); r=$?; echo \"$b version $r\"; printf '%s\\n' \"$v\";"
            + " if [ \"$#\" -gt 0 ] && [ -n \"$h\" ] && [ -e \"$k\" ]; then o=$(\"$@\" 2>&1 < /dev/null); r=$?;"
            + " echo \"$b ssh $r\"; printf '%s\\n' \"$o\"; fi; echo \"$b end\"";
    /** A file checked for is readable by the standby's user. */
    public static final int READABLE = 0;
    /** A file checked for exists but the standby's user cannot read it. */
    public static final int UNREADABLE = 1;
    /** A file checked for does not exist. */
    public static final int MISSING = 2;
    /** ssh's own exit code for its failures (a refused key, an unknown host key, no connection). */
    public static final int SSH_FAILED = 255;
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^pgBackRest \\d+\\.\\d+\\S*$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private StandbyProbe() {
    }

    /**
     * What the probe found.
     *
     * @param user         the user commands run as
     * @param home         its home directory, empty when not found
     * @param publicKey    its {@code ~/.ssh/id_ed25519.pub}, when the key pair exists (may be empty: no .pub)
     * @param knownHosts   its {@code ~/.ssh/known_hosts}, when the file exists
     * @param config       the configuration file's content, when it exists
     * @param versionExit  {@code pgbackrest version}'s exit code
     * @param version      its output
     * @param sshExit      the ssh command's exit code, when it ran
     * @param sshOutput    its output (standard output and error)
     * @param files        for each file checked for, in order: {@link #READABLE}, {@link #UNREADABLE} or
     *                     {@link #MISSING}
     * @param certificate  the certificate printed, when it is readable
     */
    public record Result(String user, String home, Optional<String> publicKey, Optional<String> knownHosts,
            Optional<String> config, int versionExit, String version, Optional<Integer> sshExit, String sshOutput,
            List<Integer> files, Optional<String> certificate) {

        /** @return the ssh directory, e.g. {@code /var/lib/postgresql/.ssh}, when the home directory is known */
        public Optional<String> sshDir() {
            return home.isEmpty() ? Optional.empty() : Optional.of(home.replaceAll("/+$", "") + "/.ssh");
        }

        /** @return whether the ssh command ran and connected (its exit code is not ssh's own 255) */
        public boolean connected() {
            return sshExit.isPresent() && sshExit.get() != SSH_FAILED;
        }

        /**
         * @return the repository host's pgBackRest version as its {@code pgbackrest version} printed it through ssh,
         *         when the command ran and succeeded
         */
        public Optional<String> remoteVersion() {
            return sshExit.filter(c -> c == 0).flatMap(c -> versionLine(sshOutput));
        }

        /** @return the standby's pgBackRest version line, when {@code pgbackrest version} succeeded */
        public Optional<String> localVersion() {
            return versionExit == 0 ? versionLine(version) : Optional.empty();
        }
    }

    /**
     * @param configPath the standby's configuration file, or null
     * @param executable the pgbackrest program on the standby
     * @param ssh        the ssh command to run when the key pair exists, or empty
     * @return the probe and the boundary its output is parsed with
     */
    public static Probe command(String configPath, String executable, List<String> ssh) {
        return command(configPath, executable, null, List.of(), ssh);
    }

    /**
     * @param configPath  the standby's configuration file, or null
     * @param executable  the pgbackrest program on the standby
     * @param certificate a certificate file to print (public material, never a key), or null
     * @param files       files to check the standby's user can read (TLS files)
     * @param ssh         the ssh command to run when the key pair exists, or empty
     * @return the probe and the boundary its output is parsed with
     */
    public static Probe command(String configPath, String executable, String certificate, List<String> files,
            List<String> ssh) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        String boundary = "--pgreplication-probe-" + HexFormat.of().formatHex(b);
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "sh", boundary,
                configPath == null ? "" : configPath, executable, certificate == null ? "" : certificate,
                Integer.toString(files.size())));
        argv.addAll(files);
        argv.addAll(ssh);
        // Its output holds the standby's pgbackrest.conf, which may hold repository credentials: never logged.
        return new Probe(Command.of(argv).withEnvironment("LC_ALL", "C").withTimeout(Duration.ofMinutes(2))
                .withOutputNotLogged(),
                boundary);
    }

    /**
     * The probe command and its boundary.
     *
     * @param command  the command
     * @param boundary the line prefix that starts each part of its output
     */
    public record Probe(Command command, String boundary) {
        /**
         * @param stdout the command's standard output
         * @return what it found
         * @throws IllegalStateException when the output is not the probe's (cut short)
         */
        public Result parse(String stdout) {
            return StandbyProbe.parse(boundary, stdout);
        }
    }

    static Result parse(String boundary, String stdout) {
        Map<String, String> parts = new LinkedHashMap<>();
        String marker = boundary + " ";
        int at = stdout.startsWith(marker) ? 0 : stdout.indexOf("\n" + marker);
        while (at >= 0) {
            int start = stdout.charAt(at) == '\n' ? at + 1 : at;
            int eol = stdout.indexOf('\n', start);
            String name = stdout.substring(start + marker.length(), eol < 0 ? stdout.length() : eol);
            if (eol < 0) {
                parts.put(name, "");
                break;
            }
            int next = stdout.indexOf("\n" + marker, eol);
            parts.put(name, stdout.substring(eol + 1, next < 0 ? stdout.length() : next + 1));
            at = next;
        }
        if (!parts.containsKey("end")) {
            throw new IllegalStateException("the probe's output was cut short (no end line): " + parts.keySet());
        }
        String version = null;
        int versionExit = -1;
        Integer sshExit = null;
        String sshOutput = "";
        List<Integer> files = new ArrayList<>();
        for (Map.Entry<String, String> e : parts.entrySet()) {
            if (e.getKey().startsWith("file ")) {
                files.add(Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf(' ') + 1)));
            }
            if (e.getKey().startsWith("version ")) {
                versionExit = Integer.parseInt(e.getKey().substring(8));
                version = e.getValue();
            } else if (e.getKey().startsWith("ssh ")) {
                sshExit = Integer.parseInt(e.getKey().substring(4));
                sshOutput = e.getValue();
            }
        }
        return new Result(line(parts.get("user")), line(parts.get("home")), file(parts.get("key")).map(String::strip),
                file(parts.get("known_hosts")), file(parts.get("config")), versionExit,
                version == null ? "" : version, Optional.ofNullable(sshExit), sshOutput, List.copyOf(files),
                file(parts.get("cert")));
    }

    private static String line(String part) {
        return part == null ? "" : part.strip();
    }

    /** A file's part: its content and the one newline the script added after it. */
    private static Optional<String> file(String part) {
        if (part == null) {
            return Optional.empty();
        }
        // the part ends with the newline of the script's echo after the content
        return Optional.of(part.endsWith("\n") ? part.substring(0, part.length() - 1) : part);
    }

    /**
     * @param output a command's output
     * @return its line {@code pgBackRest VERSION}, when it has one
     */
    public static Optional<String> versionLine(String output) {
        Matcher m = VERSION_LINE.matcher(output);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }
}
