/**
 * pgBackRest for pgreplication:
 * <ul>
 * <li>a typed configuration file: {@link io.github.pgreplication.pgbackrest.PgBackRestConfig}, its
 * {@link io.github.pgreplication.pgbackrest.Repository} ({@code repo1-*}), the
 * {@link io.github.pgreplication.pgbackrest.RepositoryHost} a standby reaches over SSH ({@code repo1-host*}), and
 * one {@link io.github.pgreplication.pgbackrest.StanzaSection} per stanza;</li>
 * <li>commands on any {@link io.github.pgreplication.host.Host}: {@link io.github.pgreplication.pgbackrest.PgBackRest}
 * (stanza-create, check, backup of a {@link io.github.pgreplication.pgbackrest.BackupType}, restore with
 * {@link io.github.pgreplication.pgbackrest.RestoreOptions}, archive-get, version), with {@code info} parsed into
 * {@link io.github.pgreplication.pgbackrest.StanzaInfo} and {@link io.github.pgreplication.pgbackrest.BackupInfo};</li>
 * <li>archiving and a first backup on the primary: {@link io.github.pgreplication.pgbackrest.PgBackRestPrimary};</li>
 * <li>SSH trust between a standby and the repository host: {@link io.github.pgreplication.pgbackrest.SshTrust};</li>
 * <li>a standby restore as a clone method: {@link io.github.pgreplication.pgbackrest.PgBackRestRestore};</li>
 * <li>failures as one exception whose message says what to do and whose
 * {@link io.github.pgreplication.pgbackrest.PgBackRestException#kind() kind} says what failed:
 * {@link io.github.pgreplication.pgbackrest.PgBackRestException}.</li>
 * </ul>
 *
 * <pre>{@code
 * RepositoryHost repository = RepositoryHost.at("eshua.ghelew.ch")   // repo1-host, reached over SSH
 *         .withUser("postgres")
 *         .withAccess(primary.host());                            // lets the library install the standby's key
 * Standby eshub = Standby.named("eshub")
 *         .withHost(SshHost.to("postgres", "eshub.ghelew.ch"))
 *         .withDataDirectory("/var/lib/postgresql/data")
 *         .withCloneMethods(PgBackRestRestore.from(repository, "psql"), BaseBackup.defaults());
 * }</pre>
 */
package io.github.pgreplication.pgbackrest;
