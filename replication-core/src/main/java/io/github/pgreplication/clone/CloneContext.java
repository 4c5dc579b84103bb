package io.github.pgreplication.clone;

import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Host;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a {@link CloneMethod} needs to know about the standby it produces.
 *
 * @param standby the standby
 * @param primary the primary it follows
 * @param role    the replication role it connects as
 * @param slot    the physical slot it streams from; empty for none (a standby joined without a slot)
 */
public record CloneContext(Standby standby, Primary primary, ReplicationRole role, String slot) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@-]+");

    /**
     * Checks for nulls.
     *
     * @param standby the standby
     * @param primary the primary it follows
     * @param role    the replication role it connects as
     * @param slot    the physical slot it streams from; empty for none (a standby joined without a slot)
     */
    public CloneContext {
        Objects.requireNonNull(standby, "standby must not be null: give the Standby being cloned");
        Objects.requireNonNull(primary, "primary must not be null: give the Primary it follows");
        Objects.requireNonNull(role, "role must not be null: give the ReplicationRole it connects as");
        Objects.requireNonNull(slot, "slot must not be null: give the slot name, e.g. \"eshub_slot\"");
    }

    /** @return the standby's host */
    public Host host() {
        return standby.host();
    }

    /** @return the standby's data directory */
    public String dataDirectory() {
        return standby.dataDirectory();
    }

    /** @return the passfile path on the standby's host when the role has a password, else null */
    public String passfile() {
        return role.hasPassword() ? standby.effectivePassfile() : null;
    }

    /**
     * @return the connection string the standby uses to reach the primary ({@code primary_conninfo}): host,
     *         port, user, application_name = standby name, passfile when the role has a password, and the standby's
     *         TLS keywords ({@link #tlsKeywords()}). Never
     *         contains the password itself.
     */
    public String primaryConninfo() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", primary.endpoint().host());
        kv.put("port", Integer.toString(primary.endpoint().port()));
        kv.put("user", role.name());
        kv.put("application_name", standby.name());
        if (passfile() != null) {
            kv.put("passfile", passfile());
        }
        kv.putAll(tlsKeywords());
        return conninfo(kv);
    }

    /**
     * @return the standby's TLS keywords towards its primary ({@code sslmode}, {@code sslrootcert}, {@code sslcert},
     *         {@code sslkey}, {@code channel_binding}), from its node's
     *         {@link io.github.pgreplication.Tls#replication()}; empty for libpq's defaults. File paths only, never
     *         a key's content.
     */
    public Map<String, String> tlsKeywords() {
        return io.github.pgreplication.internal.TlsRules.keywords(standby.node().tls().replication(), true);
    }

    /**
     * @return whether the primary's refusal of a connection "with no encryption" is a TLS-only rule's (hostssl):
     *         the primary's description serves TLS, or this standby was told not to use it ({@code sslmode=disable})
     */
    public boolean clearTextRefusalIsTls() {
        io.github.pgreplication.Tls.Client client = standby.node().tls().replication();
        return primary.node().tls().serves()
                || (client != null && client.mode() == io.github.pgreplication.Tls.Mode.DISABLE);
    }

    /**
     * @param values keywords and values
     * @return a libpq connection string, values quoted where needed
     */
    public static String conninfo(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(quote(v)));
        return sb.toString();
    }

    private static String quote(String value) {
        if (!value.isEmpty() && PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
