package io.github.pgreplication.internal;

import io.github.pgreplication.Failover;
import io.github.pgreplication.LossCheck;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Standby;
import io.github.pgreplication.SyncPolicy;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which standby a failover promotes, and what it may lack.
 *
 * <p>Under a synchronous policy listing m standbys of which n confirm each commit, every acknowledged commit is on at
 * least n of the m; so once m - n + 1 of them answer, one of those holds it, and a standby that has received at least
 * as much as each of them holds every acknowledged commit (WAL is one stream: a standby has all of it up to its
 * position). The same count holds for {@code FIRST n}: which n were first among the connected ones when the primary
 * died is not known afterwards. Of the standbys so proven complete, the one that received the most is promoted (a
 * listed one on a tie), so that no other standby is ahead of it and every one can follow.
 *
 * @param standby the standby to promote
 * @param at      where its WAL ends: what it had received
 * @param loss    what it may lack
 * @param down    the other standbys that did not answer: they follow the new primary when they start again
 * @param prefix  what the loss check's detail starts with when the policy proved nothing (why), else empty; null
 *                when the old primary's end is not to be read (an earlier run promoted the standby already)
 */
record FailoverChoice(Standby standby, Lsn at, LossCheck loss, List<String> down, String prefix) {
    /** Copies the list. */
    FailoverChoice {
        down = List.copyOf(down);
    }

    /**
     * @param standby the standby to promote
     * @param at      where its WAL ends
     * @param loss    what it may lack
     */
    FailoverChoice(Standby standby, Lsn at, LossCheck loss) {
        this(standby, at, loss, List.of(), "");
    }

    /**
     * @param states what each standby said of itself
     * @return this choice, naming the other standbys that did not answer
     */
    private FailoverChoice withDown(Map<Standby, NodeState> states) {
        return new FailoverChoice(standby, at, loss, states.entrySet().stream().filter(e -> !e.getValue().reachable()
                && !e.getKey().name().equals(standby.name())).map(e -> e.getKey().name()).toList(), prefix);
    }

    /** @return whether what the promoted standby may lack depends on where the old primary's WAL ended */
    boolean needsOldPrimaryEnd() {
        return prefix != null && loss.basis() != LossCheck.Basis.SYNC_PROOF;
    }

    /**
     * @param end where the old primary's WAL ended, read once it was chosen
     * @return this choice, its loss check judged from that end
     */
    FailoverChoice withOldPrimaryEnd(OldPrimaryEnd end) {
        return needsOldPrimaryEnd() ? new FailoverChoice(standby, at, end.toLoss(at, prefix), down, prefix) : this;
    }

    /**
     * @param ops     the operation's clients
     * @param config  the set-up before the failover
     * @param options what the caller asked
     * @param oldEnd  the bound on the old primary's WAL end known from the standbys' states (no I/O), asked only
     *                when the policy proves nothing; {@link #withOldPrimaryEnd} refines it later
     * @return the choice
     * @throws OperationRefusedException when no standby can be promoted, or none is proven complete and the caller
     *                                   did not accept possible loss
     */
    static FailoverChoice choose(Operations ops, ReplicationConfig config, Failover options,
            java.util.function.Function<Map<Standby, NodeState>, OldPrimaryEnd> oldEnd) {
        Optional<Standby> promoted = alreadyPromoted(ops, config);
        if (promoted.isPresent()) {
            return resumed(ops, promoted.get());
        }
        Map<Standby, NodeState> states = new LinkedHashMap<>();
        for (Standby s : config.standbys()) {
            states.put(s, ops.state(s.node()));
        }
        return decide(config, options, states, () -> oldEnd.apply(states));
    }

    /**
     * @param config  the set-up before the failover
     * @param options what the caller asked
     * @param states  what each standby said of itself
     * @param oldEnd  where the old primary's WAL ended, asked only when the policy proves nothing
     * @return the choice
     */
    static FailoverChoice decide(ReplicationConfig config, Failover options, Map<Standby, NodeState> states,
            Supplier<OldPrimaryEnd> oldEnd) {
        return choice(config, options, states, oldEnd).withDown(states);
    }

    private static FailoverChoice choice(ReplicationConfig config, Failover options, Map<Standby, NodeState> states,
            Supplier<OldPrimaryEnd> oldEnd) {
        StringBuilder seen = new StringBuilder();
        states.values().forEach(st -> seen.append("\n  ").append(st));
        Map<Standby, NodeState> candidates = new LinkedHashMap<>();
        states.forEach((s, st) -> {
            if (st.reachable() && st.inRecovery() && s.node().endpoint() != null && s.node().administeredOverJdbc()
                    && !s.delayed()) { // a delayed standby is never promoted
                candidates.put(s, st);
            }
        });
        String prefix = "";
        if (config.syncPolicy().synchronous()) {
            List<String> listed = SyncNames.eligible(config);
            List<Standby> answering = states.entrySet().stream().filter(e -> listed.contains(e.getKey().name())
                    && e.getValue().reachable() && e.getValue().inRecovery()).map(Map.Entry::getKey).toList();
            int needed = listed.size() - config.syncPolicy().count() + 1;
            // Fewer listed than the count (the list after a failover that had to name a placeholder): no commit can
            // be confirmed under it, so it proves nothing, least of all what was acknowledged before it was set.
            boolean provable = needed > 0;
            String rule = provable ? rule(config, listed, answering, needed) : config.syncPolicy().method() + " "
                    + config.syncPolicy().count() + " of " + listed + ": fewer standbys listed than the count, so no"
                    + " commit can have been confirmed under this list, and it proves nothing of the commits"
                    + " acknowledged before it was set.";
            if (provable && answering.size() >= needed) {
                Lsn bound = answering.stream().map(s -> states.get(s).received()).max(Comparator.nullsFirst(
                        Comparator.naturalOrder())).orElse(null);
                Optional<FailoverChoice> proven = proven(config, options, candidates, listed, bound, rule + " The"
                        + " most advanced of them received up to " + bound + ".", seen);
                if (proven.isPresent()) {
                    return proven.get();
                }
                prefix = "Possible loss accepted: the standbys proven complete (received up to " + bound + ") cannot"
                        + " be promoted here. ";
            } else if (!options.possibleLossAccepted()) {
                throw new OperationRefusedException(Kind.UNPROVEN_COMPLETE, "standbys", rule + " So no standby is"
                        + " proven to hold every commit " + config.primary().name() + " acknowledged. "
                        + (provable ? "Bring back " + (needed - answering.size()) + " more of " + listed + ", or"
                        : "Compare the standbys' WAL yourself, or") + " accept possible loss:"
                        + " Failover.toMostAdvanced().withPossibleLossAccepted(true) (the result then gives the WAL"
                        + " that may be lost)." + seen);
            } else {
                prefix = "Possible loss accepted: " + rule + " ";
            }
        }
        return unproven(config, options, candidates, seen, oldEnd, prefix);
    }

    private static String rule(ReplicationConfig config, List<String> listed, List<Standby> answering, int needed) {
        SyncPolicy policy = config.syncPolicy();
        return policy.method() + " " + policy.count() + " of " + listed + ": " + answering.size() + " of the "
                + listed.size() + " listed standbys answered (" + answering.stream().map(Standby::name).toList()
                + "); " + needed + " (" + listed.size() + " - " + policy.count() + " + 1) must, for one of them to"
                + " have confirmed each acknowledged commit.";
    }

    /** @return the standby proven complete to promote, or empty when none can be promoted and loss is accepted */
    private static Optional<FailoverChoice> proven(ReplicationConfig config, Failover options,
            Map<Standby, NodeState> candidates, List<String> listed, Lsn bound, String rule, StringBuilder seen) {
        Comparator<Map.Entry<Standby, NodeState>> order = Comparator
                .comparing((Map.Entry<Standby, NodeState> e) -> e.getValue().received(),
                        Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(e -> listed.contains(e.getKey().name()))
                .thenComparing(e -> e.getValue().replayLsn(), Comparator.nullsFirst(Comparator.naturalOrder()));
        List<Map.Entry<Standby, NodeState>> complete = candidates.entrySet().stream()
                .filter(e -> bound == null || e.getValue().received() != null
                        && e.getValue().received().compareTo(bound) >= 0).toList();
        if (options.targetName().isPresent()) {
            String name = options.targetName().get();
            Optional<Map.Entry<Standby, NodeState>> t = complete.stream().filter(e -> e.getKey().name().equals(name))
                    .findFirst();
            if (t.isPresent()) {
                return Optional.of(proof(t.get(), rule));
            }
            NodeState st = candidates.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (st == null) {
                throw new OperationRefusedException(Kind.NO_CANDIDATE, name, name + " cannot be promoted now:" + seen);
            }
            if (!options.possibleLossAccepted()) {
                throw new OperationRefusedException(Kind.UNPROVEN_COMPLETE, name, name + " received up to "
                        + st.received() + ", less than " + bound + ": it may lack commits the old primary"
                        + " acknowledged. " + rule + " Promote the most advanced with Failover.toMostAdvanced(), or"
                        + " accept possible loss: Failover.to(\"" + name + "\").withPossibleLossAccepted(true).");
            }
            return Optional.empty();
        }
        Optional<Map.Entry<Standby, NodeState>> best = complete.stream().max(order);
        if (best.isPresent()) {
            return Optional.of(proof(best.get(), rule));
        }
        if (!options.possibleLossAccepted()) {
            throw new OperationRefusedException(Kind.NO_CANDIDATE, "standbys", "The standbys that received up to "
                    + bound + " hold every acknowledged commit, but none of them can be promoted here (each must"
                    + " answer, be in recovery, have an endpoint and a JDBC admin endpoint). " + rule + seen);
        }
        return Optional.empty();
    }

    private static FailoverChoice proof(Map.Entry<Standby, NodeState> e, String rule) {
        Lsn at = e.getValue().received();
        return new FailoverChoice(e.getKey(), at, new LossCheck(LossCheck.Basis.SYNC_PROOF, at, null, rule + " "
                + e.getKey().name() + " received up to " + at + "."));
    }

    private static FailoverChoice unproven(ReplicationConfig config, Failover options,
            Map<Standby, NodeState> candidates, StringBuilder seen, Supplier<OldPrimaryEnd> oldEnd, String prefix) {
        Map.Entry<Standby, NodeState> chosen;
        if (options.targetName().isPresent()) {
            String name = options.targetName().get();
            chosen = candidates.entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst()
                    .orElseThrow(() -> new OperationRefusedException(Kind.NO_CANDIDATE, name, name + " cannot be"
                            + " promoted now:" + seen));
        } else {
            chosen = candidates.entrySet().stream().max(Comparator
                            .comparing((Map.Entry<Standby, NodeState> e) -> e.getValue().received(),
                                    Comparator.nullsFirst(Comparator.naturalOrder()))
                            .thenComparing(e -> e.getValue().replayLsn(),
                                    Comparator.nullsFirst(Comparator.naturalOrder())))
                    .orElseThrow(() -> new OperationRefusedException(Kind.NO_CANDIDATE, "standbys", "No standby can be"
                            + " promoted (each must answer, be in recovery, have an endpoint and a JDBC admin"
                            + " endpoint):" + seen));
        }
        Lsn at = chosen.getValue().received();
        return new FailoverChoice(chosen.getKey(), at, oldEnd.get().toLoss(at, prefix), List.of(), prefix);
    }

    private static FailoverChoice resumed(Operations ops, Standby s) {
        NodeClient c = ops.client(s.node());
        NodeState st = c.state();
        Lsn at = ops.history(c, st.timeline()).switchpoint(st.timeline() - 1).orElse(st.position());
        return new FailoverChoice(s, at, new LossCheck(LossCheck.Basis.UNKNOWN, at, null, s.name() + " had been"
                + " promoted already, by an earlier run of this failover (its timeline " + st.timeline() + " starts at "
                + at + "): what it lacked was judged then, and the other standbys can no longer show it."), List.of(),
                null);
    }

    /**
     * @param ops    the operation's clients
     * @param config the set-up
     * @return a standby that already runs as a primary (an earlier run of the failover promoted it)
     */
    static Optional<Standby> alreadyPromoted(Operations ops, ReplicationConfig config) {
        return config.standbys().stream().filter(s -> ops.state(s.node()).primary()).findFirst();
    }
}
