package io.runbook.eval;

import io.runbook.ast.Value;
import io.runbook.source.SqlText;

/** What the evaluator needs from a database: the values of `scalar $$...$$` and `count $$...$$`. */
public interface QueryRunner {
    Value scalar(SqlText sql, Scope scope);

    long count(SqlText sql, Scope scope);
}
