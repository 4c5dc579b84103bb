/**
 * pgreplication testkit: a real PostgreSQL primary and real standbys in Testcontainers, set up by the core; a JUnit 5
 * extension and AssertJ assertions for clusters. Only {@code io.github.pgreplication.testkit} is exported.
 *
 * <p>Testcontainers 2.0 has no module descriptor and names no {@code Automatic-Module-Name}: on the module path it is
 * the automatic module {@code testcontainers}, its name taken from its jar's file name.
 */
// Testcontainers (see above), docker-java's API and PgJDBC (an Automatic-Module-Name each) have no module descriptor:
// there is nothing but their automatic modules to require. Testcontainers' types are part of the testkit's API
// (ReplicationCluster.network()), so it is required transitively.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.github.pgreplication.testkit {
    requires transitive io.github.pgreplication;
    requires transitive io.github.pgreplication.pgbackrest;
    requires transitive testcontainers;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires transitive com.zaxxer.hikari; // ReplicationCluster.dataSource(..., Consumer<HikariConfig>)
    requires com.github.dockerjava.api;
    requires org.apache.commons.compress;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires org.bouncycastle.pkix; // TestCa
    requires org.bouncycastle.provider;

    exports io.github.pgreplication.testkit;
}
