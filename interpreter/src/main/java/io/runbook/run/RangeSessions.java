package io.runbook.run;

import io.runbook.ast.Step;
import io.runbook.db.Database;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions a `parallel` keyset batch opens beside the run's own, from the database that opened the run's
 * connection, so with the same settings and password. Each is made to behave as the run's session does: every
 * setting the run's session changed (the runbook's `set`s, lock_timeout, the liveness settings, synchronous_commit
 * off for the ranges, the role) is set on it too. Ctrl-C cancels them with the run's session.
 */
final class RangeSessions {
    /** What the run's session changed: the runbook's settings and the run's own; the role, which pg_settings hides. */
    private static final String CHANGED = "select name, current_setting(name) from pg_settings where source = 'session'"
            + " union all select 'role', current_setting('role') where current_setting('role') <> 'none'";

    private RangeSessions() {}

    /** count more sessions, or none (with a note) when the run's connection was not opened by runbook. */
    static List<Session> open(StepRunner in, int count, Step.Keyset k) {
        Database db = Database.of(in.session().connection());
        if (db == null) {
            in.emit(new RunEvent.Note("parallel: this run's connection was not opened by runbook, so it opens no more;"
                    + " the ranges run one at a time"));
            return List.of();
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (Statement st = in.session().connection().createStatement();
                ResultSet rs = st.executeQuery(CHANGED)) {
            while (rs.next()) {
                names.add(rs.getString(1));
                values.add(rs.getString(2));
            }
        } catch (SQLException e) {
            throw Engine.lost(e);
        }
        List<Session> out = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Connection c = db.connection();
                Session s = new Session(c);
                out.add(s);
                in.engine.aside.add(s);
                try (PreparedStatement ps = c.prepareStatement(
                        "select set_config(n, v, false) from unnest(?::text[], ?::text[]) as s(n, v)")) {
                    ps.setArray(1, c.createArrayOf("text", names.toArray()));
                    ps.setArray(2, c.createArrayOf("text", values.toArray()));
                    ps.executeQuery().close();
                }
            }
            return out;
        } catch (SQLException e) {
            for (Session s : out) {
                in.engine.aside.remove(s);
                s.close();
            }
            throw new Failure(
                    ExitCode.CONNECTION,
                    new Diagnostic(
                            k.parallel().pos(),
                            "parallel " + (count + 1) + ": cannot open session " + (out.size() + 1) + " of " + count
                                    + " more for the ranges: " + e.getMessage(),
                            "nothing of the batch ran; lower `parallel`, or check the server's max_connections"),
                    e.getSQLState());
        }
    }
}
