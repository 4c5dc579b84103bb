package io.github.pgreplication;

/**
 * One physical replication slot on the primary.
 *
 * @param name          slot name
 * @param active        whether a standby is connected to it
 * @param restartLsn    oldest WAL position the slot keeps
 * @param walStatus     {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
 * @param retainedBytes WAL the slot keeps on the primary's disk: {@link ReplicationStatus#primaryLsn()} minus
 *                      restartLsn, in bytes, from the same snapshot; null when restartLsn is
 */
public record SlotStatus(String name, boolean active, Lsn restartLsn, String walStatus, Long retainedBytes) {
}
