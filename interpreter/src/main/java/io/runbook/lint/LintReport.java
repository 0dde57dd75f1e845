package io.runbook.lint;

import java.util.List;

/**
 * What `runbook lint` found: every finding (suppressed ones included, marked), in file order, and how the
 * statements were analysed.
 */
public record LintReport(List<Finding> findings, Stats stats) {

    /**
     * statements: SQL statements linted (a DO block's inner statements not counted separately); parsed: by
     * JSqlParser; screened: read from their tokens because no rule needs their tree; tokens: by the token
     * fallback where JSqlParser gave up; unanalysed: by neither.
     */
    public record Stats(int statements, int parsed, int screened, int tokens, int unanalysed) {}

    public List<Finding> active() {
        return findings.stream().filter(f -> !f.suppressed()).toList();
    }

    public List<Finding> suppressed() {
        return findings.stream().filter(Finding::suppressed).toList();
    }

    public long count(Severity s) {
        return active().stream().filter(f -> f.severity() == s).count();
    }

    public boolean hasErrors() {
        return count(Severity.ERROR) > 0;
    }

    /** The rule names of the active findings, in report order (for golden tests). */
    public List<String> ruleNames() {
        return active().stream().map(f -> f.rule().id).toList();
    }
}
