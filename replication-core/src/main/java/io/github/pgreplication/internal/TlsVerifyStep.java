package io.github.pgreplication.internal;

import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Tls;
import java.util.List;

/**
 * After TLS was turned on, proves it from a new library session: the server says {@code ssl = on}, and the session
 * itself is encrypted ({@code pg_stat_ssl} of its own backend), unless the library connects through a caller's
 * DataSource or with {@code sslmode=disable}, which it then cannot speak for.
 */
final class TlsVerifyStep extends Step {
    static final String OWN_SESSION = "SELECT current_setting('ssl'), coalesce((SELECT ssl::text FROM pg_stat_ssl"
            + " WHERE pid = pg_backend_pid()), 'false'), coalesce((SELECT version FROM pg_stat_ssl"
            + " WHERE pid = pg_backend_pid()), '')";

    private final Primary primary;

    TlsVerifyStep(Primary primary) {
        super(primary.name(), "TLS is on: ssl = on, and a new library session is encrypted (pg_stat_ssl)", Kind.CHECK,
                List.of(SqlText.psql("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                        + "   # over TCP: ssl must be t"));
        this.primary = primary;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    /** @return whether the library's own session must be encrypted: its pool, with TLS not disabled */
    private boolean sessionMustBeEncrypted() {
        Tls.Client admin = primary.node().tls().admin();
        return primary.node().dataSource() == null && (admin == null || admin.mode() != Tls.Mode.DISABLE);
    }

    @Override
    public String run(ApplyContext ctx) {
        ctx.primaryDb().requireTls(); // sessions opened before ssl = on used sslmode=prefer: no more
        ctx.primaryDb().evict(); // the pooled sessions may predate ssl = on: a new one negotiates TLS
        List<String> r = ctx.primaryDb().queryRows(OWN_SESSION).get(0);
        if (!"on".equals(r.get(0))) {
            throw new ReplicationException("Primary '" + primary.name() + "' still has ssl = " + r.get(0) + " after"
                    + " the settings step. Another file may override it: SELECT sourcefile, sourceline FROM"
                    + " pg_settings WHERE name = 'ssl'; and its server log says why a certificate or key failed.");
        }
        if (sessionMustBeEncrypted() && !"true".equals(r.get(1))) {
            throw new ReplicationException("Primary '" + primary.name() + "' has ssl = on, but the library's new"
                    + " session is not encrypted (pg_stat_ssl.ssl false). Check the admin endpoint's sslmode.");
        }
        return "true".equals(r.get(1)) ? "session encrypted, " + r.get(2) : "ssl = on";
    }
}
