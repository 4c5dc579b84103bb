package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.pgreplication.host.SshHost;

/** Valid descriptions that tests break one thing in, and helpers to load them. */
final class Descriptions {
    static final Endpoint PRIMARY = Endpoint.of("eshua.example", 5432);

    private Descriptions() {
    }

    /** @return a standby on its own machine */
    static Standby standby(String name) {
        return Standby.named(name).withDataDirectory("/var/lib/postgresql/" + name)
                .withHost(host(name));
    }

    /**
     * @param name a standby name, maybe one a test expects load() to refuse
     * @return an SSH host of its own, named after it ({@code eshub.example}); characters a host name cannot hold
     *         become {@code x}, so that SshHost accepts it and load() reports the standby name
     */
    static SshHost host(String name) {
        String label = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "x");
        return SshHost.to("postgres", (label.isEmpty() ? "x" : label.substring(0, Math.min(63, label.length())))
                + ".example");
    }

    /** @return a valid description with one standby */
    static Replication.Builder valid() {
        return Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub"));
    }

    /** @return the description's problems; fails when it loads */
    static InvalidReplicationConfigException rejected(Replication.Builder builder) {
        InvalidReplicationConfigException e = catchThrowableOfType(InvalidReplicationConfigException.class,
                builder::load);
        assertThat(e).as("load() must reject this description").isNotNull();
        return e;
    }

    /** Fails when the description does not load. */
    static void loads(Replication.Builder builder) {
        try (Replication r = builder.load()) {
            assertThat(r).isNotNull();
        }
    }
}
