package io.github.pgreplication.pgbackrest;

/**
 * The stanza does not exist in the repository (pgBackRest errors [055] file-missing on {@code archive.info} or
 * {@code backup.info}, [103] repo-invalid with a missing info file, or [075] with the {@code stanza-create} hint), or
 * the local configuration has no section for it. The fix is {@code pgbackrest --stanza=NAME stanza-create} on the
 * repository host (see {@link PgBackRestPrimary#prepare(PgBackRest)}).
 */
public class StanzaNotFoundException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public StanzaNotFoundException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
