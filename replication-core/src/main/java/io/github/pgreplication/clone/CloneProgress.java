package io.github.pgreplication.clone;

/**
 * Progress of a clone, as reported by pg_basebackup's {@code -P}.
 *
 * @param standby    the standby being cloned
 * @param doneBytes  bytes copied so far
 * @param totalBytes estimated total bytes
 * @param percent    percentage done, 0 to 100
 */
public record CloneProgress(String standby, long doneBytes, long totalBytes, int percent) {
}
