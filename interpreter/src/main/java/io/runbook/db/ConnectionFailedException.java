package io.runbook.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The database could not be reached or refused us. The message is
 * {@code cannot connect to user@host:port/database: <server or driver message>}; {@link #hint()} says what to
 * check. Never contains the password.
 */
public final class ConnectionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the connection failed, as far as can be told. */
    public enum Reason {
        REFUSED,
        AUTHENTICATION,
        NO_SUCH_DATABASE,
        UNKNOWN_HOST,
        TIMEOUT,
        TOO_MANY_CONNECTIONS,
        SERVER_STARTING_OR_STOPPING,
        SSL,
        PROTOCOL,
        OTHER
    }

    private final transient ConnectionSettings settings;
    private final Reason reason;
    private final String sqlState;
    private final String hint;

    private ConnectionFailedException(
            String message, ConnectionSettings settings, Reason reason, String sqlState, String hint, Throwable cause) {
        super(message, cause);
        this.settings = settings;
        this.reason = reason;
        this.sqlState = sqlState;
        this.hint = hint;
    }

    /**
     * Classifies a connection failure, found inside any wrappers: the underlying {@code PSQLException} / socket
     * exception.
     */
    public static ConnectionFailedException of(ConnectionSettings settings, Throwable failure) {
        Throwable t = failure;
        SQLException sql = find(t, SQLException.class);
        String sqlState = sql == null ? null : sql.getSQLState();
        String detail = sql != null && sql.getMessage() != null ? sql.getMessage() : String.valueOf(t.getMessage());

        Reason reason;
        String hint;
        String server = settings.socketFile() != null
                ? "socket " + settings.socketFile()
                : String.join(
                        ", ",
                        settings.endpoints().stream()
                                .map(ConnectionSettings.Endpoint::toString)
                                .toList());
        if (("28P01".equals(sqlState) || "28000".equals(sqlState))
                && detail.contains("role")
                && detail.contains("does not exist")) {
            reason = Reason.AUTHENTICATION;
            hint = "there is no user (role) \"" + settings.user() + "\" on the server: check the user name in --db /"
                    + " PGUSER (it defaults to the OS user), or create the role";
        } else if ("28P01".equals(sqlState) || "28000".equals(sqlState)) {
            reason = Reason.AUTHENTICATION;
            hint = "authentication failed for user \"" + settings.user() + "\": check the user and password in --db,"
                    + " PGUSER / PGPASSWORD, ~/.pgpass (PGPASSFILE), and the server's pg_hba.conf";
        } else if ("3D000".equals(sqlState)) {
            reason = Reason.NO_SUCH_DATABASE;
            hint = "database \"" + settings.database() + "\" does not exist: create it (createdb -h " + settings.host()
                    + " -p " + settings.port() + " -U " + settings.user() + " " + settings.database()
                    + ") or check the name in --db / PGDATABASE";
        } else if ("53300".equals(sqlState)) {
            reason = Reason.TOO_MANY_CONNECTIONS;
            hint = "the server has no free connection slots: wait, or raise max_connections / close idle sessions";
        } else if ("57P03".equals(sqlState)) {
            reason = Reason.SERVER_STARTING_OR_STOPPING;
            hint = "the server is starting up or shutting down: retry in a moment";
        } else if (find(t, UnknownHostException.class) != null) {
            reason = Reason.UNKNOWN_HOST;
            detail = appendCause(detail, find(t, UnknownHostException.class), "unknown host ");
            hint = "host \"" + settings.host() + "\" could not be resolved: check the host name in --db / PGHOST";
        } else if (find(t, ConnectException.class) != null
                || find(t, NoRouteToHostException.class) != null
                || detail.contains("refused")) {
            reason = Reason.REFUSED;
            hint = settings.socketFile() != null
                    ? "nothing accepted the connection at " + server + ": is the PostgreSQL server running, with its"
                            + " socket in that directory (show unix_socket_directories) and that port? check host and port in"
                            + " --db / PGHOST / PGPORT"
                    : "nothing accepted the connection at " + server + ": is the PostgreSQL server running there and"
                            + " listening on TCP (listen_addresses)? check the host and port in --db / PGHOST / PGPORT";
        } else if (find(t, SocketTimeoutException.class) != null
                || detail.toLowerCase(Locale.ROOT).contains("timed out")) {
            reason = Reason.TIMEOUT;
            hint = "no answer from " + server + " in time: check the host and port, firewalls and network, or raise"
                    + " connect_timeout";
        } else if (detail.contains("SSL")) {
            reason = Reason.SSL;
            hint = "SSL negotiation failed: check sslmode (disable, prefer, require, verify-ca, verify-full) and the"
                    + " server's SSL setup, and that " + server + " is a PostgreSQL server at all";
        } else if ("08P01".equals(sqlState)) {
            reason = Reason.PROTOCOL;
            hint = "the other side did not speak the PostgreSQL protocol: is " + server + " really a PostgreSQL"
                    + " server? check the host and port in --db / PGHOST / PGPORT";
        } else {
            reason = Reason.OTHER;
            hint = "check the connection settings (--db, DATABASE_URL, PGHOST, PGPORT, PGUSER, PGDATABASE)";
        }
        String message = "cannot connect to " + settings.describe() + ": " + detail;
        return new ConnectionFailedException(message, settings, reason, sqlState, hint, failure);
    }

    /** What the operator should check, e.g. whether the server is running. */
    public String hint() {
        return hint;
    }

    public Reason reason() {
        return reason;
    }

    /** The SQLSTATE of the underlying error (e.g. {@code 3D000}, {@code 28P01}, {@code 08001}), or {@code null}. */
    public String sqlState() {
        return sqlState;
    }

    /** The settings of the failed attempt (may be {@code null} after deserialization). */
    public ConnectionSettings settings() {
        return settings;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String appendCause(String detail, Throwable cause, String prefix) {
        String m = cause.getMessage();
        if (m == null || detail.contains(m)) {
            return detail;
        }
        return detail + " (" + prefix + m + ")";
    }
}
