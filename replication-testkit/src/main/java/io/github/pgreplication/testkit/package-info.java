/**
 * A real PostgreSQL primary and real standbys in Testcontainers, set up by the pgreplication core:
 * {@link io.github.pgreplication.testkit.ReplicationCluster}, the JUnit 5
 * {@link io.github.pgreplication.testkit.ReplicationClusterExtension}, the container
 * {@link io.github.pgreplication.testkit.ContainerHost}, and image selection in
 * {@link io.github.pgreplication.testkit.PostgresImage}.
 */
package io.github.pgreplication.testkit;
