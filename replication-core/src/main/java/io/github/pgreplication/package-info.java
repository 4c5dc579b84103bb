/**
 * Describe, validate, plan, apply and observe PostgreSQL physical streaming replication. Start at
 * {@link io.github.pgreplication.Replication#primary(io.github.pgreplication.Primary)}.
 */
package io.github.pgreplication;
