package io.runbook.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.term.Style;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as a command, when SQL is complete, and how results are laid out. */
class InputTest {
    @Test
    void sqlIsCompleteAtASemicolonOutsideQuotesDollarQuotesCommentsAndParentheses() {
        assertThat(Input.complete("select 1")).isFalse();
        assertThat(Input.complete("select 1;")).isTrue();
        assertThat(Input.complete("select 1;  -- done")).isTrue();
        assertThat(Input.complete("select 'a;b'")).isFalse();
        assertThat(Input.complete("select 'a;")).isFalse();
        assertThat(Input.complete("select $$ a;\nb")).isFalse();
        assertThat(Input.complete("select $$ a;\nb $$;")).isTrue();
        assertThat(Input.complete("create function f() returns int language sql as $f$ select 1; $f$"))
                .isFalse();
        assertThat(Input.complete("create function f() returns int language sql as $f$ select 1; $f$;"))
                .isTrue();
        assertThat(Input.complete("select (1;")).isFalse();
        assertThat(Input.complete("select 1 /* not the end; */")).isFalse();
        assertThat(Input.complete("/* open; ")).isFalse();
        assertThat(Input.complete("select 1 -- a comment;")).isFalse();
        assertThat(Input.complete("-- only a comment")).isTrue();
        assertThat(Input.complete("   ")).isTrue();
        assertThat(Input.complete("clear"))
                .as("not a command, and no statement starts so")
                .isTrue();
        assertThat(Input.complete("select")).isFalse();
        assertThat(Input.complete("select 1\n\\gx")).isTrue();
        assertThat(Input.complete("select 1 \\g")).isTrue();
        assertThat(Input.strip("select 1 \\gx")).isEqualTo("select 1 ");
        assertThat(Input.complete("copy t from stdin;\n1\tx\n")).isFalse();
        assertThat(Input.complete("copy t from stdin;\n1\tx\n\\.\n")).isTrue();
    }

    @Test
    void commandsAreOneLineStartingWithACommandWordSqlIsEverythingElse() {
        assertThat(Input.command("next")).isEqualTo(new Input.Command("next", ""));
        assertThat(Input.command("  NEXT;  ")).isEqualTo(new Input.Command("next", ""));
        assertThat(Input.command("run main migration")).isEqualTo(new Input.Command("run", "main migration"));
        assertThat(Input.command("run \"main migration\"")).isEqualTo(new Input.Command("run", "main migration"));
        assertThat(Input.command("?")).isEqualTo(new Input.Command("help", ""));
        assertThat(Input.command("\\x on")).isEqualTo(new Input.Command("\\x", "on"));
        assertThat(Input.command("select 1;")).isNull();
        assertThat(Input.command("select 1 \\gx")).isNull();
        assertThat(Input.command("next\nselect 1;")).isNull();
        // set, rollback and commit are SQL too: with a semicolon, or in SQL's own forms.
        assertThat(Input.command("set wanted 5")).isEqualTo(new Input.Command("set", "wanted 5"));
        assertThat(Input.command("set label 'two words'")).isEqualTo(new Input.Command("set", "label 'two words'"));
        assertThat(Input.command("set search_path = app;")).isNull();
        assertThat(Input.command("set search_path to app")).isNull();
        assertThat(Input.command("set local lock_timeout '1s'")).isNull();
        assertThat(Input.command("set role admin")).isNull();
        assertThat(Input.command("rollback")).isEqualTo(new Input.Command("rollback", ""));
        assertThat(Input.command("rollback two")).isEqualTo(new Input.Command("rollback", "two"));
        assertThat(Input.command("rollback;")).isNull();
        assertThat(Input.command("rollback to savepoint a")).isNull();
        assertThat(Input.command("commit")).isEqualTo(new Input.Command("commit", ""));
        assertThat(Input.command("commit;")).isNull();
    }

    @Test
    void wordsForCompletion() {
        Input.Words w = Input.words("run main mi", 11);
        assertThat(w.words()).containsExactly("run", "main mi");
        assertThat(w.wordIndex()).isEqualTo(1);
        assertThat(w.word()).isEqualTo("main mi");
        w = Input.words("select a.b from t where ", 24);
        assertThat(w.words()).containsExactly("select", "a.b", "from", "t", "where", "");
        assertThat(w.wordIndex()).isEqualTo(5);
        assertThat(w.previous()).isEqualTo("where");
        w = Input.words("select (cou", 11);
        assertThat(w.word()).isEqualTo("cou");
        assertThat(w.atStart()).isFalse();
        assertThat(Input.words("sel", 3).atStart()).isTrue();
    }

    private static Tables.Result result(List<String> columns, List<Boolean> numeric, List<String>... rows) {
        return new Tables.Result(columns, numeric, Arrays.asList(rows), rows.length);
    }

    @Test
    void alignedTablesAsPsqlShowsThem() {
        @SuppressWarnings("unchecked")
        Tables.Result r = result(
                List.of("id", "name"),
                List.of(true, false),
                List.of("1", "bolt"),
                List.of("12", "two\nlines"),
                Arrays.asList("3", null));
        assertThat(String.join("\n", Tables.aligned(r, Style.plain()))).isEqualTo("""
                 id | name
                ----+-------
                  1 | bolt
                 12 | two  +
                    | lines
                  3 | NULL
                (3 rows)""");
    }

    @Test
    void expandedRecords() {
        @SuppressWarnings("unchecked")
        Tables.Result r =
                result(List.of("id", "name"), List.of(true, false), List.of("1", "bolt"), List.of("2", "nut"));
        assertThat(String.join("\n", Tables.expanded(r, Style.plain()))).isEqualTo("""
                -[ RECORD 1 ]
                id   | 1
                name | bolt
                -[ RECORD 2 ]
                id   | 2
                name | nut""");
    }

    @Test
    void commandTags() {
        assertThat(SqlConsole.tag(
                        io.runbook.sql.SqlSplitter.split("insert into t values (1)")
                                .statements()
                                .get(0),
                        1))
                .isEqualTo("INSERT 0 1");
        assertThat(SqlConsole.tag(
                        io.runbook.sql.SqlSplitter.split("create or replace view v as select 1")
                                .statements()
                                .get(0),
                        0))
                .isEqualTo("CREATE VIEW");
        assertThat(SqlConsole.tag(
                        io.runbook.sql.SqlSplitter.split("create unique index i on t (x)")
                                .statements()
                                .get(0),
                        0))
                .isEqualTo("CREATE INDEX");
        assertThat(SqlConsole.tag(
                        io.runbook.sql.SqlSplitter.split("/* c */ delete from t")
                                .statements()
                                .get(0),
                        4))
                .isEqualTo("DELETE 4");
    }
}
