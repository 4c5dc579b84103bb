package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.host.Host;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Serializes read-modify-write edits of one file on one host within this JVM: standbys cloned in parallel may add
 * their keys to the same authorized_keys, or share a machine and its known_hosts.
 */
public final class FileLocks {
    private static final ConcurrentMap<String, Object> LOCKS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /**
     * @param host   the host the file is on
     * @param path   the file
     * @param action the edit
     * @param <T>    its result
     * @return the edit's result
     */
    public static <T> T locked(Host host, String path, Supplier<T> action) {
        Object lock = LOCKS.computeIfAbsent(host.name() + "\u0000" + path, k -> new Object());
        synchronized (lock) {
            return action.get();
        }
    }
}
