package io.github.pgreplication.pgbackrest;

/**
 * pgBackRest was denied access to files in the repository ({@code Permission denied}, reported within errors such
 * as [103] repo-invalid or [041] file-open). The repository must belong to the user that runs pgBackRest.
 */
public class RepositoryPermissionException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public RepositoryPermissionException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
