package io.github.pgreplication.pgbackrest;

import java.util.Locale;

/** Values of pgBackRest's {@code repo1-type} option: where the repository's files are stored. */
public enum RepositoryType {
    /** A POSIX file system on the repository host (pgBackRest's default). */
    POSIX,
    /** Like posix, without links and directory fsyncs. */
    CIFS,
    /** An S3-compatible object store. */
    S3,
    /** A directory on an SFTP server (pgBackRest 2.46 and later). */
    SFTP;

    /** @return the value as written in pgbackrest.conf, e.g. {@code s3} */
    public String toPgBackRest() {
        return name().toLowerCase(Locale.ROOT);
    }
}
