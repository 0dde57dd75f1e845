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

/** Row-level security and policies (stdlib/catalog). */
class CatalogSecurityTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(CatalogSecurityTest.class);
        db.execute("""
                create schema app;
                create table public.notes (id int, owner text);
                create table app.notes (id int, owner text);
                alter table app.notes enable row level security;
                alter table app.notes force row level security;
                create policy own on app.notes using (owner = current_user);
                create policy admin on app.notes to postgres using (true);
                create table public."Secrets" (id int);
                alter table public."Secrets" enable row level security;
                create policy readers on public."Secrets" for select using (true);
                create table app.other (id int);
                create policy dormant on app.other using (true);
                create view public.notes_view as select * from public.notes;
                """);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void rlsEnabledPerSchemaAndCase() {
        expectAll(
                db,
                dir,
                "not rls_enabled(\"notes\")",
                "rls_enabled(\"notes\", \"app\")",
                "rls_enabled(\"Secrets\")",
                "rls_enabled(\"secrets\") == null",
                "rls_enabled(\"notes_view\") == null",
                // a policy on a table without row-level security is not enforced
                "not rls_enabled(\"other\", \"app\")",
                "policy_count(\"other\", \"app\") == 1");
    }

    @Test
    void rlsForced() {
        expectAll(
                db,
                dir,
                "rls_forced(\"notes\", \"app\")",
                "not rls_forced(\"Secrets\")",
                "not rls_forced(\"notes\")",
                "rls_forced(\"nope\") == null");
    }

    @Test
    void policyCounts() {
        expectAll(
                db,
                dir,
                "policy_count(\"notes\", \"app\") == 2",
                "policy_count(\"notes\") == 0",
                "policy_count(\"Secrets\") == 1",
                "policy_count(\"secrets\") == 0",
                "schema_policy_count(\"app\") == 3",
                "schema_policy_count() == 1",
                "schema_policy_count(\"nope\") == 0");
    }

    @Test
    void aTableWithoutRowLevelSecurityFails() {
        Cli r = expectFails(db, dir, "rls_enabled(\"notes\")");
        assertThat(r.err)
                .contains("expected: rls_enabled(\"notes\") to be true")
                .contains("actual:   false");
    }
}
