package io.runbook.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The connections of one command to one database, straight from pgjdbc's {@link Driver}: a command holds each of its
 * connections (two: the runner's and the journal's; a `parallel` keyset batch one more per extra range for the
 * batch's length) for its whole life, so a pool would reuse nothing; starting HikariCP cost a run more
 * than its first statement (its threads, its checks on every new connection, and the logging it brings up).
 *
 * <ul>
 *   <li>{@link #open} connects once, synchronously, and a failure is reported at once as a
 *       {@link ConnectionFailedException}; that connection is the first {@link #connection()};</li>
 *   <li>no DriverManager and no pgjdbc login timeout (it starts a thread per connection attempt):
 *       {@code connect_timeout} bounds the connection instead;</li>
 *   <li>{@code assumeMinServerVersion}: application_name and the float format go in the start-up packet, rather than
 *       a {@code SET} round trip after it;</li>
 *   <li>{@link #close()} closes every connection still open, so the server sees the sessions end.</li>
 * </ul>
 * The password is given to pgjdbc only; {@code toString()} is {@link ConnectionSettings#describe()}.
 */
public final class Database implements AutoCloseable {
    /** Connection timeout (seconds) unless the settings give {@code connect_timeout}. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    /** Every PostgreSQL that runbook supports is newer: see the class comment. */
    private static final String ASSUME_MIN_SERVER_VERSION = "10";

    private static final Driver DRIVER = new Driver();

    /** Which database opened each connection still open: where a step that needs more connections opens them. */
    private static final Map<Connection, Database> OWNERS = Collections.synchronizedMap(new WeakHashMap<>());

    private final ConnectionSettings settings;
    private final String url;
    private final Properties props;
    private final List<Connection> opened = new ArrayList<>();
    private Connection first;

    private Database(ConnectionSettings settings, String url, Properties props) {
        this.settings = settings;
        this.url = url;
        this.props = props;
    }

    /**
     * Connects (once, synchronously).
     *
     * @param applicationName shown in {@code pg_stat_activity}, unless the settings give {@code application_name}
     * @throws ConnectionFailedException if the server cannot be reached or refuses the connection
     */
    public static Database open(ConnectionSettings s, String applicationName) {
        Properties props = new Properties();
        props.putAll(s.properties());
        props.putIfAbsent(PGProperty.APPLICATION_NAME.getName(), applicationName == null ? "runbook" : applicationName);
        props.putIfAbsent(PGProperty.CONNECT_TIMEOUT.getName(), String.valueOf(DEFAULT_CONNECT_TIMEOUT_SECONDS));
        props.putIfAbsent(PGProperty.ASSUME_MIN_SERVER_VERSION.getName(), ASSUME_MIN_SERVER_VERSION);
        props.setProperty(PGProperty.USER.getName(), s.user());
        if (s.password() != null) {
            props.setProperty(PGProperty.PASSWORD.getName(), s.password());
        }
        if (s.socketFile() != null) { // pgjdbc speaks TCP only; junixsocket gives it a Unix-domain socket
            props.setProperty(PGProperty.SOCKET_FACTORY.getName(), ConnectionSettings.UNIX_SOCKET_FACTORY);
            props.setProperty(PGProperty.SOCKET_FACTORY_ARG.getName(), s.socketFile());
        }
        Database db = new Database(s, s.jdbcUrl(), props);
        try {
            db.first = db.connect();
        } catch (SQLException | RuntimeException e) {
            throw ConnectionFailedException.of(s, e);
        }
        return db;
    }

    /** A connection of its own (the first is the one {@link #open} made); close it when done with it. */
    public Connection connection() throws SQLException {
        synchronized (opened) {
            Connection c = first;
            first = null;
            if (c != null && !c.isClosed()) return c;
        }
        return connect();
    }

    /**
     * The database that opened c, or null when c was not opened here: a step that needs connections of its own
     * beside the runner's (a `parallel` keyset batch) opens them there, with the same settings and password.
     */
    public static Database of(Connection c) {
        return OWNERS.get(c);
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** Closes every connection still open: each session ends on the server as its client says goodbye. */
    @Override
    public void close() {
        List<Connection> all;
        synchronized (opened) {
            all = List.copyOf(opened);
            opened.clear();
            first = null;
        }
        all.forEach(OWNERS::remove);
        for (Connection c : all) {
            try {
                c.close(); // a no-op for one its user closed already
            } catch (SQLException ignored) {
                // closing anyway: the server ends the session when the socket goes
            }
        }
    }

    @Override
    public String toString() {
        return "Database[" + settings.describe() + "]";
    }

    private Connection connect() throws SQLException {
        Properties copy = new Properties();
        copy.putAll(props);
        Connection c = DRIVER.connect(url, copy);
        if (c == null) {
            throw new SQLException("pgjdbc does not accept the URL " + settings.describe(), "08001");
        }
        synchronized (opened) {
            opened.removeIf(o -> {
                try {
                    return o.isClosed();
                } catch (SQLException e) {
                    return true;
                }
            });
            opened.add(c);
        }
        OWNERS.put(c, this);
        return c;
    }
}
