package io.github.pgreplication.samples.standby;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second runbook's four troubleshooting cases ("Les problèmes courants"), named as the runbook names them, each
 * with its fix, chosen from the library's typed exceptions (a {@link PgBackRestException}'s kind).
 */
final class Troubleshooting {
    /** The runbook's cases, in its order. */
    enum Case {
        KEYS("1. Erreur \"clés SSH manquantes\" (SSH keys missing or not authorized)"),
        STANZA("2. Erreur \"stanza non trouvé\" (stanza not found)"),
        SSH("3. Erreur de connexion SSH (SSH connection error)"),
        WAL("4. Erreur lors de la restauration des WAL (WAL restore failing)"),
        PRIMARY("Connexion de réplication refusée (replication connection refused by the primary)"),
        OTHER("Erreur (other failure)");

        final String title;

        Case(String title) {
            this.title = title;
        }
    }

    private Troubleshooting() {
    }

    /**
     * @param failure what failed
     * @return the runbook's case it is
     */
    static Case classify(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof PgBackRestException e && runbookCase(e.kind()) != Case.OTHER) {
                return runbookCase(e.kind());
            }
            if (t instanceof ConnectionFailedException c && c.reason().isPresent()) {
                return Case.PRIMARY;
            }
        }
        return Case.OTHER;
    }

    private static Case runbookCase(Kind kind) {
        return switch (kind) {
            case SSH_KEY_MISSING, SSH_KEY_NOT_AUTHORIZED -> Case.KEYS;
            case STANZA_NOT_FOUND, NO_BACKUP -> Case.STANZA;
            case SSH_CONNECTION, SSH_HOST_KEY, SSH_OTHER -> Case.SSH;
            case ARCHIVE_GET, ARCHIVE_TIMEOUT, REPOSITORY_PERMISSION -> Case.WAL;
            default -> Case.OTHER;
        };
    }

    /**
     * @param failure what failed
     * @param s       the configuration
     * @return the lines to log: the case as the runbook names it, what happened, and the fix
     */
    static String explain(Throwable failure, StandbySettings s) {
        Case c = classify(failure);
        String fix = switch (c) {
            case KEYS -> "Les clés sont générées au premier démarrage et doivent être ajoutées sur le serveur"
                    + " principal: append the public key printed above to ~" + s.primaryUser()
                    + "/.ssh/authorized_keys on " + s.primaryHost() + " (runbook step 6), then chmod 600 it.";
            case STANZA -> "Vérifiez que le stanza a été créé sur le serveur principal: sudo -u postgres pgbackrest"
                    + " --stanza=" + s.stanza() + " stanza-create, then check and backup (runbook step 7).";
            case SSH -> "Vérifiez que la clé publique du slave a été correctement ajoutée au fichier authorized_keys"
                    + " du serveur principal, and the permissions there: chmod 700 ~/.ssh and chmod 600"
                    + " ~/.ssh/authorized_keys (as " + s.primaryUser() + " on " + s.primaryHost() + "), that sshd runs"
                    + " on port " + s.sshPort() + ", and that the host key did not change.";
            case WAL -> "Vérifiez que l'archive_command fonctionne correctement sur le serveur principal (pgbackrest"
                    + " --stanza=" + s.stanza() + " check there) and that /var/lib/pgbackrest has the right"
                    + " permissions (owned by postgres, 0750) on both sides.";
            case PRIMARY -> "Le serveur principal doit être corrigé (runbook steps 4 and 5): see the line to add"
                    + " above.";
            case OTHER -> "See the message above.";
        };
        if (chain(failure).stream().anyMatch(t -> t instanceof PgBackRestException e
                && e.kind() == Kind.SSH_HOST_KEY)) {
            fix += " The host key differs from the one pinned: if " + s.primaryHost() + " was reinstalled, check its"
                    + " new key (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there), then remove the old pin"
                    + " (ssh-keygen -R " + io.github.pgreplication.host.Command.shellQuote(HostKeyPin.pattern(
                            s.primaryHost(), s.sshPort())) + " -f /var/lib/postgresql/.ssh/known_hosts in this"
                    + " container) or give the new one in BACKREST_PRIMARY_KNOWN_HOSTS; otherwise find out why it"
                    + " changed.";
        }
        return "TROUBLESHOOTING " + c.title + "\n" + indent(message(failure)) + "\n  Fix: " + fix;
    }

    private static String message(Throwable failure) {
        String m = failure.getMessage();
        return m == null ? failure.toString() : m;
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }

    private static List<Throwable> chain(Throwable first) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> todo = new ArrayList<>(List.of(first));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(0);
            if (t == null || seen.put(t, true) != null) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return out;
    }
}
