package io.runbook.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.postgresql.PGEnvironment;
import org.postgresql.jdbcurlresolver.PgPassParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password-file lookup through pgjdbc's own {@link PgPassParser}. The parser finds its file through the system
 * property {@code org.postgresql.pgpassfile}, then the real {@code PGPASSFILE} environment variable, then
 * {@code ~/.pgpass}; we point the property at the file chosen from the given environment map for the duration of
 * the call, so the map (not the process environment) decides.
 */
final class PgPass {
    /** Only when there is something to say: looking a logger up brings up Logback, which a plain run does without. */
    private static Logger log() {
        return LoggerFactory.getLogger(PgPass.class);
    }

    private static final String PROPERTY = PGEnvironment.ORG_POSTGRESQL_PGPASSFILE.getName();
    private static final Set<PosixFilePermission> GROUP_OR_WORLD = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);
    private static final Object LOCK = new Object();

    private PgPass() {}

    /** The password file libpq would read: {@code passfile} parameter, else PGPASSFILE, else {@code $HOME/.pgpass}. */
    static Path file(String passfileParameter, java.util.Map<String, String> env) {
        if (passfileParameter != null && !passfileParameter.isBlank()) {
            return Path.of(passfileParameter);
        }
        String fromEnv = env.get("PGPASSFILE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".pgpass");
    }

    /** The password for this host/port/database/user from {@code file}, or {@code null}. */
    static String lookup(Path file, String host, int port, String database, String user) {
        if (!Files.isRegularFile(file)) {
            if (Files.exists(file)) {
                log().warn("password file \"{}\" is not a plain file; ignoring it", file);
            }
            return null;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(GROUP_OR_WORLD::contains)) {
                // like libpq: a password file others can read is ignored
                log().warn(
                                "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less;"
                                        + " ignoring it",
                                file);
                return null;
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system (Windows): no permission check, as in libpq
        }
        synchronized (LOCK) {
            String previous = System.getProperty(PROPERTY);
            System.setProperty(PROPERTY, file.toAbsolutePath().toString());
            try {
                return PgPassParser.getPassword(host, String.valueOf(port), database, user);
            } finally {
                if (previous == null) {
                    System.clearProperty(PROPERTY);
                } else {
                    System.setProperty(PROPERTY, previous);
                }
            }
        }
    }
}
