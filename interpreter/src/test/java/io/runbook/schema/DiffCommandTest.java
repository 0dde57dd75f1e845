package io.runbook.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `runbook diff`: two databases, or a database and a schema file; output and exit codes. */
class DiffCommandTest {
    static TestDatabase a;
    static TestDatabase b;

    @TempDir
    Path dir;

    static final String SCHEMA = """
            create type status as enum ('new', 'done');
            create table orders (id bigint primary key, status status not null default 'new', total numeric check (total >= 0));
            create index orders_status_idx on orders (status);
            create function total_of(o orders) returns numeric language sql stable as $$ select o.total $$;
            """;

    @BeforeAll
    static void create() {
        a = new TestDatabase(DiffCommandTest.class);
        b = new TestDatabase(DiffCommandTest.class);
    }

    @AfterAll
    static void drop() {
        a.close();
        b.close();
    }

    @BeforeEach
    void fresh() {
        a.reset();
        b.reset();
    }

    private static int scratchDatabases() {
        return Integer.parseInt(a.scalar("select count(*) from pg_database where datname like 'runbook_scratch_%'"));
    }

    @Test
    void identicalDatabasesExitZero() {
        Scripts.run(a, SCHEMA);
        Scripts.run(b, SCHEMA + "; insert into orders values (1, 'new', 5)");
        Cli r = Cli.run("diff", "--db", a.uri(), "--db", b.uri());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out)
                .isEqualTo("--- postgres@127.0.0.1:5432/" + a.name() + "\n+++ postgres@127.0.0.1:5432/" + b.name()
                        + "\nno differences\n");
        assertThat(r.err).isEmpty();
    }

    @Test
    void differencesExitOneOneLineEach() {
        Scripts.run(a, SCHEMA + "; alter table orders add column language text");
        Scripts.run(
                b,
                SCHEMA.replace("('new', 'done')", "('new', 'paid', 'done')")
                                .replace("create index orders_status_idx", "create index orders_by_status")
                        + "; alter table orders drop constraint orders_total_check; alter table orders add constraint orders_total_check check (total > 0) not valid");
        Cli r = Cli.run("diff", "--db", a.uri(), "--db", b.uri());
        assertThat(r.exit).as(r.toString()).isEqualTo(1);
        assertThat(r.out).endsWith("""
                ~ enum public.status values: new, done -> new, paid, done
                - column public.orders.language
                ~ constraint public.orders.orders_total_check: CHECK ((total >= (0)::numeric)) -> CHECK ((total > (0)::numeric)); validated: true -> false
                + index public.orders_by_status
                - index public.orders_status_idx
                5 differences
                """);
    }

    @Test
    void schemaFileIsLoadedIntoAScratchDatabaseThatIsDroppedAfterwards() {
        int before = scratchDatabases();
        Scripts.run(a, SCHEMA);
        Path file = Files.write(dir, "schema.sql", SCHEMA + """
                create table "Audit" (at timestamptz default now(), what text);
                create trigger orders_audit after insert on orders for each statement execute function suppress_redundant_updates_trigger();
                """);
        Cli r = Cli.run("diff", "--db", a.uri(), "--schema-file", file.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(1);
        assertThat(r.out)
                .isEqualTo("--- postgres@127.0.0.1:5432/" + a.name() + "\n+++ " + file + "\n"
                        + "+ table public.\"Audit\"\n+ trigger public.orders.orders_audit\n2 differences\n");
        assertThat(scratchDatabases()).isEqualTo(before);

        Path same = Files.write(dir, "same.sql", SCHEMA);
        Cli s = Cli.run("diff", "--db", a.uri(), "--schema-file", same.toString());
        assertThat(s.exit).as(s.toString()).isEqualTo(ExitCode.OK);
        assertThat(s.out).endsWith("no differences\n");
    }

    @Test
    void pgDumpOutputLoadsWithItsRestrictLines() throws Exception {
        Scripts.run(
                a,
                SCHEMA + "; create schema app; create table app.t (id int generated always as identity, note text);"
                        + " create view app.v as select * from app.t; alter table orders enable row level security;"
                        + " create policy p on orders using (total > 0)");
        Path dump = dir.resolve("dump.sql");
        Process p;
        try {
            p = new ProcessBuilder("pg_dump", "--schema-only", "--file", dump.toString(), "--dbname", a.uri())
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "pg_dump is not installed");
            return;
        }
        assumeTrue(
                p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "pg_dump failed: " + new String(p.getInputStream().readAllBytes()));
        Cli r = Cli.run("diff", "--db", a.uri(), "--schema-file", dump.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).endsWith("no differences\n");
    }

    @Test
    void psqlRestrictLinesAreSkippedOtherMetaCommandsAreErrors() {
        Scripts.run(a, SCHEMA);
        Path restricted = Files.write(dir, "restricted.sql", "\\restrict abc123\n" + SCHEMA + "\\unrestrict abc123\n");
        Cli ok = Cli.run("diff", "--db", a.uri(), "--schema-file", restricted.toString());
        assertThat(ok.exit).as(ok.toString()).isEqualTo(ExitCode.OK);

        Path meta = Files.write(dir, "meta.sql", "create table t (id int);\n\\i other.sql\n");
        Cli r = Cli.run("diff", "--db", a.uri(), "--schema-file", meta.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(r.err).contains(meta + ":2:1: ERROR: psql meta-command \\i is not supported");
        assertThat(r.out).isEmpty();
    }

    @Test
    void anErrorInTheSchemaFileShowsWhereAndDropsTheScratchDatabase() {
        int before = scratchDatabases();
        Path file = Files.write(dir, "bad.sql", "create table t (id int);\n\ncreate view v as select nme from t;\n");
        Cli r = Cli.run("diff", "--db", a.uri(), "--schema-file", file.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.err)
                .contains(file + ":3:25: ERROR: column \"nme\" does not exist")
                .contains(" 3 | create view v as select nme from t;")
                .contains("SQLSTATE 42703");
        assertThat(r.out).isEmpty();
        assertThat(scratchDatabases()).isEqualTo(before);
    }

    @Test
    void onlyTheNamedSchemasAndWithoutOwnersOrGrants() {
        Scripts.run(a, "create schema app; create table app.t (id int); create table public.x (id int)");
        Scripts.run(b, "create schema app; create table app.t (id int); grant select on app.t to public");
        Cli r = Cli.run("diff", "--db", a.uri(), "--db", b.uri(), "--schema", "app");
        assertThat(r.exit).as(r.toString()).isEqualTo(1);
        assertThat(r.out).endsWith("~ table app.t grants: +=r/postgres\n1 difference\n");
        Cli ignored = Cli.run(
                "diff", "--db", a.uri(), "--db", b.uri(), "--schema", "app", "--ignore-grants", "--ignore-owners");
        assertThat(ignored.exit).as(ignored.toString()).isEqualTo(ExitCode.OK);
        Cli excluded =
                Cli.run("diff", "--db", a.uri(), "--db", b.uri(), "--exclude-schema", "public", "--ignore-grants");
        assertThat(excluded.exit).as(excluded.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void theJournalSchemaIsNotCompared() {
        Scripts.run(a, "create schema runbook; create table runbook.journal (id int)");
        Cli r = Cli.run("diff", "--db", a.uri(), "--db", b.uri());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void usageErrors() {
        Cli one = Cli.run("diff", "--db", a.uri());
        assertThat(one.exit).isEqualTo(ExitCode.INVALID);
        assertThat(one.err)
                .contains("give two databases (--db A --db B) or a database and a schema file")
                .contains("Usage:");
        Cli three = Cli.run("diff", "--db", a.uri(), "--db", b.uri(), "--schema-file", "x.sql");
        assertThat(three.exit).isEqualTo(ExitCode.INVALID);
        assertThat(three.err).contains("--schema-file compares with one database: give --db once");
        Cli missing = Cli.run(
                "diff",
                "--db",
                a.uri(),
                "--schema-file",
                dir.resolve("nope.sql").toString());
        assertThat(missing.exit).isEqualTo(ExitCode.INVALID);
        assertThat(missing.err).contains("ERROR: schema file not found: " + dir.resolve("nope.sql"));
        Cli bad = Cli.run("diff", "--db", "nodb", "--db", b.uri());
        assertThat(bad.exit).isEqualTo(ExitCode.INVALID);
        assertThat(bad.err).contains("ERROR: invalid --db value \"nodb\"");
        assertThat(Cli.run("--help").out).contains("diff");
    }

    @Test
    void anUnreachableServerIsAConnectionError() {
        Cli r = Cli.run("diff", "--db", "postgresql://postgres@127.0.0.1:1/x", "--db", b.uri());
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.CONNECTION);
        assertThat(r.err)
                .contains("ERROR: cannot connect to postgres@127.0.0.1:1/x")
                .contains("hint:");
    }
}
