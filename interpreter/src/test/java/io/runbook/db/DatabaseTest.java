package io.runbook.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.LoggerFactory;

/** Against the real local PostgreSQL (127.0.0.1:5432, user postgres, trust authentication). */
class DatabaseTest {
    private static final String HOST = "127.0.0.1";

    private static ConnectionSettings settings(String uri) {
        return ConnectionSettings.resolve(uri, Map.of("HOME", "/nonexistent"), "postgres");
    }

    @Test
    void opensAndRunsSelect1() throws SQLException {
        try (Database db = Database.open(settings("postgresql://postgres@" + HOST + ":5432/postgres"), "runbook-test");
                Connection c = db.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select 1, current_setting('application_name')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("runbook-test");
            assertThat(db.settings().describe()).isEqualTo("postgres@127.0.0.1:5432/postgres");
        }
    }

    /** The local server's socket directory, as psql would find it. */
    private static String socketDirectory() throws SQLException {
        try (Database db = Database.open(settings("postgresql://postgres@" + HOST + "/postgres"), "runbook-test");
                Connection c = db.connection();
                ResultSet rs = c.createStatement()
                        .executeQuery("select split_part(current_setting('unix_socket_directories'), ',', 1)")) {
            rs.next();
            return rs.getString(1).strip();
        }
    }

    @Test
    void connectsOverAUnixDomainSocket() throws SQLException {
        String dir = socketDirectory();
        for (String target : List.of(
                "host=" + dir + " user=postgres dbname=postgres", "postgresql://postgres@/postgres?host=" + dir)) {
            try (Database db = Database.open(settings(target), "runbook-test");
                    Connection c = db.connection();
                    ResultSet rs = c.createStatement().executeQuery("select inet_server_addr() is null")) {
                rs.next();
                assertThat(rs.getBoolean(1))
                        .as("no server address: a Unix-domain socket (%s)", target)
                        .isTrue();
            }
        }
    }

    @Test
    void severalHostsWithADeadOneFirst() throws SQLException {
        // nothing listens on port 1; libpq (and pgjdbc) go on to the next host
        try (Database db = Database.open(
                        settings("host=" + HOST + "," + HOST + " port=1,5432 user=postgres dbname=postgres"
                                + " target_session_attrs=read-write"),
                        "runbook-test");
                Connection c = db.connection();
                ResultSet rs = c.createStatement().executeQuery("select inet_server_port()")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(5432);
        }
    }

    @Test
    void applicationNameFromSettingsWins() throws SQLException {
        try (Database db = Database.open(
                        settings("postgresql://postgres@" + HOST + "/postgres?application_name=mine"), "runbook-test");
                Connection c = db.connection();
                ResultSet rs = c.createStatement().executeQuery("show application_name")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("mine");
        }
    }

    @Test
    void theFirstConnectionIsTheOneOpenMadeAndEachFurtherOneIsNew() throws Exception {
        try (Database db =
                Database.open(settings("postgresql://postgres@" + HOST + "/postgres"), "runbook-pool-test")) {
            try (Connection c = db.connection()) {
                assertThat(backendsNamed(c, "runbook-pool-test")).isEqualTo(1);
                // what the server was asked on connecting: nothing but the start-up packet (application_name in it)
                assertThat(lastQueryOfOtherSessions(c, "runbook-pool-test")).isEmpty();
            }
            try (Connection a = db.connection();
                    Connection b = db.connection()) {
                assertThat(a).isNotSameAs(b);
                assertThat(backendsNamed(a, "runbook-pool-test")).isEqualTo(2);
            }
        }
    }

    private static List<String> lastQueryOfOtherSessions(Connection c, String appName) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement(
                "select query from pg_stat_activity where application_name = ? and pid <> pg_backend_pid() and query <> ''")) {
            ps.setString(1, appName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void closeEndsTheSessionsItsUsersLeftOpen() throws SQLException {
        Database db = Database.open(settings("postgresql://postgres@" + HOST + "/postgres"), "runbook-left-open");
        Connection left = db.connection();
        left.createStatement().execute("select 1");
        db.connection(); // a second one, never closed by its user either
        db.close();
        assertThat(left.isClosed()).isTrue();
        try (Database other =
                        Database.open(settings("postgresql://postgres@" + HOST + "/postgres"), "runbook-observer");
                Connection c = other.connection()) {
            long deadline = System.currentTimeMillis() + 5000;
            while (backendsNamed(c, "runbook-left-open") > 0 && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(backendsNamed(c, "runbook-left-open")).isZero();
        }
    }

    private static int backendsNamed(Connection c, String appName) throws SQLException {
        try (var ps = c.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            ps.setString(1, appName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void closeClosesServerConnections() throws SQLException {
        Database db = Database.open(settings("postgresql://postgres@" + HOST + "/postgres"), "runbook-close-test");
        try (Connection c = db.connection()) {
            c.createStatement().execute("select 1");
        }
        db.close();
        try (Database other =
                        Database.open(settings("postgresql://postgres@" + HOST + "/postgres"), "runbook-observer");
                Connection c = other.connection()) {
            long deadline = System.currentTimeMillis() + 5000;
            while (backendsNamed(c, "runbook-close-test") > 0 && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(backendsNamed(c, "runbook-close-test")).isZero();
        }
    }

    @Test
    void connectionRefused() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Database.open(settings("postgresql://postgres@" + HOST + ":1/postgres"), "t"))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.getMessage())
                            .startsWith("cannot connect to postgres@127.0.0.1:1/postgres: ")
                            .contains("refused");
                    assertThat(e.reason()).isEqualTo(ConnectionFailedException.Reason.REFUSED);
                    assertThat(e.hint())
                            .contains("server running")
                            .contains("PGHOST")
                            .contains("PGPORT");
                });
        // fails fast: no retry loop
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
    }

    @Test
    void databaseDoesNotExist() {
        assertThatThrownBy(
                        () -> Database.open(settings("postgresql://postgres@" + HOST + "/runbook_no_such_db_xyz"), "t"))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.getMessage())
                            .startsWith("cannot connect to postgres@127.0.0.1:5432/runbook_no_such_db_xyz: ")
                            .contains("does not exist");
                    assertThat(e.sqlState()).isEqualTo("3D000");
                    assertThat(e.reason()).isEqualTo(ConnectionFailedException.Reason.NO_SUCH_DATABASE);
                    assertThat(e.hint()).contains("does not exist").contains("create it");
                });
    }

    @Test
    void unknownHost() {
        assertThatThrownBy(() -> Database.open(settings("postgresql://postgres@no-such-host.invalid/postgres"), "t"))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConnectionFailedException.Reason.UNKNOWN_HOST);
                    assertThat(e.getMessage()).contains("no-such-host.invalid");
                    assertThat(e.hint()).contains("could not be resolved");
                });
    }

    @Test
    void authenticationFailureFoundInsideAWrapper() {
        // trust authentication on the test server: build the failure pgjdbc reports for a wrong password
        ConnectionSettings s = settings("postgresql://alice:pw@" + HOST + "/app");
        PSQLException auth = new PSQLException(
                "FATAL: password authentication failed for user \"alice\"", PSQLState.INVALID_PASSWORD);
        ConnectionFailedException e = ConnectionFailedException.of(s, new RuntimeException("wrapped", auth));
        assertThat(e.sqlState()).isEqualTo("28P01");
        assertThat(e.reason()).isEqualTo(ConnectionFailedException.Reason.AUTHENTICATION);
        assertThat(e.getMessage())
                .isEqualTo(
                        "cannot connect to alice@127.0.0.1:5432/app: FATAL: password authentication failed for user \"alice\"");
        assertThat(e.hint()).contains("PGPASSWORD").contains(".pgpass").contains("pg_hba.conf");
        assertThat(e.getCause()).isInstanceOf(RuntimeException.class);

        ConnectionFailedException noHba = ConnectionFailedException.of(
                s,
                new PSQLException(
                        "FATAL: no pg_hba.conf entry for host", PSQLState.INVALID_AUTHORIZATION_SPECIFICATION));
        assertThat(noHba.reason()).isEqualTo(ConnectionFailedException.Reason.AUTHENTICATION);
    }

    @Test
    void timeoutClassified() {
        ConnectionSettings s = settings("postgresql://postgres@10.255.255.1/app");
        ConnectionFailedException e = ConnectionFailedException.of(
                s,
                new PSQLException(
                        "The connection attempt failed.",
                        PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                        new java.net.SocketTimeoutException("Connect timed out")));
        assertThat(e.reason()).isEqualTo(ConnectionFailedException.Reason.TIMEOUT);
        assertThat(e.hint()).contains("connect_timeout");
    }

    @Test
    void passwordNeverLogged() throws SQLException {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        String secret = "NeverLogMe-4711";
        try {
            // trust authentication accepts (and never asks for) the password
            ConnectionSettings s = settings("postgresql://postgres:" + secret + "@" + HOST + "/postgres");
            assertThat(s.password()).isEqualTo(secret);
            try (Database db = Database.open(s, "runbook-log-test");
                    Connection c = db.connection()) {
                c.createStatement().execute("select 1");
                assertThat(db.toString()).doesNotContain(secret);
            }
            assertThatThrownBy(() -> Database.open(
                            settings("postgresql://postgres:" + secret + "@" + HOST + "/runbook_no_such_db_xyz"), "t"))
                    .isInstanceOf(ConnectionFailedException.class)
                    .hasMessageNotContaining(secret);
        } finally {
            root.setLevel(before);
            root.detachAppender(appender);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent ev : appender.list) {
            lines.add(ev.getFormattedMessage()
                    + (ev.getThrowableProxy() == null
                            ? ""
                            : " " + ev.getThrowableProxy().getMessage()));
        }
        assertThat(lines).noneMatch(l -> l.contains(secret));
    }
}
