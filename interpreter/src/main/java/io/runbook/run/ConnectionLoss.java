package io.runbook.run;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/** The one rule for "the connection to the database is gone", for every caller: steps, journal, shell, commands. */
public final class ConnectionLoss {
    private ConnectionLoss() {}

    /** Class 08 (connection exception) and 57P01-03 (admin shutdown, crash): the session is gone. */
    public static boolean is(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    /** As above; an error without SQLSTATE that did not come from the server is the client's I/O: gone too. */
    public static boolean is(SQLException e) {
        String state = e.getSQLState();
        if (state != null) return is(state);
        return !(e instanceof PSQLException p && p.getServerErrorMessage() != null);
    }
}
