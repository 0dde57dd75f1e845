package io.runbook.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database for one test class, dropped afterwards. As a {@code @RegisterExtension} field it drops itself
 * after the class ({@link #forClass}) and can start each test from nothing ({@link #forEachTest}).
 */
public final class TestDatabase implements AutoCloseable, AfterAllCallback, BeforeEachCallback {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final String name;
    private boolean freshEachTest;

    public static TestDatabase forClass(Class<?> owner) {
        return new TestDatabase(owner);
    }

    public static TestDatabase forEachTest(Class<?> owner) {
        TestDatabase db = new TestDatabase(owner);
        db.freshEachTest = true;
        return db;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (freshEachTest) reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public TestDatabase(Class<?> owner) {
        this.name = ("rbt_" + owner.getSimpleName() + "_"
                        + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        admin("drop database if exists " + name + " with (force)");
        admin("create database " + name);
    }

    public String name() {
        return name;
    }

    public String uri() {
        return PgServer.uri(name);
    }

    public Connection connect() throws SQLException {
        return PgServer.connect(name);
    }

    /** Drops and re-creates the database: each test starts from nothing. */
    public void reset() {
        admin("drop database if exists " + name + " with (force)");
        admin("create database " + name);
    }

    public void execute(String sql) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql) {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
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
        return "1"
                .equals(scalar("select count(*) from pg_class where relname = '" + table.replace("'", "''")
                        + "' and relkind = 'r'"));
    }

    /** Loads a SQL file (a fixture) statement by statement, split the way runbook splits files. */
    public void load(java.nio.file.Path sqlFile) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            String text = java.nio.file.Files.readString(sqlFile);
            var split = io.runbook.sql.SqlSplitter.split(text);
            if (!split.problems().isEmpty()) throw new IllegalStateException(sqlFile + ": " + split.problems());
            for (var st : split.statements()) s.execute(st.text());
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException(sqlFile + ": " + e.getMessage(), e);
        }
    }

    /** The public schema as sorted lines: relations, columns, constraints, policies, enums, RLS flags. */
    public List<String> schema() {
        return column("""
                select 'rel ' || c.relname || ' ' || c.relkind::text from pg_class c where c.relnamespace = 'public'::regnamespace
                union all select 'col ' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(column_default, '') || ' ' || is_nullable
                  from information_schema.columns where table_schema = 'public'
                union all select 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
                  from pg_constraint where connamespace = 'public'::regnamespace
                union all select 'idx ' || indexname || ' ' || indexdef from pg_indexes where schemaname = 'public'
                union all select 'pol ' || tablename || ' ' || policyname || ' ' || cmd from pg_policies where schemaname = 'public'
                union all select 'typ ' || t.typname || ' ' || coalesce((select string_agg(enumlabel, ',' order by enumsortorder) from pg_enum e where e.enumtypid = t.oid), '')
                  from pg_type t where t.typnamespace = 'public'::regnamespace and t.typtype = 'e'
                union all select 'rls ' || relname from pg_class where relrowsecurity and relnamespace = 'public'::regnamespace
                order by 1
                """);
    }

    private static void admin(String sql) {
        try (Connection c = PgServer.connect("postgres");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin("drop database if exists " + name + " with (force)");
    }
}
