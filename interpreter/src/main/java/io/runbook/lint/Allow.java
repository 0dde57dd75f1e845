package io.runbook.lint;

import io.runbook.source.Pos;
import java.util.ArrayList;
import java.util.List;

/**
 * A `runbook:allow RULE[,RULE...] reason` comment: in SQL (-- or block comment) or in the runbook (# or --).
 * rules are as written (unknown names included); reason is "" when missing.
 */
public record Allow(Pos pos, List<String> rules, String reason) {
    static final String MARK = "runbook:allow";

    boolean covers(Rule rule) {
        return rules.contains(rule.id);
    }

    boolean hasReason() {
        return !reason.isEmpty();
    }

    /** Parses a comment's text (markers removed); null when it is not an allow directive. */
    static Allow parse(String body, Pos pos) {
        String s = body.strip();
        if (!s.startsWith(MARK)) return null;
        String rest = s.substring(MARK.length());
        if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) return null;
        rest = rest.strip();
        int sp = 0;
        while (sp < rest.length() && !Character.isWhitespace(rest.charAt(sp))) sp++;
        List<String> rules = new ArrayList<>();
        for (String r : rest.substring(0, sp).split(",")) if (!r.isBlank()) rules.add(r.strip());
        return new Allow(pos, List.copyOf(rules), rest.substring(sp).strip());
    }

    /** The text of a SQL comment token without its markers: "-- x" or a block comment. */
    static String commentBody(String comment) {
        if (comment.startsWith("--")) return comment.substring(2);
        if (comment.startsWith("/*"))
            return comment.substring(2, Math.max(2, comment.length() - (comment.endsWith("*/") ? 2 : 0)));
        return comment;
    }
}
