package io.github.pgreplication.pgbackrest;

/**
 * A PostgreSQL cluster a stanza has held (one per {@code stanza-upgrade}).
 *
 * @param id       history id
 * @param systemId the cluster's system identifier, as text (it can exceed a signed 64-bit number)
 * @param version  PostgreSQL major version, e.g. {@code 15}
 * @param repoKey  repository number
 */
public record StanzaDatabase(int id, String systemId, String version, int repoKey) {
}
