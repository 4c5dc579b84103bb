/**
 * pgreplication core: describe, validate, plan, apply and observe PostgreSQL physical streaming replication.
 * Only the API packages are exported; {@code io.github.pgreplication.internal}, exported to the pgBackRest module
 * and the testkit alone, has no compatibility guarantees.
 */
// "module": the qualified export below names the pgBackRest module and the testkit, which depend on this one and so
// are never on the module path when it is compiled ("module not found"). "requires-automatic": PgJDBC has no module
// descriptor, only an Automatic-Module-Name; there is no other module to require.
@SuppressWarnings({"module", "requires-automatic"})
module io.github.pgreplication {
    requires transitive java.sql;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires org.apache.commons.exec;
    requires org.slf4j;

    exports io.github.pgreplication;
    exports io.github.pgreplication.host;
    exports io.github.pgreplication.clone;
    // To the library's own modules only, so that they check values and paths with the core's rules, not copies.
    exports io.github.pgreplication.internal to io.github.pgreplication.pgbackrest, io.github.pgreplication.testkit;
}
