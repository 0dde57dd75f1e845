package io.runbook.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.postgresql.PGProperty;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.util.HostSpec;

/**
 * The connections of one command to one database, straight from pgjdbc's {@link PgConnection}: a command holds each
 * of its connections (two: the runner's and the journal's; a `parallel` keyset batch one more per extra range for
 * the batch's length) for its whole life, so a pool would reuse nothing; starting HikariCP cost a run more than its
 * first statement (its threads, its checks on every new connection, and the logging it brings up).
 *
 * <ul>
 *   <li>{@link #open} connects once, synchronously, and a failure is reported at once as a
 *       {@link ConnectionFailedException}; that connection is the first {@link #connection()};</li>
 *   <li>no DriverManager and no pgjdbc login timeout (it starts a thread per connection attempt):
 *       {@code connect_timeout} bounds the connection instead;</li>
 *   <li>not even pgjdbc's {@code Driver}: it would register with DriverManager, look for
 *       {@code driverconfig.properties} on the class path, parse a URL back into the properties the settings hold
 *       already and read the password file a second time (the settings did), on every connection;</li>
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

    /** Which database opened each connection still open: where a step that needs more connections opens them. */
    private static final Map<Connection, Database> OWNERS = Collections.synchronizedMap(new WeakHashMap<>());

    private final ConnectionSettings settings;
    private final String url;
    private final HostSpec[] hosts;
    private final Properties props;
    private final List<Connection> opened = new ArrayList<>();
    private Connection first;
    /** The next connection, being made on a thread of its own ({@link #openAhead()}), or null. */
    private FutureTask<Connection> ahead;

    private boolean closed;

    private Database(ConnectionSettings settings, String url, HostSpec[] hosts, Properties props) {
        this.settings = settings;
        this.url = url;
        this.hosts = hosts;
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
        // What pgjdbc's Driver would have put there from the URL: the host list, the ports, the database.
        List<ConnectionSettings.Endpoint> endpoints = s.endpoints();
        HostSpec[] hosts = new HostSpec[endpoints.size()];
        String local = props.getProperty(PGProperty.LOCAL_SOCKET_ADDRESS.getName());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            ConnectionSettings.Endpoint e = endpoints.get(i);
            // over a Unix-domain socket the socket factory decides where to go; the host is a placeholder
            names.add(e.socket() ? ConnectionSettings.DEFAULT_HOST : e.host());
            hosts[i] = new HostSpec(names.get(i), e.port(), local);
        }
        props.setProperty(PGProperty.PG_HOST.getName(), String.join(",", names));
        props.setProperty(PGProperty.PG_PORT.getName(), s.libpqPorts());
        props.setProperty(PGProperty.PG_DBNAME.getName(), s.database());
        Database db = new Database(s, s.jdbcUrl(), hosts, props);
        try {
            db.first = db.connect();
        } catch (SQLException | RuntimeException e) {
            throw ConnectionFailedException.of(s, e);
        }
        return db;
    }

    /** A connection of its own (the first is the one {@link #open} made); close it when done with it. */
    public Connection connection() throws SQLException {
        FutureTask<Connection> next;
        synchronized (opened) {
            Connection c = first;
            first = null;
            if (c != null && !c.isClosed()) return c;
            next = ahead;
            ahead = null;
        }
        if (next == null) return connect();
        try {
            return next.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException x) throw x;
            if (e.getCause() instanceof RuntimeException x) throw x;
            throw new SQLException("cannot connect: " + e.getCause(), "08001", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while connecting", "08001", e);
        }
    }

    /**
     * Begins making the connection after the first on a thread of its own, for a command that will want two: the
     * server's answers to one come while the command works on the other. The next {@link #connection()} after the
     * first takes it, waiting for it if need be; made after {@link #close()}, it is closed at once.
     */
    public Database openAhead() {
        FutureTask<Connection> task = new FutureTask<>(this::connect);
        synchronized (opened) {
            if (closed || ahead != null) return this;
            ahead = task;
        }
        Thread t = new Thread(task, "runbook connect");
        t.setDaemon(true); // a command that ends early does not wait for a slow server
        t.start();
        return this;
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
            ahead = null;
            closed = true;
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
        Connection c = new PgConnection(hosts, copy, url);
        synchronized (opened) {
            if (closed) { // made ahead for a command that has ended meanwhile
                c.close();
                throw new SQLException("the connections to " + settings.describe() + " are closed", "08003");
            }
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
