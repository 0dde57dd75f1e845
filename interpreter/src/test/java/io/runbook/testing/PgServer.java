package io.runbook.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The PostgreSQL server tests use: RUNBOOK_TEST_PGHOST/PORT (default 127.0.0.1:5432, user postgres),
 * or, where that server is unreachable and Docker runs, a Testcontainers PostgreSQL.
 */
public final class PgServer {
    private static String host;
    private static int port;
    private static String user = "postgres";
    private static String password = "";

    private PgServer() {}

    public static synchronized void ensure() {
        if (host != null) return;
        String h = System.getenv().getOrDefault("RUNBOOK_TEST_PGHOST", "127.0.0.1");
        int p = Integer.parseInt(System.getenv().getOrDefault("RUNBOOK_TEST_PGPORT", "5432"));
        if (reachable(h, p)) {
            host = h;
            port = p;
            return;
        }
        if (org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
            var c = new org.testcontainers.containers.PostgreSQLContainer<>("postgres:15");
            c.start();
            host = c.getHost();
            port = c.getFirstMappedPort();
            user = c.getUsername();
            password = c.getPassword();
            return;
        }
        throw new IllegalStateException("no PostgreSQL at " + h + ":" + p + " and no Docker: start one (see .ci/run)");
    }

    private static boolean reachable(String h, int p) {
        try (Connection c =
                DriverManager.getConnection("jdbc:postgresql://" + h + ":" + p + "/postgres", props("postgres", ""))) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static Properties props(String u, String pw) {
        Properties props = new Properties();
        props.setProperty("user", u);
        if (!pw.isEmpty()) props.setProperty("password", pw);
        props.setProperty("connectTimeout", "5");
        return props;
    }

    public static Connection connect(String database) throws SQLException {
        ensure();
        return DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/" + database, props(user, password));
    }

    /** A postgresql:// URI for --db. */
    /** libpq settings for a client program (psql) talking to the same server. */
    public static java.util.Map<String, String> libpqEnv() {
        ensure();
        return java.util.Map.of("PGHOST", host, "PGPORT", String.valueOf(port), "PGUSER", user, "PGPASSWORD", password);
    }

    public static String uri(String database) {
        ensure();
        return "postgresql://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port + "/"
                + database;
    }
}
