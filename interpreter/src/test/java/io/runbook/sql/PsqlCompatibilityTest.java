package io.runbook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.PgServer;
import io.runbook.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * psql's own syntax in SQL files: each case runs the same file with `psql -X -v ON_ERROR_STOP=1 -f` and with
 * `runbook run`, and compares the databases they leave.
 */
class PsqlCompatibilityTest {
    static TestDatabase byPsql;
    static TestDatabase byRunbook;

    @TempDir
    Path dir;

    @BeforeAll
    static void databases() {
        byPsql = new TestDatabase(PsqlCompatibilityTest.class);
        byRunbook = new TestDatabase(PsqlCompatibilityTest.class);
    }

    @AfterAll
    static void drop() {
        byPsql.close();
        byRunbook.close();
    }

    /** Runs main.sql (in dir) both ways on fresh databases; returns what runbook printed. */
    private Cli both(String sql) throws Exception {
        byPsql.reset();
        byRunbook.reset();
        Path file = Files.write(dir, "main.sql", sql);
        ProcessBuilder pb = new ProcessBuilder(
                        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", byPsql.name(), "-f", file.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(PgServer.libpqEnv());
        Process p = pb.start();
        String psqlOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("psql: " + psqlOut).isZero();
        Path rb = Files.write(
                dir, "t.runbook", "runbook \"compat\" {\n  phase \"load\" {\n    sql file \"main.sql\"\n  }\n}\n");
        Cli run = Cli.runFile(null, rb, byRunbook.uri(), "--yes");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(rows(byRunbook)).as(run.toString()).isEqualTo(rows(byPsql));
        return run;
    }

    private static List<String> rows(TestDatabase db) {
        return db.column("select coalesce(string_agg(v, ' | ' order by id), '') from r");
    }

    private static final String TABLE = "create table r (id serial primary key, v text);\n";

    @Test
    void standardConformingStringsOffLetsBackslashEscapeQuotes() throws Exception {
        both(TABLE + "set standard_conforming_strings = off;\n"
                + "insert into r(v) values ('it\\'s; tricky');\n"
                + "insert into r(v) values ('a\\\\b');\n"
                + "set standard_conforming_strings = on;\n"
                + "insert into r(v) values ('c:\\temp');\n");
        assertThat(rows(byRunbook)).containsExactly("it's; tricky | a\\b | c:\\temp");
    }

    @Test
    void aValueWithASemicolonIsRescannedIntoTwoStatements() throws Exception {
        both(TABLE + "\\set v '''a''); insert into r(v) values (''b'''\n" + "insert into r(v) values (:v);\n");
        assertThat(rows(byRunbook)).containsExactly("a | b");
    }

    @Test
    void includesFollowPsqlsPathRules() throws Exception {
        Files.write(dir, "sub/one.sql", "insert into r(v) values ('one');\n\\ir two.sql\n");
        Files.write(dir, "sub/two.sql", "insert into r(v) values ('two');\n");
        Path abs = Files.write(dir, "abs.sql", "insert into r(v) values ('absolute');\n");
        both(TABLE + "\\ir sub/one.sql\n\\i " + abs + "\ninsert into r(v) values ('after');\n");
        assertThat(rows(byRunbook)).containsExactly("one | two | absolute | after");
    }

    @Test
    void setUnsetEchoAndVariableTests() throws Exception {
        Cli run = both(TABLE + "\\set greeting 'hello, ' world\n"
                + "\\echo greeting is :greeting\n"
                + "insert into r(v) values (:'greeting');\n"
                + "insert into r(v) values (:{?greeting}::text);\n"
                + "\\unset greeting\n"
                + "insert into r(v) values (:{?greeting}::text);\n"
                + "\\qecho done\n");
        assertThat(rows(byRunbook)).containsExactly("hello, world | true | false");
        assertThat(run.out).contains("greeting is hello, world").contains("done");
    }

    @Test
    void conditionalsFollowPsqlsBooleans() throws Exception {
        both(TABLE + "\\set on_prod off\n"
                + "\\if :on_prod\n  insert into r(v) values ('prod');\n"
                + "\\elif yes\n  insert into r(v) values ('elif');\n  \\if 0\n    insert into r(v) values ('inner');\n  \\else\n    insert into r(v) values ('inner else');\n  \\endif\n"
                + "\\else\n  insert into r(v) values ('else');\n\\endif\n"
                + "\\if t\n insert into r(v) values ('t is true');\n\\endif\n");
        assertThat(rows(byRunbook)).containsExactly("elif | inner else | t is true");
    }

    @Test
    void copyDataStreamsFromTheFile() throws Exception {
        StringBuilder sql = new StringBuilder(TABLE + "copy r (v) from stdin;\n");
        for (int i = 0; i < 70_000; i++)
            sql.append("row ").append(i).append(i % 7 == 0 ? "\\twith tab" : "").append('\n');
        sql.append("\\.\ninsert into r(v) values ('after copy');\n");
        both(sql.toString());
        assertThat(byRunbook.scalar("select count(*) from r")).isEqualTo("70001");
    }

    @Test
    void copyToStdoutIsRefusedAtCheckTime() throws IOException {
        Files.write(dir, "out.sql", TABLE + "copy r to stdout;\n");
        Path rb = Files.write(dir, "t.runbook", "runbook \"c\" {\n  phase \"p\" {\n    sql file \"out.sql\"\n  }\n}\n");
        Cli check = Cli.run("check", rb.toString());
        assertThat(check.exit).isEqualTo(2);
        assertThat(check.all())
                .contains("out.sql:2:1: ERROR: COPY ... TO STDOUT has nowhere to write")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void includeCyclesAreRefusedAndErrorsNameTheIncludedFile() throws IOException {
        Files.write(dir, "a.sql", "select 1;\n\\ir b.sql\n");
        Files.write(dir, "b.sql", "select 2;\n\n\\ir a.sql\n");
        Path rb = Files.write(dir, "t.runbook", "runbook \"c\" {\n  phase \"p\" {\n    sql file \"a.sql\"\n  }\n}\n");
        Cli check = Cli.run("check", rb.toString());
        assertThat(check.exit).isEqualTo(2);
        assertThat(check.all().replace(dir + "/", ""))
                .contains("b.sql:3:1: ERROR: \\ir cycle: a.sql -> b.sql -> a.sql")
                .doesNotContain("Exception");

        Files.write(dir, "b.sql", "select 2;\ncreate table x (id int);\nselect * from no_such_table;\n");
        Files.write(dir, "a.sql", "\\ir b.sql\n");
        byRunbook.reset();
        Cli run = Cli.runFile(null, rb, byRunbook.uri(), "--yes");
        assertThat(run.exit).isNotZero();
        assertThat(run.all()).contains("b.sql:3:15").contains("no_such_table").doesNotContain("Exception");
        assertThat(byRunbook.tableExists("x")).as("the phase rolled back").isFalse();
    }

    @Test
    void checksumsCoverIncludedFiles() {
        Files.write(dir, "inc.sql", "select 1;\n");
        Files.write(dir, "top.sql", "\\ir inc.sql\n");
        Path rb = Files.write(dir, "t.runbook", "runbook \"c\" {\n  phase \"p\" {\n    sql file \"top.sql\"\n  }\n}\n");
        var before = io.runbook.parse.Checker.load(rb);
        String sum = io.runbook.journal.Checksums.phase(
                before, before.runbook().phases().get(0));
        Files.write(dir, "inc.sql", "select 2;\n");
        var after = io.runbook.parse.Checker.load(rb);
        assertThat(io.runbook.journal.Checksums.phase(
                        after, after.runbook().phases().get(0)))
                .isNotEqualTo(sum);
        assertThat(io.runbook.journal.Checksums.phaseSource(
                        after, after.runbook().phases().get(0)))
                .contains("select 2;");
    }

    @Test
    void otherMetaCommandsAndBadInputGetClearRefusals() throws IOException {
        Files.write(dir, "m.sql", "\\gset\n\\if maybe\n\\endif\n\\endif\n\\if on\nselect 1;\n");
        Path rb = Files.write(dir, "t.runbook", "runbook \"c\" {\n  phase \"p\" {\n    sql file \"m.sql\"\n  }\n}\n");
        Cli check = Cli.run("check", rb.toString());
        assertThat(check.exit).isEqualTo(2);
        assertThat(check.all())
                .contains("m.sql:1:1: ERROR: psql meta-command \\gset is not supported")
                .contains("m.sql:2:1: ERROR: \\if needs a boolean, not \"maybe\"")
                .contains("m.sql:4:1: ERROR: \\endif without \\if")
                .contains("m.sql:5:1: ERROR: \\if without \\endif")
                .doesNotContain("Exception");
    }
}
