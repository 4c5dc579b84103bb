package io.github.pgreplication.internal;

import io.github.pgreplication.HbaRule;
import java.util.List;
import java.util.Set;

/**
 * The fix a pg_hba refusal offers: the rule itself corrected where the correction is certain (hostssl for an
 * option or method that checks the client's certificate, the prefix length of a bare IP address, no address on a
 * local rule), checked to load; otherwise an example. Secret option values stay {@code ****}.
 */
final class HbaSuggestion {
    private static final Set<String> NOT_SSL = Set.of("host", "hostnossl", "hostgssenc", "hostnogssenc");

    private HbaSuggestion() {
    }

    /**
     * @param rule        a rule with problems
     * @param exampleRole a valid replication role name, for the example
     * @return the fix to show: the corrected rule as code to copy, or an example
     */
    static String fix(HbaRule rule, String exampleRole) {
        for (HbaRule candidate : candidates(rule)) {
            if (!candidate.equals(rule) && candidate.problems().isEmpty()) {
                return "Use the corrected rule: HbaRule.parse(\"" + candidate.toString().replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\")";
            }
        }
        return "Example: HbaRule.parse(\"host replication " + exampleRole + " 10.0.0.0/24 scram-sha-256\")";
    }

    private static List<HbaRule> candidates(HbaRule r) {
        boolean certificate = r.method().equals("cert") || r.options().containsKey("clientcert")
                || r.options().containsKey("clientname");
        String type = certificate && NOT_SSL.contains(r.type()) ? "hostssl" : r.type();
        if (type.equals("local")) {
            return List.of(new HbaRule(type, r.database(), r.user(), "", r.method(), r.options()));
        }
        String a = r.address();
        // A bare address means that host alone: /128 for IPv6 (an IPv6 address with /32 would be a wide network).
        return (a.contains("/") ? List.of(a) : List.of(a, a + (a.contains(":") ? "/128" : "/32"))).stream()
                .map(address -> new HbaRule(type, r.database(), r.user(), address, r.method(), r.options()))
                .toList();
    }
}
