package io.runbook.lint;

import java.util.Locale;

/** How much a finding matters: errors fail `runbook lint` and `runbook check` (exit 2), the others are printed. */
public enum Severity {
    ERROR,
    WARNING,
    INFO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
