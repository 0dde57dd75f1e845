package io.runbook.lint;

import io.runbook.source.Pos;

/**
 * One lint finding: the rule, where, what and why (message, one line), and what to do (fix).
 * suppression is the `runbook:allow` that silenced it, or null when it counts.
 */
public record Finding(Rule rule, Severity severity, Pos pos, String message, String fix, Allow suppression) {

    public boolean suppressed() {
        return suppression != null;
    }

    Finding suppressedBy(Allow allow) {
        return new Finding(rule, severity, pos, message, fix, allow);
    }
}
