package io.github.pgreplication.samples.standby;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StandbyJoin;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.SshTrust;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The second runbook's standby container, up to the moment PostgreSQL starts: reads the runbook's variables,
 * generates the SSH key pair in the .ssh volume and prints it with the runbook's instruction, pins the repository
 * host's key, waits (bounded backoff) until the key is authorized, then joins the primary from this side only
 * (pgBackRest restore {@code --type=standby}, archive-get as restore_command, {@code application_name} =
 * PG_SLAVE_NAME). A data directory that already holds the standby is reused: no second restore. The entrypoint
 * then runs PostgreSQL in the foreground.
 *
 * <p>Exit codes: 0 ready to start PostgreSQL; 2 a missing or malformed variable (named on stderr).
 */
public final class StandbyContainer {
    /** The data directory volume. */
    static final String DATA = "/var/lib/postgresql/data";
    /** What the log says when a restore produced the data directory. */
    static final String RESTORED = "STANDBY RESTORED from the pgBackRest repository";
    /** What the log says when the data directory was reused. */
    static final String REUSED = "STANDBY REUSED the data directory already restored: no second restore";

    private final StandbySettings settings;
    private final Host host;
    private final PrintStream out;
    private final Duration maxDelay;
    private boolean planShown;
    private String lastExplained;

    StandbyContainer(StandbySettings settings, Host host, PrintStream out, Duration maxDelay) {
        this.settings = settings;
        this.host = host;
        this.out = out;
        this.maxDelay = maxDelay;
    }

    /** @param args none; configured by the environment */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        StandbySettings settings;
        try {
            settings = StandbySettings.from(env);
        } catch (StandbySettings.Invalid e) {
            System.err.println("[standby] " + e.getMessage());
            System.exit(2);
            return;
        }
        String retry = env.getOrDefault("STANDBY_RETRY_MAX_SECONDS", "60");
        if (!retry.matches("[1-9][0-9]{0,5}")) {
            System.err.println("[standby] STANDBY_RETRY_MAX_SECONDS='" + retry.replaceAll("\\p{Cntrl}", "?")
                    + "': give the longest wait between two attempts in seconds, 1 to 999999, e.g."
                    + " STANDBY_RETRY_MAX_SECONDS=60");
            System.exit(2);
            return;
        }
        Duration maxDelay = Duration.ofSeconds(Long.parseLong(retry));
        new StandbyContainer(settings, LocalHost.current(), System.out, maxDelay).prepare();
        System.exit(0);
    }

    private void say(String line) {
        out.println("[standby] " + line);
        out.flush();
    }

    /** Everything before PostgreSQL starts; returns once the data directory holds the standby. */
    void prepare() {
        say("configuration: " + settings);
        if (settings.tls() != null) {
            // pgBackRest's TLS server: no key pair to print, no host key to pin; the restore checks the mounted
            // files (numbered problems) and the server checks the certificate
            say("pgBackRest reaches " + settings.repositoryHost().display() + " through its TLS server with "
                    + settings.tls().certFile() + " (no SSH)");
            finish(retry("join the primary", this::join));
            return;
        }
        RepositoryHost repository = RepositoryHost.at(settings.primaryHost()).withUser(settings.primaryUser())
                .withPort(settings.sshPort());
        SshTrust trust = SshTrust.to(repository);
        String key = trust.ensureKeyPair(host);
        say("SSH public key of this standby (generated on first start, kept in /var/lib/postgresql/.ssh):\n"
                + "  " + key + "\n"
                + "  Ajoutez-la au fichier authorized_keys de l'utilisateur " + settings.primaryUser()
                + " sur le serveur principal " + settings.primaryHost() + " (runbook step 6):\n"
                + "    echo \"" + key + "\" >> " + home(settings.primaryUser()) + "/.ssh/authorized_keys\n"
                + "    chmod 600 " + home(settings.primaryUser()) + "/.ssh/authorized_keys");
        java.util.List<String> entries = host.list(DATA);
        if (entries.contains("PG_VERSION") && entries.contains("standby.signal")) {
            // A later start: the standby exists and must run even when the primary is down (it streams when the
            // primary answers, and archive-get needs SSH): SSH is checked once, and a failure is only reported.
            try {
                HostKeyPin.pin(trust, host, settings.knownHosts(), this::say).verify(host);
                say("SSH to " + settings.primaryUser() + "@" + settings.primaryHost() + " works");
            } catch (RuntimeException e) {
                say("WARNING: SSH to " + settings.primaryHost() + " fails; starting the standby already in " + DATA
                        + " anyway (archive-get needs SSH, streaming does not)\n" + Troubleshooting.explain(e,
                                settings));
            }
        } else {
            SshTrust pinned = retry("pin the host key of " + settings.primaryHost(),
                    () -> HostKeyPin.pin(trust, host, settings.knownHosts(), this::say));
            retry("SSH to " + settings.primaryUser() + "@" + settings.primaryHost() + " with this key", () -> {
                pinned.verify(host);
                return null;
            });
            say("SSH to " + settings.primaryUser() + "@" + settings.primaryHost() + " works");
        }
        finish(retry("join the primary", this::join));
    }

    private void finish(ApplyResult result) {
        boolean restored = result.outcomes().stream().anyMatch(o -> o.title().startsWith("clone")
                && o.status() == StepOutcome.Status.APPLIED);
        say(restored ? RESTORED + " (" + result.cloneMethodUsed(settings.name()).orElse("") + ")" : REUSED);
        ServerFiles.ensure(host, DATA, this::say);
        say("starting PostgreSQL in the foreground as standby '" + settings.name() + "' of " + settings.pgHost()
                + ":" + settings.pgPort());
    }

    private ApplyResult join() {
        // snippet:standby-join
        RepositoryHost repository = settings.repositoryHost(); // over SSH, or TLS with BACKREST_TLS_*
        PgBackRestRestore restore = PgBackRestRestore.from(repository, settings.stanza());
        if (!repository.isTls() && settings.knownHosts() != null) {
            restore = restore.withSshTrust(SshTrust.to(repository)
                    .withHostKey(HostKeyPin.keyPart(settings.knownHosts())));
        }
        Standby standby = Standby.named(settings.name()).withHost(host).withDataDirectory(DATA)
                .withCloneMethods(restore);
        ReplicationRole role = ReplicationRole.named(settings.user()).withPassword(settings.password());
        try (StandbyJoin join = Replication.standbyOf(Endpoint.of(settings.pgHost(), settings.pgPort()), role)
                .addStandby(standby)
                .startStandbys(false) // PostgreSQL runs in the container's foreground
                .load()) {
            showOnce(join.plan());                // the runbook of what follows, nothing on the primary
            return join.apply();                  // restores, or keeps the standby already there
        }
        // end-snippet:standby-join
    }

    private void showOnce(io.github.pgreplication.Plan plan) {
        if (!planShown) {
            say("plan:\n" + plan.toRunbook());
            planShown = true;
        }
    }

    private static String home(String user) {
        return user.equals("postgres") ? "/var/lib/postgresql" : "~" + user;
    }

    /** Retries with a bounded backoff (2 s doubling up to the maximum), logging the runbook's case each time. */
    private <T> T retry(String what, java.util.function.Supplier<T> action) {
        long delay = 2;
        int attempt = 1;
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                String explained = Troubleshooting.explain(e, settings);
                if (explained.equals(lastExplained)) { // the same cause again: a short reminder
                    say("still waiting to " + what + " (attempt " + attempt + ", next in " + delay + " s): "
                            + explained.lines().findFirst().orElse(""));
                } else {
                    say("cannot " + what + " yet (attempt " + attempt + "), retrying in " + delay + " s\n"
                            + explained);
                    lastExplained = explained;
                }
            }
            try {
                Thread.sleep(delay * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to " + what, e);
            }
            delay = Math.min(delay * 2, Math.max(1, maxDelay.toSeconds()));
            attempt++;
        }
    }
}
