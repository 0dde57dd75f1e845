package io.runbook.run;

import io.runbook.source.Pos;
import io.runbook.source.SqlText;
import io.runbook.sql.SqlStatement;

/** A statement and the source text its offsets are relative to, so errors map back to file:line:col. */
public record Located(SqlStatement statement, SqlText origin) {
    public Pos posAt(int offsetInStatement) {
        return origin.posAt(statement.start() + offsetInStatement);
    }

    public Pos pos() {
        return posAt(0);
    }
}
