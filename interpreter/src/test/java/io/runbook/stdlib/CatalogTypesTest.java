package io.runbook.stdlib;

import static io.runbook.stdlib.Stdlib.expectAll;
import static io.runbook.stdlib.Stdlib.expectFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Types and enum values (stdlib/catalog). */
class CatalogTypesTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(CatalogTypesTest.class);
        db.execute("""
                create schema app;
                create schema "Sales";
                create type public.status as enum ('new', 'done');
                alter type public.status add value 'doing' before 'done';
                create type app.status as enum ('x');
                create type "Sales"."Stage" as enum ('Lead', 'Won');
                create type public.nothing as enum ();
                create type public.pair as (a int, b int);
                create domain public.posint as int check (value > 0);
                create table public.tasks (id int);
                """);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void typeExistsForEnumsCompositesAndDomainsButNotRowTypes() {
        expectAll(
                db,
                dir,
                "type_exists(\"status\")",
                "type_exists(\"status\", \"app\")",
                "type_exists(\"Stage\", \"Sales\")",
                "not type_exists(\"stage\", \"Sales\")",
                "type_exists(\"pair\")",
                "type_exists(\"posint\")",
                "not type_exists(\"tasks\")");
    }

    @Test
    void enumValuesAreInSortOrderNotCreationOrder() {
        expectAll(
                db,
                dir,
                "enum_values(\"status\") == \"new,doing,done\"",
                "enum_values(\"status\", \"app\") == \"x\"",
                "enum_values(\"Stage\", \"Sales\") == \"Lead,Won\"",
                "enum_values(\"nothing\") == \"\"",
                "enum_values(\"pair\") == null",
                "enum_values(\"posint\") == null",
                "enum_values(\"nope\") == null");
    }

    @Test
    void enumHasValueIsExactAndPerSchema() {
        expectAll(
                db,
                dir,
                "enum_has_value(\"status\", \"doing\")",
                "not enum_has_value(\"status\", \"Doing\")",
                "not enum_has_value(\"status\", \"x\")",
                "enum_has_value(\"status\", \"x\", \"app\")",
                "enum_has_value(\"Stage\", \"Won\", \"Sales\")",
                "not enum_has_value(\"nothing\", \"\")",
                "not enum_has_value(\"nope\", \"new\")");
    }

    @Test
    void aValueAddedInThePhaseIsSeenByItsVerify() {
        Cli r = Stdlib.run(db, dir, """
                import "stdlib/catalog"
                runbook "add value" {
                  preflight { expect not enum_has_value("status", "archived") }
                  phase "add" {
                    sql $$ alter type status add value 'archived' after 'done' $$
                    verify {
                      expect enum_has_value("status", "archived")
                      expect enum_values("status") == "new,doing,done,archived"
                    }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aMissingValueShowsTheValuesThereAre() {
        Cli r = expectFails(db, dir, "enum_values(\"status\") == \"new,done\"");
        assertThat(r.err)
                .contains("expected: enum_values(\"status\") == \"new,done\"")
                .contains("actual:   \"new,doing,done\"");
    }
}
