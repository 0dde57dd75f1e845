package io.runbook.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGEnvironment;
import org.postgresql.PGProperty;
import org.postgresql.jdbcurlresolver.PgServiceConfParser;

/**
 * libpq's connection service file ({@code service=name}, PGSERVICE), read by pgjdbc's own
 * {@link PgServiceConfParser}. The parser finds its file through the system property
 * {@code org.postgresql.pgservicefile} first; we point it at each file libpq would read, chosen from the given
 * environment map (not the process environment): PGSERVICEFILE, else {@code ~/.pg_service.conf}, then
 * PGSYSCONFDIR/pg_service.conf.
 */
final class ServiceFile {
    private static final String PROPERTY = PGEnvironment.ORG_POSTGRESQL_PGSERVICEFILE.getName();
    /** The parser logs its failures at SEVERE on stderr; we report them ourselves. Kept: JUL holds loggers weakly. */
    private static final Logger PARSER_LOG = Logger.getLogger(PgServiceConfParser.class.getName());

    private static final Object LOCK = new Object();

    private ServiceFile() {}

    /** Fills what {@code parts} leaves unspecified from the service's section. */
    static void apply(ConnectionStrings.Parts parts, String service, Map<String, String> env) {
        List<Path> files = files(env);
        Properties found = null;
        for (Path f : files) {
            if (Files.isReadable(f)) {
                found = read(f, service);
                if (found != null) {
                    break;
                }
            }
        }
        if (found == null) {
            List<String> names = files.stream().map(Path::toString).toList();
            throw new ConnectionConfigException(
                    "service",
                    service,
                    files.stream().noneMatch(Files::isReadable)
                            ? "no connection service file: looked for " + String.join(", ", names)
                                    + " (set PGSERVICEFILE to its path)"
                            : "service \"" + service + "\" is not defined in "
                                    + String.join(
                                            " or ",
                                            names.stream()
                                                    .filter(n -> Files.isReadable(Path.of(n)))
                                                    .toList())
                                    + ", or that file has a line pgjdbc's parser refuses (it takes pgjdbc's property names: host, port,"
                                    + " dbname, user, password, sslmode, ApplicationName, targetServerType, ...)");
        }
        for (String key : found.stringPropertyNames()) {
            String value = found.getProperty(key);
            PGProperty p = PGProperty.forName(key);
            if (p == PGProperty.PG_HOST) {
                if (parts.host == null) {
                    ConnectionStrings.setHost(parts, value, value, "service \"" + service + "\" host");
                }
            } else if (p == PGProperty.PG_PORT) {
                parts.port = parts.port == null ? value : parts.port;
            } else if (p == PGProperty.PG_DBNAME) {
                parts.dbname = parts.dbname == null ? value : parts.dbname;
            } else if (p == PGProperty.USER) {
                parts.user = parts.user == null ? value : parts.user;
            } else if (p == PGProperty.PASSWORD) {
                parts.password = parts.password == null ? value : parts.password;
            } else {
                parts.properties.putIfAbsent(key, value);
            }
        }
    }

    /** The files libpq reads, in order. */
    static List<Path> files(Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        String serviceFile = env.get("PGSERVICEFILE");
        if (serviceFile != null && !serviceFile.isBlank()) {
            out.add(Path.of(serviceFile));
        } else {
            String home = env.get("HOME");
            out.add(Path.of(
                    home == null || home.isBlank() ? System.getProperty("user.home") : home, ".pg_service.conf"));
        }
        String sysconf = env.get("PGSYSCONFDIR");
        if (sysconf != null && !sysconf.isBlank()) {
            out.add(Path.of(sysconf, "pg_service.conf"));
        }
        return out;
    }

    private static Properties read(Path file, String service) {
        synchronized (LOCK) {
            String previous = System.getProperty(PROPERTY);
            Level level = PARSER_LOG.getLevel();
            System.setProperty(PROPERTY, file.toAbsolutePath().toString());
            PARSER_LOG.setLevel(Level.OFF);
            try {
                return PgServiceConfParser.getServiceProperties(service);
            } finally {
                PARSER_LOG.setLevel(level);
                if (previous == null) {
                    System.clearProperty(PROPERTY);
                } else {
                    System.setProperty(PROPERTY, previous);
                }
            }
        }
    }
}
