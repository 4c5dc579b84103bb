package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.host.Host;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * What the restores of one {@code apply()} read on a repository host through its access {@link Host}, read once for
 * all of them (issue 24: two standbys restored from one repository pay once): its host key, its repository user's
 * home directory and group, its pgBackRest version. Kept per access Host object (its identity: two clusters whose
 * repository hosts share a name do not share facts) for {@link #LIFETIME}, long enough for the standbys of one
 * {@code apply()}, which are restored together, and short enough that a later {@code apply()} reads them again
 * (after a repository host was reinstalled). Standbys restored in parallel wait for the one read instead of each
 * making it. A read that fails is not kept.
 */
public final class RepositoryFacts {
    /** How long a fact is kept. */
    public static final Duration LIFETIME = Duration.ofMinutes(2);
    private static final Map<Host, Map<String, Fact>> FACTS = new WeakHashMap<>();

    private RepositoryFacts() {
    }

    /** One fact and when it was read. */
    private static final class Fact {
        private Object value;
        private long readAt;
    }

    /**
     * @param access the repository host's access Host
     * @param what   which fact, e.g. {@code host key /etc/ssh/ssh_host_ed25519_key.pub}
     * @param read   reads it
     * @param <T>    its type
     * @return the fact, read now or kept from a read less than {@link #LIFETIME} ago
     */
    @SuppressWarnings("unchecked")
    public static <T> T get(Host access, String what, Supplier<T> read) {
        Fact fact;
        synchronized (FACTS) {
            fact = FACTS.computeIfAbsent(access, h -> new HashMap<>()).computeIfAbsent(what, w -> new Fact());
        }
        synchronized (fact) {
            long now = System.nanoTime();
            if (fact.value == null || now - fact.readAt > LIFETIME.toNanos()) {
                fact.value = null;
                T value = read.get();
                fact.value = value;
                fact.readAt = System.nanoTime();
            }
            return (T) fact.value;
        }
    }
}
