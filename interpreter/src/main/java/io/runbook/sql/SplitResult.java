package io.runbook.sql;

import java.util.List;

/** The statements of a SQL source, in source order, and any problems found while splitting. */
public record SplitResult(List<SqlStatement> statements, List<SqlProblem> problems) {

    public SplitResult {
        statements = List.copyOf(statements);
        problems = List.copyOf(problems);
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }
}
