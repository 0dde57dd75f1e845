package io.runbook.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.postgresql.PGProperty;

/**
 * Where and as whom to connect. {@code endpoints} are the hosts to try in order (libpq's comma-separated
 * {@code host} and {@code port}); a host that starts with {@code /} is a Unix-socket directory, and is then the only
 * endpoint. {@code password} may be {@code null} (no password: trust, peer, certificates). {@code properties} are
 * extra pgjdbc connection properties under pgjdbc's names ({@code sslmode}, {@code ApplicationName},
 * {@code targetServerType}, ...); they never hold the user or the password.
 *
 * <p>{@link #toString()} is {@link #describe()}: the password never reaches a log line through this record.
 */
public record ConnectionSettings(
        List<Endpoint> endpoints, String database, String user, String password, Map<String, String> properties) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 5432;

    /** pgjdbc's socket factory for Unix-domain sockets (junixsocket); its argument is the socket file. */
    static final String UNIX_SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    /** One host (or socket directory) and port. */
    public record Endpoint(String host, int port) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host is blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range");
            }
        }

        /** A Unix-domain socket directory, as in libpq: the host starts with "/". */
        public boolean socket() {
            return host.startsWith("/");
        }

        /** The socket file libpq would open: {@code DIR/.s.PGSQL.PORT}. */
        public String socketFile() {
            return (host.endsWith("/") ? host : host + "/") + ".s.PGSQL." + port;
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

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
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (endpoints.size() > 1 && endpoints.stream().anyMatch(Endpoint::socket)) {
            throw new IllegalArgumentException("a Unix-domain socket cannot be one of several hosts");
        }
        TreeMap<String, String> copy = new TreeMap<>(properties == null ? Map.of() : properties);
        if (copy.containsKey(PGProperty.USER.getName()) || copy.containsKey(PGProperty.PASSWORD.getName())) {
            throw new IllegalArgumentException("user and password are fields, not properties");
        }
        properties = Collections.unmodifiableMap(copy);
    }

    /** One host and port. */
    public ConnectionSettings(
            String host, int port, String database, String user, String password, Map<String, String> properties) {
        this(List.of(new Endpoint(host, port)), database, user, password, properties);
    }

    /** The first (or only) host, or socket directory. */
    public String host() {
        return endpoints.get(0).host();
    }

    /** The first (or only) port. */
    public int port() {
        return endpoints.get(0).port();
    }

    /** The socket file when connecting over a Unix-domain socket, else {@code null}. */
    public String socketFile() {
        return endpoints.get(0).socket() ? endpoints.get(0).socketFile() : null;
    }

    /** The hosts as libpq takes them in PGHOST: {@code h1,h2} (or the socket directory). */
    public String libpqHosts() {
        return String.join(",", endpoints.stream().map(Endpoint::host).toList());
    }

    /** The ports as libpq takes them in PGPORT: {@code 5432,5433}. */
    public String libpqPorts() {
        return String.join(
                ",", endpoints.stream().map(e -> String.valueOf(e.port())).toList());
    }

    /**
     * Where a run would go and why, or {@code null} when nothing names a target at all (no {@code --db}, no
     * DATABASE_URL, no PGHOST / PGHOSTADDR / PGDATABASE / PGSERVICE): then {@link #resolve} would only guess
     * (localhost, the OS user's database), which commands that change a database must refuse.
     */
    public static String targetSource(String dbOption, Map<String, String> env) {
        Map<String, String> e = env == null ? Map.of() : env;
        if (dbOption != null) {
            return "--db";
        }
        if (notBlank(e.get("DATABASE_URL"))) {
            return "DATABASE_URL";
        }
        List<String> vars = new ArrayList<>();
        for (String v : List.of("PGSERVICE", "PGHOST", "PGHOSTADDR", "PGDATABASE")) {
            if (notBlank(e.get(v))) {
                vars.add(v);
            }
        }
        return vars.isEmpty() ? null : String.join(", ", vars);
    }

    /**
     * Resolves the settings the way libpq/psql do.
     *
     * <ol>
     *   <li>{@code dbOption} (the {@code --db} value) if non-null, else {@code DATABASE_URL} from {@code env} if set:
     *       a {@code postgresql://} / {@code postgres://} URI, a {@code jdbc:postgresql:} URL (parsed by pgjdbc, which
     *       supplies its own host/port defaults) or a libpq keyword/value string;</li>
     *   <li>a {@code service=} there, else PGSERVICE, fills what is unspecified from the connection service file
     *       (PGSERVICEFILE, else {@code ~/.pg_service.conf}, else PGSYSCONFDIR/pg_service.conf), read by pgjdbc's
     *       own parser;</li>
     *   <li>whatever is still unspecified comes from PGHOST (a directory: a Unix-domain socket), PGPORT, PGUSER,
     *       PGDATABASE, PGPASSWORD (and PGAPPNAME, PGCONNECT_TIMEOUT, PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY,
     *       PGOPTIONS, PGTARGETSESSIONATTRS);</li>
     *   <li>then the defaults: localhost, 5432, {@code osUser}, the user name as database name;</li>
     *   <li>a still missing password is looked up in the password file ({@code passfile} parameter, else PGPASSFILE,
     *       else {@code ~/.pgpass}) with pgjdbc's own parser; files with group/world access are ignored, as by libpq.</li>
     * </ol>
     * Several hosts ({@code host=a,b port=5432,5433}, {@code postgresql://a:5432,b:5433/db}) are tried in order, as
     * libpq does; {@code target_session_attrs} picks among them (pgjdbc's {@code targetServerType}).
     *
     * @param env    the environment to use (normally {@code System.getenv()}); never read directly
     * @param osUser the operating-system user name (normally {@code System.getProperty("user.name")})
     * @throws ConnectionConfigException if a value cannot be understood
     */
    public static ConnectionSettings resolve(String dbOption, Map<String, String> env, String osUser) {
        Map<String, String> e = env == null ? Map.of() : env;
        ConnectionStrings.Parts parts;
        String source;
        if (dbOption != null) {
            parts = ConnectionStrings.parse(dbOption, "--db");
            source = "--db";
        } else if (notBlank(e.get("DATABASE_URL"))) {
            parts = ConnectionStrings.parse(e.get("DATABASE_URL"), "DATABASE_URL");
            source = "DATABASE_URL";
        } else {
            parts = new ConnectionStrings.Parts();
            source = "PGHOST";
        }
        String service = parts.service != null
                ? parts.service
                : notBlank(e.get("PGSERVICE")) ? e.get("PGSERVICE").strip() : null;
        if (service != null) {
            ServiceFile.apply(parts, service, e);
        }
        String raw = dbOption != null ? dbOption : e.get("DATABASE_URL");

        if (parts.host == null && notBlank(e.get("PGHOST"))) {
            ConnectionStrings.setHost(parts, e.get("PGHOST").strip(), e.get("PGHOST"), "PGHOST");
        }
        if (parts.host == null && notBlank(e.get("PGHOSTADDR"))) {
            ConnectionStrings.setHost(parts, e.get("PGHOSTADDR").strip(), e.get("PGHOSTADDR"), "PGHOSTADDR");
        }
        String portSource = parts.port != null ? source : "PGPORT";
        String portRaw = parts.port != null
                ? parts.port
                : notBlank(e.get("PGPORT")) ? e.get("PGPORT").strip() : null;
        List<Endpoint> endpoints =
                endpoints(parts.host, portRaw, portSource, portSource.equals("PGPORT") ? e.get("PGPORT") : raw);

        String user = firstNonBlank(parts.user, e.get("PGUSER"), osUser, System.getProperty("user.name"));
        String database = firstNonBlank(parts.dbname, e.get("PGDATABASE"), user);

        Map<String, String> props = new TreeMap<>(parts.properties);
        for (Map.Entry<String, String> envProp : ENV_PROPERTIES.entrySet()) {
            String v = e.get(envProp.getKey());
            if (notBlank(v)) {
                props.putIfAbsent(envProp.getValue(), v);
            }
        }
        if (notBlank(e.get("PGTARGETSESSIONATTRS"))) {
            props.putIfAbsent(
                    PGProperty.TARGET_SERVER_TYPE.getName(),
                    ConnectionStrings.targetServerType(
                            e.get("PGTARGETSESSIONATTRS").strip(),
                            e.get("PGTARGETSESSIONATTRS"),
                            "PGTARGETSESSIONATTRS"));
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
            Endpoint first = endpoints.get(0);
            // libpq matches a socket connection against the host name "localhost" in the password file
            String fromFile = PgPass.lookup(
                    PgPass.file(parts.passfile, e),
                    first.socket() ? DEFAULT_HOST : first.host(),
                    first.port(),
                    database,
                    user);
            if (fromFile != null) {
                password = fromFile;
            }
        }
        return new ConnectionSettings(endpoints, database, user, password, props);
    }

    /** libpq's rule: one port for every host, or one port per host; empty entries take the defaults. */
    private static List<Endpoint> endpoints(String hostList, String portList, String portSource, String portRaw) {
        List<String> hosts = List.of((hostList == null ? "" : hostList).split(",", -1));
        List<String> ports = List.of((portList == null ? "" : portList).split(",", -1));
        if (ports.size() != 1 && ports.size() != hosts.size()) {
            throw new ConnectionConfigException(
                    portSource,
                    portRaw,
                    "could not match " + ports.size() + " port numbers to " + hosts.size() + " hosts");
        }
        List<Endpoint> out = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).strip();
            String port = (ports.size() == 1 ? ports.get(0) : ports.get(i)).strip();
            out.add(new Endpoint(
                    host.isEmpty() ? DEFAULT_HOST : host,
                    port.isEmpty() ? DEFAULT_PORT : parsePort(port, portSource, portRaw)));
        }
        return out;
    }

    /**
     * {@code jdbc:postgresql://h1:p1,h2:p2/database}, without user, password or properties. Over a Unix-domain
     * socket the host is a placeholder: the socket factory ({@link #socketFile()}) decides where to connect.
     */
    public String jdbcUrl() {
        String hosts = socketFile() != null
                ? DEFAULT_HOST + ":" + port()
                : String.join(",", endpoints.stream().map(Endpoint::toString).toList());
        return "jdbc:postgresql://" + hosts + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /**
     * {@code user@host:port/database} ({@code user@h1:5432,h2:5432/database}; over a socket
     * {@code user@/var/run/postgresql:5432/database}): for messages and logs; never contains the password.
     */
    public String describe() {
        return user + "@"
                + String.join(",", endpoints.stream().map(Endpoint::toString).toList()) + "/" + database;
    }

    /** Same as {@link #describe()}, so that the password cannot reach a log through string concatenation. */
    @Override
    public String toString() {
        return describe();
    }

    /** A copy with another database name, e.g. to connect to {@code postgres} for CREATE DATABASE. */
    public ConnectionSettings withDatabase(String otherDatabase) {
        return new ConnectionSettings(endpoints, otherDatabase, user, password, properties);
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
