/**
 * pgBackRest for pgreplication: a typed configuration file
 * ({@link io.github.pgreplication.pgbackrest.PgBackRestConfig}), commands on any
 * {@link io.github.pgreplication.host.Host} ({@link io.github.pgreplication.pgbackrest.PgBackRest}),
 * {@code info} parsed into records, archiving on the primary
 * ({@link io.github.pgreplication.pgbackrest.PgBackRestPrimary}), SSH trust between a standby and the repository
 * host ({@link io.github.pgreplication.pgbackrest.SshTrust}), a standby restore as a clone method
 * ({@link io.github.pgreplication.pgbackrest.PgBackRestRestore}), and failures mapped to one exception whose message
 * says what to do and whose kind says what failed ({@link io.github.pgreplication.pgbackrest.PgBackRestException}).
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
