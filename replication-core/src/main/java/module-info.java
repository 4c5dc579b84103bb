/**
 * pgreplication core: describe, validate, plan, apply and observe PostgreSQL physical streaming replication.
 * Only the API packages are exported; {@code io.github.pgreplication.internal}, exported to the pgBackRest module
 * alone, has no compatibility guarantees.
 */
module io.github.pgreplication {
    requires transitive java.sql;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires org.apache.commons.exec;
    requires org.slf4j;

    exports io.github.pgreplication;
    exports io.github.pgreplication.host;
    exports io.github.pgreplication.clone;
    // To the pgBackRest module only, so that it checks values and paths with the core's rules instead of a copy.
    exports io.github.pgreplication.internal to io.github.pgreplication.pgbackrest;
}
