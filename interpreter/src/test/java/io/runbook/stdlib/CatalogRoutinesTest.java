package io.runbook.stdlib;

import static io.runbook.stdlib.Stdlib.expectAll;
import static io.runbook.stdlib.Stdlib.expectFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Functions, triggers and extensions (stdlib/catalog). */
class CatalogRoutinesTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(CatalogRoutinesTest.class);
        db.execute("""
                create schema app;
                create function app.touch() returns trigger language plpgsql as $$ begin new.updated := now(); return new; end $$;
                create function public.add(a int, b int) returns int language sql as 'select a + b';
                create function public.add(a numeric, b numeric) returns numeric language sql as 'select a + b';
                create procedure public."Archive"() language sql as $$ select 1 $$;
                create table public.docs (id int, updated timestamptz);
                create table app.docs (id int, updated timestamptz);
                create trigger docs_touch before update on app.docs for each row execute function app.touch();
                create trigger "Docs_Audit" after insert on public.docs for each statement execute function app.touch();
                create table public.parents (id int primary key);
                create table public.kids (parent_id int references public.parents (id));
                create extension citext schema app;
                """);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void functionExistsForFunctionsProceduresAndOverloads() {
        expectAll(
                db,
                dir,
                "function_exists(\"touch\", \"app\")",
                "not function_exists(\"touch\")",
                "function_exists(\"add\")",
                "function_exists(\"Archive\")",
                "not function_exists(\"archive\")",
                "function_exists(\"citext\", \"app\")", // an extension's functions are functions too
                "function_exists(\"now\", \"pg_catalog\")");
    }

    @Test
    void triggerExistsPerTableAndLeavesOutInternalTriggers() {
        expectAll(
                db,
                dir,
                "trigger_exists(\"docs\", \"docs_touch\", \"app\")",
                "not trigger_exists(\"docs\", \"docs_touch\")",
                "trigger_exists(\"docs\", \"Docs_Audit\")",
                "not trigger_exists(\"docs\", \"docs_audit\")",
                // foreign keys are enforced by internal triggers (RI_ConstraintTrigger_...): not user triggers
                "scalar $$ select count(*) from pg_trigger where tgrelid = 'public.kids'::regclass $$ == 2",
                "not trigger_exists(\"kids\", scalar $$ select min(tgname) from pg_trigger where tgrelid = 'public.kids'::regclass $$)");
    }

    @Test
    void extensionExistsAndVersion() {
        expectAll(
                db,
                dir,
                "extension_exists(\"citext\")",
                "extension_exists(\"plpgsql\")",
                "not extension_exists(\"hstore\")", // available on the server, not created here
                "not extension_exists(\"CITEXT\")",
                "extension_version(\"citext\") == scalar $$ select extversion from pg_extension where extname = 'citext' $$",
                "extension_version(\"plpgsql\") == \"1.0\"",
                "extension_version(\"hstore\") == null");
    }

    @Test
    void aMissingTriggerFails() {
        Cli r = expectFails(db, dir, "trigger_exists(\"docs\", \"docs_touch\")");
        assertThat(r.err)
                .contains("expected: trigger_exists(\"docs\", \"docs_touch\") to be true")
                .contains("actual:   false");
    }
}
