/**
 * How a standby's data directory is produced: the {@link io.github.pgreplication.clone.CloneMethod} SPI and the
 * core's {@link io.github.pgreplication.clone.BaseBackup} (pg_basebackup).
 */
package io.github.pgreplication.clone;
