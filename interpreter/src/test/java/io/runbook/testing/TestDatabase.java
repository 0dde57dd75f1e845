package io.runbook.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh database for one test class, dropped afterwards. */
public final class TestDatabase implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final String name;

    public TestDatabase(Class<?> owner) {
        this.name = ("rbt_" + owner.getSimpleName() + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet()).toLowerCase(Locale.ROOT);
        admin("drop database if exists " + name + " with (force)");
        admin("create database " + name);
    }

    public String name() { return name; }

    public String uri() { return PgServer.uri(name); }

    public Connection connect() throws SQLException { return PgServer.connect(name); }

    /** Drops and re-creates the database: each test starts from nothing. */
    public void reset() {
        admin("drop database if exists " + name + " with (force)");
        admin("create database " + name);
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public String scalar(String sql) {
        List<String> c = column(sql);
        return c.isEmpty() ? null : c.get(0);
    }

    public boolean tableExists(String table) {
        return "1".equals(scalar("select count(*) from pg_class where relname = '" + table.replace("'", "''") + "' and relkind = 'r'"));
    }

    private static void admin(String sql) {
        try (Connection c = PgServer.connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() { admin("drop database if exists " + name + " with (force)"); }
}
