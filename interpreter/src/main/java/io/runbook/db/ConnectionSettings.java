package io.runbook.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.postgresql.PGProperty;

/**
 * Where and as whom to connect. {@code password} may be {@code null} (no password: trust, peer, certificates).
 * {@code properties} are extra pgjdbc connection properties under pgjdbc's names ({@code sslmode},
 * {@code ApplicationName}, {@code connectTimeout}, ...); they never hold the user or the password.
 *
 * <p>{@link #toString()} is {@link #describe()}: the password never reaches a log line through this record.
 */
public record ConnectionSettings(String host, int port, String database, String user, String password,
                                 Map<String, String> properties) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 5432;

    /** libpq environment variables besides PGHOST/PGPORT/PGUSER/PGDATABASE/PGPASSWORD, and their pgjdbc names. */
    private static final Map<String, String> ENV_PROPERTIES = Map.of(
            "PGAPPNAME", PGProperty.APPLICATION_NAME.getName(),
            "PGCONNECT_TIMEOUT", PGProperty.CONNECT_TIMEOUT.getName(),
            "PGSSLMODE", PGProperty.SSL_MODE.getName(),
            "PGSSLROOTCERT", PGProperty.SSL_ROOT_CERT.getName(),
            "PGSSLCERT", PGProperty.SSL_CERT.getName(),
            "PGSSLKEY", PGProperty.SSL_KEY.getName(),
            "PGOPTIONS", PGProperty.OPTIONS.getName());

    public ConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        TreeMap<String, String> copy = new TreeMap<>(properties == null ? Map.of() : properties);
        if (copy.containsKey(PGProperty.USER.getName()) || copy.containsKey(PGProperty.PASSWORD.getName())) {
            throw new IllegalArgumentException("user and password are fields, not properties");
        }
        properties = Collections.unmodifiableMap(copy);
    }

    /**
     * Resolves the settings the way libpq/psql do.
     *
     * <ol>
     *   <li>{@code dbOption} (the {@code --db} value) if non-null, else {@code DATABASE_URL} from {@code env} if set:
     *       a {@code postgresql://} / {@code postgres://} URI, a {@code jdbc:postgresql:} URL (parsed by pgjdbc, which
     *       supplies its own host/port defaults) or a libpq keyword/value string;</li>
     *   <li>whatever that leaves unspecified comes from PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD (and PGAPPNAME,
     *       PGCONNECT_TIMEOUT, PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, PGOPTIONS);</li>
     *   <li>then the defaults: localhost, 5432, {@code osUser}, the user name as database name;</li>
     *   <li>a still missing password is looked up in the password file ({@code passfile} parameter, else PGPASSFILE,
     *       else {@code ~/.pgpass}) with pgjdbc's own parser; files with group/world access are ignored, as by libpq.</li>
     * </ol>
     *
     * @param env    the environment to use (normally {@code System.getenv()}); never read directly
     * @param osUser the operating-system user name (normally {@code System.getProperty("user.name")})
     * @throws ConnectionConfigException if a value cannot be understood
     */
    public static ConnectionSettings resolve(String dbOption, Map<String, String> env, String osUser) {
        Map<String, String> e = env == null ? Map.of() : env;
        ConnectionStrings.Parts parts;
        if (dbOption != null) {
            parts = ConnectionStrings.parse(dbOption, "--db");
        } else if (notBlank(e.get("DATABASE_URL"))) {
            parts = ConnectionStrings.parse(e.get("DATABASE_URL"), "DATABASE_URL");
        } else {
            parts = new ConnectionStrings.Parts();
        }

        String host = parts.host;
        if (host == null && notBlank(e.get("PGHOST"))) {
            ConnectionStrings.setHost(parts, e.get("PGHOST").strip(), e.get("PGHOST"), "PGHOST");
            host = parts.host;
        }
        if (host == null) {
            host = DEFAULT_HOST;
        }

        int port;
        if (parts.port != null) {
            port = parsePort(parts.port, dbOption != null ? "--db" : "DATABASE_URL",
                    dbOption != null ? dbOption : e.get("DATABASE_URL"));
        } else if (notBlank(e.get("PGPORT"))) {
            port = parsePort(e.get("PGPORT").strip(), "PGPORT", e.get("PGPORT"));
        } else {
            port = DEFAULT_PORT;
        }

        String user = firstNonBlank(parts.user, e.get("PGUSER"), osUser, System.getProperty("user.name"));
        String database = firstNonBlank(parts.dbname, e.get("PGDATABASE"), user);

        Map<String, String> props = new TreeMap<>(parts.properties);
        for (Map.Entry<String, String> envProp : ENV_PROPERTIES.entrySet()) {
            String v = e.get(envProp.getKey());
            if (notBlank(v)) {
                props.putIfAbsent(envProp.getValue(), v);
            }
        }
        if (parts.fallbackApplicationName != null) {
            props.putIfAbsent(PGProperty.APPLICATION_NAME.getName(), parts.fallbackApplicationName);
        }
        String timeout = props.get(PGProperty.CONNECT_TIMEOUT.getName());
        if (timeout != null && !timeout.strip().matches("\\d{1,9}")) {
            throw new ConnectionConfigException("connect_timeout", timeout, "not a whole number of seconds");
        }

        String password = parts.password;
        if (password == null && e.get("PGPASSWORD") != null) {
            password = e.get("PGPASSWORD");
        }
        if (password == null || password.isEmpty()) { // libpq: an empty password also consults the file
            String fromFile = PgPass.lookup(PgPass.file(parts.passfile, e), host, port, database, user);
            if (fromFile != null) {
                password = fromFile;
            }
        }
        return new ConnectionSettings(host, port, database, user, password, props);
    }

    /** {@code jdbc:postgresql://host:port/database}, without user, password or properties. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** {@code user@host:port/database}: for messages and logs; never contains the password. */
    public String describe() {
        return user + "@" + hostForUrl() + ":" + port + "/" + database;
    }

    /** Same as {@link #describe()}, so that the password cannot reach a log through string concatenation. */
    @Override
    public String toString() {
        return describe();
    }

    /** A copy with another database name, e.g. to connect to {@code postgres} for CREATE DATABASE. */
    public ConnectionSettings withDatabase(String otherDatabase) {
        return new ConnectionSettings(host, port, otherDatabase, user, password, properties);
    }

    private String hostForUrl() {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static int parsePort(String value, String source, String raw) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConnectionConfigException(source, raw, "port \"" + value + "\" is not a number from 1 to 65535");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (notBlank(v)) {
                return v;
            }
        }
        throw new ConnectionConfigException("user", "", "no user name: give one in --db, PGUSER or as the OS user");
    }
}
