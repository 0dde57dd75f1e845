package io.runbook.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.ServerVersion;

/**
 * Keeps the server honest about a runner being alive. A runner killed with SIGKILL (or whose machine
 * vanished) leaves its statement running on the server unless the server checks the client's socket
 * while it runs: client_connection_check_interval (PostgreSQL 14+) makes it end that statement within
 * about a second. idle_session_timeout is turned off for the runner's sessions, so that a server-wide
 * setting cannot end the session that holds the runbook's lock in the middle of a run.
 */
public final class Liveness {
    /** How often the server looks at a runner's socket while one of its statements runs. */
    public static final String CHECK_INTERVAL = "1s";

    /** Both, as a select list: another query on a session of a runner can set them in the same round trip. */
    public static final String SETTINGS = "set_config('client_connection_check_interval', '" + CHECK_INTERVAL
            + "', false), set_config('idle_session_timeout', '0', false)";

    /** Whether the server has both (14+): pgjdbc knows the version from the connection's start, no query. */
    public static boolean settable(Connection c) {
        try {
            // pgjdbc's own answer, without its DatabaseMetaData (a large class a run has no other use for)
            return c.unwrap(BaseConnection.class).haveMinimumServerVersion(ServerVersion.v14);
        } catch (SQLException e) {
            return false;
        }
    }

    private Liveness() {}

    /**
     * Sets both on the connection, outside a transaction. Returns null when done, else a note for the
     * operator saying what the server cannot do and what that means.
     */
    public static String protect(Connection c) {
        return protect(c, null);
    }

    /**
     * {@link #protect(Connection)}, and in the same statement the session's lock_timeout when given (a run's
     * default): one round trip for both. Null means all were set; after a note, lock_timeout was not set either.
     */
    public static String protect(Connection c, String lockTimeout) {
        if (!settable(c)) {
            int major;
            try {
                major = c.getMetaData().getDatabaseMajorVersion();
            } catch (SQLException e) {
                return null; // the connection is gone: the next statement says so
            }
            return "PostgreSQL " + major
                    + " has no client_connection_check_interval (14+): if this runner is killed, its running"
                    + " statement goes on to its end on the server; it keeps the runbook's lock until then, so no other runner starts meanwhile";
        }
        try (PreparedStatement s = c.prepareStatement(
                "select " + SETTINGS + (lockTimeout == null ? "" : ", set_config('lock_timeout', ?, false)"))) {
            if (lockTimeout != null) s.setString(1, lockTimeout);
            s.execute();
            return null;
        } catch (SQLException e) {
            return "cannot set client_connection_check_interval (" + e.getMessage()
                    + "): if this runner is killed, its running"
                    + " statement goes on to its end on the server; it keeps the runbook's lock until then";
        }
    }

    /** The shell's default for idle_in_transaction_session_timeout, when the server, role or database sets none. */
    public static final String SHELL_IDLE_IN_TRANSACTION = "15min";

    /**
     * A shell left alone with a transaction open would hold its locks forever: unless the server, role or
     * database already sets idle_in_transaction_session_timeout, the shell's session gets 15 minutes; the
     * server then ends the session and its transaction rolls back.
     */
    public static void abandonedShell(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("select set_config('idle_in_transaction_session_timeout', '" + SHELL_IDLE_IN_TRANSACTION
                    + "', false)" + " where current_setting('idle_in_transaction_session_timeout') in ('0', '0ms')");
        } catch (SQLException ignored) {
            // the connection is gone: the shell says so at its first command
        }
    }
}
