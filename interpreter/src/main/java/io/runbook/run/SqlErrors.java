package io.runbook.run;

import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import io.runbook.sql.PsqlVariables;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Maps a server error back into the .sql file or the inline block it came from. */
final class SqlErrors {
    private SqlErrors() {}

    static SqlFailure failure(SQLException e, Located at, PsqlVariables.Substituted sent) {
        SQLException cause = e.getNextException() != null && !(e instanceof PSQLException) ? e.getNextException() : e;
        ServerErrorMessage server = cause instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String state = cause.getSQLState();
        Pos pos = at.pos();
        List<String> details = new ArrayList<>();
        String message;
        String hint = null;
        if (server != null) {
            message = server.getMessage();
            if (server.getPosition() > 0 && sent != null) {
                pos = at.posAt(sent.toStatementOffset().applyAsInt(server.getPosition() - 1));
            }
            if (server.getDetail() != null) details.add("DETAIL: " + server.getDetail());
            if (server.getWhere() != null)
                details.add("WHERE: " + server.getWhere().replace("\n", "; "));
            hint = server.getHint();
        } else {
            message = cause.getMessage();
        }
        details.add("SQLSTATE " + state);
        if (hint == null) hint = defaultHint(state);
        return new SqlFailure(new Diagnostic(pos, message, List.copyOf(details), hint), state);
    }

    private static String defaultHint(String state) {
        if (state == null) return null;
        if (ConnectionLoss.is(state))
            return "the connection to the server was lost: check that the database is reachable";
        return switch (state) {
            case "57014" -> "the statement was cancelled (Ctrl-C or statement_timeout)";
            case "55P03" ->
                "another session holds a lock this statement needs (lock_timeout expired): find it in pg_locks/pg_stat_activity and re-run";
            case "25006" -> "preflight runs read-only: move statements that change data into a phase";
            case "40P01" -> "deadlock with another session: re-run when the other work is done";
            default -> "fix the SQL at the position shown";
        };
    }
}
