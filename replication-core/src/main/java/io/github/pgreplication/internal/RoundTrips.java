package io.github.pgreplication.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Counts what a step costs in round trips, deterministically: the commands its hosts run (each a process here, an
 * SSH session or a container exec elsewhere) and the SQL statements its connections send. A runner opens a
 * {@link Tally} for each step and runs the step {@link #within} it, on the thread that runs the step; hosts call
 * {@link #command()} and {@link Db} counts through {@link #counted(Connection)}. A wait's first look is counted as
 * the step's own; its further looks, as many as the servers take to get there, are counted apart as
 * {@link Tally#polls()}, so that the counts do not depend on timing. Work outside any tally (status(), the waits
 * of {@code Replication}) is not counted.
 */
public final class RoundTrips {
    private static final ThreadLocal<Tally> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> POLLING = ThreadLocal.withInitial(() -> false);
    /** The JDBC calls that send something to the server and wait for its answer. */
    private static final Set<String> SENDING = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch", "isValid");

    private RoundTrips() {
    }

    /** What one step cost. */
    public static final class Tally {
        private final AtomicInteger commands = new AtomicInteger();
        private final AtomicInteger queries = new AtomicInteger();
        private final AtomicInteger polls = new AtomicInteger();

        /** @return commands run on hosts */
        public int commands() {
            return commands.get();
        }

        /** @return SQL statements sent (and connection checks) */
        public int queries() {
            return queries.get();
        }

        /** @return commands and statements of a wait's looks after its first: they depend on timing */
        public int polls() {
            return polls.get();
        }
    }

    /**
     * @param tally the tally to count into
     * @param work  the work, run on this thread
     * @param <T>   its result
     * @return its result
     */
    public static <T> T within(Tally tally, Supplier<T> work) {
        Tally previous = CURRENT.get();
        CURRENT.set(tally);
        try {
            return work.get();
        } finally {
            CURRENT.set(previous);
        }
    }

    /**
     * @param work work to run on another thread
     * @return the work, counting into this thread's tally wherever it runs
     */
    public static Runnable carried(Runnable work) {
        Tally tally = CURRENT.get();
        return tally == null ? work : () -> within(tally, () -> {
            work.run();
            return null;
        });
    }

    /**
     * @param look one look of a wait after its first
     * @return what it says; what it sends is counted as polls
     */
    static boolean polling(java.util.function.BooleanSupplier look) {
        boolean previous = POLLING.get();
        POLLING.set(true);
        try {
            return look.getAsBoolean();
        } finally {
            POLLING.set(previous);
        }
    }

    /**
     * One connection attempt of a wait of its own (not through {@link ApplyContext#waitFor}).
     *
     * @param first whether it is the wait's first: else it counts as a poll
     */
    static void attempt(boolean first) {
        Tally t = CURRENT.get();
        if (t != null) {
            (first && !POLLING.get() ? t.queries : t.polls).incrementAndGet();
        }
    }

    /**
     * Adds what another tally counted (work done on another thread for this step) into this thread's tally.
     *
     * @param other the other tally
     */
    static void absorb(Tally other) {
        Tally t = CURRENT.get();
        if (t != null) {
            t.commands.addAndGet(other.commands());
            t.queries.addAndGet(other.queries());
            t.polls.addAndGet(other.polls());
        }
    }

    /**
     * @param work work to run on another thread
     * @param <T>  its result
     * @return the work, counting into this thread's tally wherever it runs
     */
    public static <T> Supplier<T> carried(Supplier<T> work) {
        Tally tally = CURRENT.get();
        return tally == null ? work : () -> within(tally, work);
    }

    /** One command run on a host, counted into this thread's tally. */
    public static void command() {
        count(true);
    }

    /** One SQL round trip, counted into this thread's tally. */
    static void query() {
        count(false);
    }

    private static void count(boolean command) {
        Tally t = CURRENT.get();
        if (t != null) {
            (POLLING.get() ? t.polls : command ? t.commands : t.queries).incrementAndGet();
        }
    }

    /**
     * @param c a connection
     * @return it, counting every statement it and its statements send, and its validity checks; the connection
     *         itself when no tally is open
     */
    static Connection counted(Connection c) {
        if (CURRENT.get() == null) {
            return c;
        }
        return (Connection) Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[] {
            Connection.class}, new Counting(c));
    }

    /** Counts the sending calls of a connection, and of the statements it creates. */
    private static final class Counting implements InvocationHandler {
        private final Object target;

        Counting(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return invokeOn(target, method, args); // PgJDBC's own interfaces, for the driver's escaping
            }
            if (SENDING.contains(method.getName())) {
                query();
            }
            Object result = invokeOn(target, method, args);
            if (result instanceof Statement && method.getReturnType().isInterface()) {
                return Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[] {
                    method.getReturnType()}, new Counting(result));
            }
            return result;
        }

        private static Object invokeOn(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
