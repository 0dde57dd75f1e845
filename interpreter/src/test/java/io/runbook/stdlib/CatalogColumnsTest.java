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

/** Columns: existence, type, nullability, default (stdlib/catalog). */
class CatalogColumnsTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(CatalogColumnsTest.class);
        db.execute("""
                create schema app;
                create type app.mood as enum ('ok', 'sad');
                create table public."Users" (
                  "Email" varchar(200) not null default 'x@example.com',
                  age int,
                  tags text[],
                  created timestamptz default now(),
                  id bigint generated always as identity,
                  double_age int generated always as (age * 2) stored,
                  mood app.mood default 'ok',
                  price numeric(10, 2) default 0
                );
                create table app."Users" ("Email" text, age bigint default 18);
                alter table public."Users" add column legacy int not null default 5;
                alter table public."Users" drop column legacy;
                create view public.adults as select "Email", age from public."Users" where age >= 18;
                """);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void columnExistsIgnoresDroppedAndSystemColumns() {
        expectAll(
                db,
                dir,
                "column_exists(\"Users\", \"Email\")",
                "not column_exists(\"Users\", \"email\")",
                "not column_exists(\"users\", \"Email\")",
                "not column_exists(\"Users\", \"legacy\")",
                "not column_exists(\"Users\", \"ctid\")",
                "column_exists(\"Users\", \"Email\", \"app\")",
                "not column_exists(\"Users\", \"tags\", \"app\")",
                "column_exists(\"adults\", \"age\")");
    }

    @Test
    void columnTypeIsFormatTypeText() {
        expectAll(
                db,
                dir,
                "column_type(\"Users\", \"Email\") == \"character varying(200)\"",
                "column_type(\"Users\", \"Email\", \"app\") == \"text\"",
                "column_type(\"Users\", \"age\") == \"integer\"",
                "column_type(\"Users\", \"age\", \"app\") == \"bigint\"",
                "column_type(\"Users\", \"tags\") == \"text[]\"",
                "column_type(\"Users\", \"created\") == \"timestamp with time zone\"",
                "column_type(\"Users\", \"price\") == \"numeric(10,2)\"",
                // the schema of a type off the search_path is part of its name
                "column_type(\"Users\", \"mood\") == \"app.mood\"",
                "column_type(\"adults\", \"age\") == \"integer\"",
                "column_type(\"Users\", \"legacy\") == null",
                "column_type(\"Users\", \"email\") == null",
                "column_type(\"nope\", \"age\") == null");
    }

    @Test
    void columnTypeFollowsTheSearchPath() {
        Cli r = Stdlib.run(db, dir, """
                import "stdlib/catalog"
                runbook "search path" {
                  set search_path = "app, public"
                  preflight { expect column_type("Users", "mood", "public") == "mood" }
                  phase "checked" { expect column_type("Users", "mood", "public") == "mood" }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out).contains("ok expect column_type(\"Users\", \"mood\", \"public\") == \"mood\"");
    }

    @Test
    void columnNullable() {
        expectAll(
                db,
                dir,
                "not column_nullable(\"Users\", \"Email\")",
                "column_nullable(\"Users\", \"Email\", \"app\")",
                "column_nullable(\"Users\", \"age\")",
                "not column_nullable(\"Users\", \"id\")", // identity columns are NOT NULL
                "column_nullable(\"Users\", \"legacy\") == null",
                "column_nullable(\"Users\", \"nope\") == null");
    }

    @Test
    void columnDefaultIsTheExpressionText() {
        expectAll(
                db,
                dir,
                "column_default(\"Users\", \"Email\") == \"'x@example.com'::character varying\"",
                "column_default(\"Users\", \"Email\", \"app\") == null",
                "column_default(\"Users\", \"age\", \"app\") == \"18\"",
                "column_default(\"Users\", \"age\") == null",
                "column_default(\"Users\", \"created\") == \"now()\"",
                "column_default(\"Users\", \"mood\") == \"'ok'::app.mood\"",
                "column_default(\"Users\", \"price\") == 0",
                "column_default(\"Users\", \"id\") == null", // identity: no default expression
                "column_default(\"Users\", \"double_age\") == null", // generated: not a default
                "column_default(\"Users\", \"legacy\") == null"); // dropped, though it had one
    }

    @Test
    void aWrongTypeShowsTheActualType() {
        Cli r = expectFails(db, dir, "column_type(\"Users\", \"age\") == \"bigint\"");
        assertThat(r.err)
                .contains("expected: column_type(\"Users\", \"age\") == \"bigint\"")
                .contains("actual:   \"integer\"");
    }
}
