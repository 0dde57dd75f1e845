package io.runbook.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL servers of a test class's own (the fleet's, or one with server settings the shared server must not
 * change): initdb + pg_ctl into temporary folders, on free ports, stopped in close() and, should the test JVM end
 * first, by a shutdown hook. initdb refuses root, so as root (CI) they run as
 * the `postgres` OS user.
 */
public final class LocalServers implements AutoCloseable {
    private static final Path BIN =
            Path.of(System.getenv().getOrDefault("RUNBOOK_TEST_PGBIN", "/usr/lib/postgresql/15/bin"));
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    public record Server(Path dir, int port) {
        public String uri(String database) {
            return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
        }
    }

    private final List<Server> servers = new ArrayList<>();
    /** Extra server settings, each `-c name=value` on the postmaster's command line. */
    private final List<String> settings;

    private final Thread hook = new Thread(this::stopAll, "stop test servers");

    /**
     * {@code count} servers, each with the databases {@code databases} names for it. initdb and CREATE DATABASE are
     * the slow part, so they run once: the first server's data folder, databases included, is copied for the others
     * and the databases renamed there.
     */
    public LocalServers(int count, List<List<String>> databases) throws Exception {
        this(count, databases, List.of());
    }

    /** The same, each server started with these settings ("idle_session_timeout=3s"). */
    public LocalServers(int count, List<List<String>> databases, List<String> settings) throws Exception {
        this.settings = List.copyOf(settings);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Server first = start(initdb());
            servers.add(first);
            try (Connection c = connect(first, "postgres");
                    Statement st = c.createStatement()) {
                for (int i = 0; i < databases.get(0).size(); i++)
                    st.execute("create database " + databases.get(0).get(i));
            }
            run(asOwner(
                    BIN.resolve("pg_ctl").toString(),
                    "-D",
                    first.dir().resolve("data").toString(),
                    "-m",
                    "fast",
                    "-w",
                    "stop"));
            for (int n = 1; n < count; n++) {
                Path dir = newDir();
                run(asOwner(
                        "cp",
                        "-a",
                        first.dir().resolve("data").toString(),
                        dir.resolve("data").toString()));
                Server s = start(dir);
                servers.add(s);
                try (Connection c = connect(s, "postgres");
                        Statement st = c.createStatement()) {
                    for (int i = 0; i < databases.get(0).size(); i++) {
                        st.execute("alter database " + databases.get(0).get(i) + " rename to "
                                + databases.get(n).get(i));
                    }
                }
            }
            servers.set(0, start(first.dir()));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    public List<Server> servers() {
        return servers;
    }

    private static Path newDir() throws Exception {
        Path dir = Files.createTempDirectory("runbook-fleet-pg");
        if (ROOT) run(List.of("chown", "postgres:postgres", dir.toString()));
        return dir;
    }

    private static Path initdb() throws Exception {
        Path dir = newDir();
        run(asOwner(
                BIN.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C"));
        return dir;
    }

    private Server start(Path dir) throws Exception {
        Path data = dir.resolve("data");
        int port = freePort();
        String options =
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                        + " -c full_page_writes=off -c max_connections=60 -c shared_buffers=16MB";
        for (String setting : settings) options += " -c " + setting;
        run(asOwner(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-o",
                options,
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "-t",
                "60",
                "start"));
        return new Server(dir, port);
    }

    public static Connection connect(Server s, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + s.port() + "/" + database, p);
    }

    public static void execute(Server s, String database, String sql) {
        try (Connection c = connect(s, database);
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(database + ": " + e.getMessage(), e);
        }
    }

    public static List<String> column(Server s, String database, String sql) {
        try (Connection c = connect(s, database);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
    }

    private synchronized void stopAll() {
        for (Server s : servers) {
            try {
                run(asOwner(
                        BIN.resolve("pg_ctl").toString(),
                        "-D",
                        s.dir().resolve("data").toString(),
                        "-m",
                        "immediate",
                        "-w",
                        "stop"));
            } catch (Exception e) {
                System.err.println("could not stop the test server in " + s.dir() + ": " + e.getMessage());
            }
            deleteQuietly(s.dir());
        }
        servers.clear();
    }

    private static List<String> asOwner(String... cmd) {
        List<String> out = new ArrayList<>();
        if (ROOT) out.addAll(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(List.of(cmd));
        return out;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** rm -rf: each data folder holds some 250 MB in thousands of files, slow to walk from Java. */
    private static void deleteQuietly(Path dir) {
        try {
            run(List.of("rm", "-rf", dir.toString()));
        } catch (Exception e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
