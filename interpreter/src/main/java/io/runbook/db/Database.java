package io.runbook.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * A small HikariCP pool (at most 2 connections) over pgjdbc.
 *
 * <p>Startup is tuned for a command-line tool that is waited on:
 * <ul>
 *   <li>{@link #open} makes one connection itself, straight through pgjdbc's {@link Driver} (no DriverManager, no
 *       login-timeout thread). A failure is reported at once as a {@link ConnectionFailedException} (Hikari's own
 *       fail-fast check sleeps a second before giving up);</li>
 *   <li>that connection is handed to the pool as its first connection, so the first {@link #connection()} does not
 *       connect again (Hikari's check with {@code minimumIdle=0} would close its connection and open another);</li>
 *   <li>{@code minimumIdle=0}: no background filling — with 1, Hikari's housekeeper opens a second, unused connection
 *       100 ms after start as soon as the first is borrowed.</li>
 * </ul>
 * The password is given to pgjdbc only; Hikari never sees it, and the data source's {@code toString()} is
 * {@link ConnectionSettings#describe()}.
 */
public final class Database implements AutoCloseable {
    /** Connection timeout (seconds) unless the settings give {@code connect_timeout}. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    public static final int MAX_POOL_SIZE = 2;

    private static final Driver DRIVER = new Driver();

    private final ConnectionSettings settings;
    private final HikariDataSource pool;
    private final HandOverDataSource dataSource;

    private Database(ConnectionSettings settings, HikariDataSource pool, HandOverDataSource dataSource) {
        this.settings = settings;
        this.pool = pool;
        this.dataSource = dataSource;
    }

    /**
     * Connects (once, synchronously) and starts the pool.
     *
     * @param applicationName shown in {@code pg_stat_activity}, unless the settings give {@code application_name}
     * @throws ConnectionFailedException if the server cannot be reached or refuses the connection
     */
    public static Database open(ConnectionSettings s, String applicationName) {
        Properties props = new Properties();
        props.putAll(s.properties());
        props.putIfAbsent(PGProperty.APPLICATION_NAME.getName(), applicationName == null ? "runbook" : applicationName);
        props.putIfAbsent(PGProperty.CONNECT_TIMEOUT.getName(), String.valueOf(DEFAULT_CONNECT_TIMEOUT_SECONDS));
        props.setProperty(PGProperty.USER.getName(), s.user());
        if (s.password() != null) {
            props.setProperty(PGProperty.PASSWORD.getName(), s.password());
        }
        if (s.socketFile() != null) { // pgjdbc speaks TCP only; junixsocket gives it a Unix-domain socket
            props.setProperty(PGProperty.SOCKET_FACTORY.getName(), ConnectionSettings.UNIX_SOCKET_FACTORY);
            props.setProperty(PGProperty.SOCKET_FACTORY_ARG.getName(), s.socketFile());
        }
        HandOverDataSource ds = new HandOverDataSource(s.jdbcUrl(), props, s.describe());

        Connection first;
        try {
            first = ds.connect();
        } catch (SQLException | RuntimeException e) {
            throw ConnectionFailedException.of(s, e);
        }
        ds.handOver(first);

        HikariConfig config = new HikariConfig();
        config.setPoolName("runbook");
        config.setDataSource(ds);
        config.setMaximumPoolSize(MAX_POOL_SIZE);
        config.setMinimumIdle(0);
        // how long connection() waits for a free or new connection
        config.setConnectionTimeout(1000L * Math.max(DEFAULT_CONNECT_TIMEOUT_SECONDS, timeoutSeconds(props)));
        config.setInitializationFailTimeout(-1); // checked above, without Hikari's one-second sleep on failure
        try {
            return new Database(s, new HikariDataSource(config), ds);
        } catch (RuntimeException e) {
            ds.closeUnused();
            throw ConnectionFailedException.of(s, e);
        }
    }

    /** A connection from the pool; close it to give it back. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** Closes the pool and all its connections. */
    @Override
    public void close() {
        pool.close();
        dataSource.closeUnused();
    }

    @Override
    public String toString() {
        return "Database[" + settings.describe() + "]";
    }

    private static int timeoutSeconds(Properties props) {
        try {
            return Integer.parseInt(
                    props.getProperty(PGProperty.CONNECT_TIMEOUT.getName()).strip());
        } catch (RuntimeException e) {
            return DEFAULT_CONNECT_TIMEOUT_SECONDS;
        }
    }

    /**
     * Connects through pgjdbc's driver with the URL (no credentials) and the properties (with credentials); returns
     * the connection made by {@link #open} once, as the pool's first connection.
     */
    private static final class HandOverDataSource implements DataSource {
        private final String url;
        private final Properties props;
        private final String description;
        private final AtomicReference<Connection> handedOver = new AtomicReference<>();
        private volatile int loginTimeout;

        HandOverDataSource(String url, Properties props, String description) {
            this.url = url;
            this.props = props;
            this.description = description;
        }

        Connection connect() throws SQLException {
            Properties copy = new Properties();
            copy.putAll(props);
            Connection c = DRIVER.connect(url, copy);
            if (c == null) {
                throw new SQLException("pgjdbc does not accept the URL " + url, "08001");
            }
            return c;
        }

        void handOver(Connection c) {
            handedOver.set(c);
        }

        void closeUnused() {
            Connection c = handedOver.getAndSet(null);
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = handedOver.getAndSet(null);
            if (c != null && !c.isClosed()) {
                return c;
            }
            return connect();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("credentials come from the connection settings");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // pgjdbc logs through java.util.logging
        }

        /** Hikari sets this; not passed on (pgjdbc would start a thread per connection attempt). */
        @Override
        public void setLoginTimeout(int seconds) {
            loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("org.postgresql");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper for " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }

        @Override
        public String toString() {
            return "pgjdbc " + description;
        }
    }
}
