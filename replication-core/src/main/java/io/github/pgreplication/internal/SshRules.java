package io.github.pgreplication.internal;

import java.util.regex.Pattern;

/**
 * What an SSH destination may be, so that neither ssh nor a shell can read it as anything but a user and a host:
 * the user is a POSIX-style login name, the address a DNS host name, an IPv4 address or an IPv6 literal, the port a
 * TCP port. Nothing starts with {@code -} (ssh would read it as an option, e.g. {@code -oProxyCommand=...}, which
 * runs a local command), and nothing holds whitespace, control characters or {@code @}.
 */
public final class SshRules {
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String EXAMPLE = "SshHost.to(\"postgres\", \"db1.example.com\")";

    private SshRules() {
    }

    /**
     * @param user a candidate login name, or null
     * @return whether it is one: 1 to 32 letters, digits, '.', '_' or '-', not starting with '-' (a uid is one too)
     */
    public static boolean isLogin(String user) {
        return user != null && LOGIN.matcher(user).matches();
    }

    /**
     * @param user the remote login name, not null
     * @return it, unchanged
     * @throws IllegalArgumentException naming the value, the rule and the fix when it is not a login name
     */
    public static String user(String user) {
        if (!isLogin(user)) {
            String fix = user.contains("@")
                    ? "Give the user and the address apart, e.g. " + EXAMPLE
                    : "Give the remote account's login name, e.g. " + EXAMPLE;
            throw new IllegalArgumentException("ssh user '" + Text.printable(user) + "' is not a login name: it"
                    + " must be 1 to 32 letters, digits, '.', '_' or '-', not starting with '-' (ssh would read a"
                    + " leading '-' as an option; spaces, '@', quotes or control characters would change what ssh"
                    + " or the remote shell does). " + fix);
        }
        return user;
    }

    /**
     * @param address a DNS host name, an IPv4 address, or an IPv6 literal with or without brackets, not null
     * @return the address as ssh takes it: IPv6 without brackets, anything else unchanged
     * @throws IllegalArgumentException naming the value, the rule and the fix when it is none of those
     */
    public static String address(String address) {
        boolean bracketed = address.startsWith("[") && address.endsWith("]") && address.length() > 2;
        String bare = bracketed ? address.substring(1, address.length() - 1) : address;
        boolean ok = bare.contains(":") ? isIpv6(bare)
                : !bracketed && (NUMERIC.matcher(bare).matches() ? isIpv4(bare) : isHostName(bare));
        if (!ok) {
            throw new IllegalArgumentException("ssh address '" + Text.printable(address) + "' is not a host name"
                    + " or IP address: it must be a DNS name (labels of letters, digits, '-' or '_', not starting"
                    + " or ending with '-', joined by dots, at most 253 characters), an IPv4 address such as"
                    + " 10.0.0.5, or an IPv6 address such as ::1 or [fe80::1]; no user@, port, spaces, control"
                    + " characters or leading '-' (ssh would read it as an option). Give only the host, e.g. "
                    + EXAMPLE + ", and the port with .withPort(2222)");
        }
        return bare;
    }

    /**
     * @param what     what the file is, for the message ({@code identity file}, {@code known_hosts file})
     * @param path     a local file for ssh, or null for ssh's default
     * @param option   how it is given to ssh, for the message ({@code .withIdentityFile(...)})
     * @param noSpaces whether whitespace is refused (ssh splits {@code UserKnownHostsFile=} at whitespace)
     * @return the path
     * @throws IllegalArgumentException when ssh would read it as something else
     */
    public static String file(String what, String path, String option, boolean noSpaces) {
        if (path == null) {
            return null;
        }
        String problem = Text.hasControl(path) ? "has a control character"
                : !(path.startsWith("/") || path.startsWith("~/")) ? "is not absolute (it must start with / or ~/)"
                : path.indexOf('%') >= 0 ? "has '%', which ssh expands as a token (%d, %u, %h...)"
                : noSpaces && path.chars().anyMatch(Character::isWhitespace)
                        ? "has whitespace, where ssh splits it into several files" : Limits.pathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException("ssh " + what + " '" + Text.printable(path) + "' " + problem
                    + ": give the absolute path of a file without control characters, '%'"
                    + (noSpaces ? " or spaces" : "") + ", e.g. " + option);
        }
        return path;
    }

    /**
     * @param port a TCP port
     * @return it
     * @throws IllegalArgumentException when it is not between 1 and 65535
     */
    public static int port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ssh port " + port + " is not a TCP port: it must be between 1 and"
                    + " 65535. sshd listens on 22 unless configured otherwise: leave the default or give e.g."
                    + " .withPort(2222)");
        }
        return port;
    }

    private static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!OCTET.matcher(part).matches() || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String literal) {
        String address = literal;
        int percent = literal.indexOf('%');
        if (percent >= 0) {
            if (!ZONE.matcher(literal.substring(percent + 1)).matches()) {
                return false;
            }
            address = literal.substring(0, percent);
        }
        int gap = address.indexOf("::");
        if (gap >= 0 && address.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        String head = gap >= 0 ? address.substring(0, gap) : address;
        String tail = gap >= 0 ? address.substring(gap + 2) : "";
        int before = groups(head, gap < 0);
        int after = gap >= 0 ? groups(tail, true) : 0;
        if (before < 0 || after < 0) {
            return false;
        }
        return gap >= 0 ? before + after <= 7 : before == 8;
    }

    /** @return how many 16-bit groups the colon-separated part holds (an IPv4 tail counts two), or -1 if invalid */
    private static int groups(String part, boolean last) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] fields = part.split(":", -1);
        int count = 0;
        for (int i = 0; i < fields.length; i++) {
            if (HEX_GROUP.matcher(fields[i]).matches()) {
                count++;
            } else if (last && i == fields.length - 1 && isIpv4(fields[i])) {
                count += 2;
            } else {
                return -1;
            }
        }
        return count;
    }
}
