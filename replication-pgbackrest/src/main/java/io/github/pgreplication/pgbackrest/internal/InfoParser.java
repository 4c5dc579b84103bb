package io.github.pgreplication.pgbackrest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.pgbackrest.BackupInfo;
import io.github.pgreplication.pgbackrest.BackupType;
import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.StanzaInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code pgbackrest info --output=json} with Jackson's tree model, reading only the fields the records need,
 * so that fields added by newer pgBackRest versions (annotations, block incremental maps...) are ignored.
 */
public final class InfoParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InfoParser() {
    }

    /**
     * @param output the command's standard output; log lines before the JSON array are skipped
     * @return the parsed info
     * @throws PgBackRestException when no JSON array of stanzas is found
     */
    public static PgBackRestInfo parse(String output) {
        String text = output == null ? "" : output;
        int start = text.indexOf('[');
        JsonNode root;
        try {
            root = start < 0 ? null : MAPPER.readTree(text.substring(start));
        } catch (JsonProcessingException e) {
            throw new PgBackRestException(Kind.OTHER, "pgbackrest info --output=json printed text that is not JSON ("
                    + e.getOriginalMessage() + "): " + abbreviate(text) + ". Run it by hand to see what it prints;"
                    + " a log-level-console setting that writes to standard output can cause this.", e);
        }
        if (root == null || !root.isArray()) {
            throw new PgBackRestException(Kind.OTHER, "pgbackrest info --output=json did not print a JSON array of"
                    + " stanzas: " + abbreviate(text));
        }
        List<StanzaInfo> stanzas = new ArrayList<>();
        for (JsonNode s : root) {
            stanzas.add(stanza(s));
        }
        return new PgBackRestInfo(stanzas);
    }

    private static StanzaInfo stanza(JsonNode s) {
        JsonNode status = s.path("status");
        List<BackupInfo> backups = new ArrayList<>();
        for (JsonNode b : s.path("backup")) {
            backups.add(backup(b));
        }
        List<StanzaInfo.WalRange> archives = new ArrayList<>();
        for (JsonNode a : s.path("archive")) {
            archives.add(new StanzaInfo.WalRange(text(a, "id"), text(a, "min"), text(a, "max"),
                    a.path("database").path("repo-key").asInt(1)));
        }
        List<StanzaInfo.Database> dbs = new ArrayList<>();
        for (JsonNode d : s.path("db")) {
            dbs.add(new StanzaInfo.Database(d.path("id").asInt(), text(d, "system-id"), text(d, "version"),
                    d.path("repo-key").asInt(1)));
        }
        int code = status.path("code").asInt(StanzaInfo.Status.OTHER);
        String message = status.path("message").asText("");
        if (code == StanzaInfo.Status.OTHER) {
            message = repositoryErrors(s.path("repo"), message);
        }
        return new StanzaInfo(s.path("name").asText(), new StanzaInfo.Status(code, message),
                status.path("lock").path("backup").path("held").asBoolean(false),
                s.path("cipher").asText("none"), backups, archives, dbs);
    }

    /**
     * For status 99 the stanza's own message is only "other"; pgBackRest puts the error (an ssh failure, a
     * permission problem, a version mismatch...) in each repository's status.
     *
     * @return the failing repositories' messages ("repoN: " before each when there are several), or
     *         {@code fallback} when none has one
     */
    private static String repositoryErrors(JsonNode repos, String fallback) {
        List<String> errors = new ArrayList<>();
        for (JsonNode r : repos) {
            JsonNode st = r.path("status");
            if (st.path("code").asInt(0) != StanzaInfo.Status.OK && !st.path("message").asText("").isBlank()) {
                errors.add((repos.size() > 1 ? "repo" + r.path("key").asInt() + ": " : "")
                        + st.path("message").asText());
            }
        }
        return errors.isEmpty() ? fallback : String.join("\n", errors);
    }

    private static BackupInfo backup(JsonNode b) {
        JsonNode info = b.path("info");
        List<String> refs = new ArrayList<>();
        for (JsonNode r : b.path("reference")) {
            refs.add(r.asText());
        }
        return new BackupInfo(b.path("label").asText(), BackupType.parse(b.path("type").asText()),
                Instant.ofEpochSecond(b.path("timestamp").path("start").asLong()),
                Instant.ofEpochSecond(b.path("timestamp").path("stop").asLong()),
                Lsn.parseNullable(text(b.path("lsn"), "start")), Lsn.parseNullable(text(b.path("lsn"), "stop")),
                text(b.path("archive"), "start"), text(b.path("archive"), "stop"),
                info.path("size").asLong(), info.path("delta").asLong(),
                info.path("repository").path("size").asLong(), info.path("repository").path("delta").asLong(),
                text(b, "prior"), refs, text(b.path("backrest"), "version"), b.path("error").asBoolean(false),
                b.path("database").path("repo-key").asInt(1));
    }

    /** @return the field's text, or null when absent or JSON null */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return "'" + (t.length() > 300 ? t.substring(0, 300) + "..." : t) + "'";
    }
}
