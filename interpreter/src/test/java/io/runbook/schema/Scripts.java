package io.runbook.schema;

import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs a SQL script statement by statement, split the way runbook splits (BEGIN ATOMIC bodies, dollar quotes). */
final class Scripts {
    private Scripts() {}

    static void run(TestDatabase db, String script) {
        var split = SqlSplitter.split(script);
        if (split.hasProblems())
            throw new IllegalArgumentException(split.problems().toString());
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (SqlStatement st : split.statements()) {
                try {
                    s.execute(st.text());
                } catch (SQLException e) {
                    throw new IllegalStateException(st.text() + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
