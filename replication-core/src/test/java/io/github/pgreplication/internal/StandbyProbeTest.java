package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The standby probe reaches a standby the way every other connection of the library does: its data source first. */
class StandbyProbeTest {

    /** A caller's data source that counts what is asked of it and reaches no server. */
    static final class CountingDataSource implements DataSource {
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            asked.incrementAndGet();
            throw new SQLException("the caller's data source was asked");
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void aStandbysDataSourceIsUsedInsteadOfItsAdminEndpoint() {
        CountingDataSource callers = new CountingDataSource();
        Standby s = Standby.named("s1").withDataDirectory("/srv/s1")
                .withAdminEndpoint(Endpoint.of("127.0.0.1", 1), "postgres", Secret.none());
        s = new Standby(s.node().withDataSource(callers), s.slotName(), s.cloneMethods(),
                s.emptyDataDirectoryAllowed(), s.passfile(), s.parameters());
        try (StandbyProbe probe = new StandbyProbe(s)) {
            StandbyProbe.State state = probe.probe();
            assertThat(state.toString()).contains("the caller's data source was asked");
        }
        assertThat(callers.asked).hasPositiveValue();
    }
}
