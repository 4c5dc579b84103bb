package io.github.pgreplication.host;

import io.github.pgreplication.internal.PostgresPrograms;
import io.github.pgreplication.internal.RoundTrips;
import io.github.pgreplication.internal.ProcessRunner;
import io.github.pgreplication.internal.ReadWithMode;
import io.github.pgreplication.internal.SshRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A machine reached with the OpenSSH client ({@code ssh}), non-interactively: {@code BatchMode=yes} and strict host
 * key checking, so an unknown or changed host key fails instead of being trusted silently. The remote side always
 * parses a command through its login shell, so every argument is quoted for a POSIX shell here; environment
 * variables travel as {@code env NAME=value} and must not carry secrets (use a passfile path).
 *
 * <pre>{@code
 * Host primary = SshHost.to("postgres", "eshua.ghelew.ch")
 *         .withIdentityFile("/home/app/.ssh/id_ed25519")
 *         .withKnownHostsFile("/home/app/.ssh/known_hosts");
 * }</pre>
 */
public final class SshHost implements Host {
    private final String user;
    private final String address;
    private final int port;
    private final String identityFile;
    private final String knownHostsFile;
    private final String binaries;

    private SshHost(String user, String address, int port, String identityFile, String knownHostsFile,
            String binaries) {
        this.user = SshRules.user(Objects.requireNonNull(user, "ssh user must not be null: give e.g. \"postgres\""));
        this.address = SshRules.address(Objects.requireNonNull(address, "ssh address must not be null: give a host"
                + " name or IP, e.g. \"eshub.example.com\""));
        this.port = SshRules.port(port);
        this.identityFile = SshRules.file("identity file", identityFile,
                ".withIdentityFile(\"/var/lib/postgresql/.ssh/id_ed25519\")", false);
        this.knownHostsFile = SshRules.file("known_hosts file", knownHostsFile,
                ".withKnownHostsFile(\"/var/lib/postgresql/.ssh/known_hosts\")", true);
        this.binaries = binaries;
    }

    /**
     * @param user    remote login name: letters, digits, {@code .}, {@code _}, {@code -}, 1 to 32 characters, not
     *                starting with {@code -}
     * @param address DNS host name, IPv4 address, or IPv6 address with or without brackets ({@code ::1},
     *                {@code [fe80::1]}); no {@code user@}, port, whitespace, or leading {@code -}
     * @return the host, port 22
     * @throws IllegalArgumentException when the user or the address is not of that form (the message names it)
     */
    public static SshHost to(String user, String address) {
        return new SshHost(user, address, 22, null, null, null);
    }

    /**
     * @param newPort SSH port, 1 to 65535; default 22
     * @return a copy
     * @throws IllegalArgumentException when the port is out of range
     */
    public SshHost withPort(int newPort) {
        return new SshHost(user, address, newPort, identityFile, knownHostsFile, binaries);
    }

    /**
     * @param path private key file ({@code ssh -i}): absolute (or {@code ~/...}), without control characters or
     *             {@code %} (ssh's tokens)
     * @return a copy
     * @throws IllegalArgumentException when the path is not of that form
     */
    public SshHost withIdentityFile(String path) {
        return new SshHost(user, address, port, path, knownHostsFile, binaries);
    }

    /**
     * @param path known_hosts file holding the pinned host key: absolute (or {@code ~/...}), without control
     *             characters, {@code %} or whitespace (ssh splits {@code UserKnownHostsFile} at whitespace)
     * @return a copy
     * @throws IllegalArgumentException when the path is not of that form
     */
    public SshHost withKnownHostsFile(String path) {
        return new SshHost(user, address, port, identityFile, path, binaries);
    }

    /**
     * @param directory where PostgreSQL's programs are on the remote machine, e.g. {@code /usr/lib/postgresql/17/bin}
     *                  (Debian keeps pg_ctl and pg_controldata there, off an SSH session's PATH)
     * @return a copy running pg_ctl, pg_basebackup, psql... from that directory
     * @throws IllegalArgumentException when it is not an absolute path without '..' or control characters
     */
    public SshHost withPostgresBinaries(String directory) {
        return new SshHost(user, address, port, identityFile, knownHostsFile, PostgresPrograms.directory(directory));
    }

    /** @return {@code ssh:USER@ADDRESS}, then {@code :PORT} unless 22; an IPv6 address in brackets */
    @Override
    public String name() {
        return "ssh:" + user + "@" + shownAddress() + (port == 22 ? "" : ":" + port);
    }

    /**
     * @return {@code ssh:ADDRESS:PORT}, the address in lower case (an IPv6 address in brackets): other users on it
     *         share its files and ports
     */
    @Override
    public String machine() {
        return "ssh:" + shownAddress().toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    private String shownAddress() {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /**
     * The user travels as {@code -l USER} and the address as the first argument after {@code --}, so that neither
     * can be read as an option (both are validated as well); an IPv6 address goes without brackets, as ssh takes
     * it. The remote command follows as the next argument.
     *
     * @return the ssh argument list that prefixes a remote command (without the command): {@code ssh -o
     *         BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=15 -p PORT [-i FILE -o IdentitiesOnly=yes]
     *         [-o UserKnownHostsFile=FILE] -l USER -- ADDRESS}
     */
    public List<String> sshArgv() {
        List<String> argv = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "ConnectTimeout=15", "-p", Integer.toString(port)));
        if (identityFile != null) {
            argv.addAll(List.of("-i", identityFile, "-o", "IdentitiesOnly=yes"));
        }
        if (knownHostsFile != null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + knownHostsFile));
        }
        argv.addAll(List.of("-l", user, "--", address));
        return argv;
    }

    @Override
    public CommandResult execute(Command original) {
        RoundTrips.command();
        Command command = PostgresPrograms.resolve(original, binaries);
        List<String> argv = new ArrayList<>(sshArgv());
        argv.add(remoteCommand(command));
        Command ssh = Command.of(argv);
        ssh = ssh.withTimeout(command.timeout());
        byte[] stdin = secretInput(command);
        if (stdin != null) {
            ssh = ssh.withStdin(stdin);
        }
        if (command.outputListener() != null) {
            ssh = ssh.withOutputListener(command.outputListener());
        }
        return ProcessRunner.run(name(), ssh, command);
    }

    /**
     * @param command a command, its programs already resolved
     * @return the line the remote shell parses: {@code IFS= read -r NAME && export NAME && } for each secret
     *         variable (its value comes on standard input, {@link #secretInput}), {@code env NAME=value ...} for the
     *         others, then every argument quoted for a POSIX shell
     */
    static String remoteCommand(Command command) {
        StringBuilder remote = new StringBuilder();
        List<String> plain = new ArrayList<>();
        for (Map.Entry<String, String> e : command.environment().entrySet()) {
            if (command.redacts(e.getValue())) {
                // Read from standard input by the remote shell, never in ssh's argv nor the remote one.
                remote.append("IFS= read -r ").append(e.getKey()).append(" && export ").append(e.getKey())
                        .append(" && ");
            } else {
                plain.add(Command.shellQuote(e.getKey() + "=" + e.getValue()));
            }
        }
        if (!plain.isEmpty()) {
            remote.append("env ").append(String.join(" ", plain)).append(' ');
        }
        for (int i = 0; i < command.argv().size(); i++) {
            remote.append(i == 0 ? "" : " ").append(Command.shellQuote(command.argv().get(i)));
        }
        return remote.toString();
    }

    /**
     * @param command a command
     * @return what ssh feeds the remote shell: one line per secret variable (in the environment's order, read by
     *         {@link #remoteCommand}), then the command's own input; null when there is neither
     * @throws IllegalArgumentException when a secret holds a line break, which one line cannot carry
     */
    static byte[] secretInput(Command command) {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> e : command.environment().entrySet()) {
            if (command.redacts(e.getValue())) {
                if (e.getValue().indexOf('\n') >= 0 || e.getValue().indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("the value of " + e.getKey() + " holds a line break: over"
                            + " SSH it travels as one line of standard input, never in argv. Remove the line break"
                            + " from the secret where it is read (e.g. Secret.of(text.strip())).");
                }
                lines.append(e.getValue()).append('\n');
            }
        }
        if (lines.isEmpty()) {
            return command.stdin();
        }
        byte[] head = lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] rest = command.stdin() == null ? new byte[0] : command.stdin();
        byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    /**
     * One ssh connection instead of two: {@code sh -c 'm=$(ls -ldL -- "$1") && ... && exec cat -- "$1"' sh PATH}, the
     * script constant and the path its argument, each quoted for the remote shell like every other argument.
     */
    @Override
    public Optional<FileWithMode> readFileWithMode(String path) {
        return ReadWithMode.read(this, path);
    }

    @Override
    public String toString() {
        return name();
    }
}
