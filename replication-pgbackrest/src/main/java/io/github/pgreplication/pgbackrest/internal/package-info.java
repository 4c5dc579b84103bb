/**
 * Implementation details of the pgBackRest module. No compatibility guarantees: anything here may change or
 * disappear in any release. Use {@link io.github.pgreplication.pgbackrest} instead.
 */
package io.github.pgreplication.pgbackrest.internal;
