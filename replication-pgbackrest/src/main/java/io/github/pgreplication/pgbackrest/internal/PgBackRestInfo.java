package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.StanzaInfo;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code pgbackrest info --output=json} reported: one entry per stanza.
 *
 * @param stanzas the stanzas, in pgBackRest's order
 */
public record PgBackRestInfo(List<StanzaInfo> stanzas) {
    /**
     * Copies the list.
     *
     * @param stanzas the stanzas, in pgBackRest's order
     */
    public PgBackRestInfo {
        stanzas = List.copyOf(stanzas);
    }

    /**
     * @param json the output of {@code pgbackrest info --output=json}
     * @return the parsed info
     * @throws PgBackRestException when the text is not pgBackRest's info JSON
     */
    public static PgBackRestInfo parse(String json) {
        return InfoParser.parse(json);
    }

    /**
     * @param name a stanza name
     * @return that stanza, when reported
     */
    public Optional<StanzaInfo> stanza(String name) {
        return stanzas.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
