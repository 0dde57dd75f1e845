package io.runbook.stdlib;

import static io.runbook.stdlib.Stdlib.expectAll;
import static io.runbook.stdlib.Stdlib.expectFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runbook.source.ExitCode;
import io.runbook.testing.Cli;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Indexes (valid or not), constraints (validated or not) and foreign-key counts (stdlib/catalog). */
class CatalogIndexesConstraintsTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(CatalogIndexesConstraintsTest.class);

    @TempDir
    Path dir;

    @BeforeEach
    void fixture() {
        db.reset();
        db.execute("""
                create schema app;
                create table public.items (id int primary key, code text, qty int constraint qty_positive check (qty > 0));
                insert into public.items values (1, 'a', 1), (2, 'a', 2);
                create index items_code_idx on public.items (code);
                create index "Items_Qty" on public.items (qty);
                alter table public.items add constraint code_not_empty check (code <> '') not valid;
                create table app.items (id int primary key, code text);
                create table public.parents (id int primary key);
                insert into public.parents values (1);
                create table public.children (id int, parent_id int);
                insert into public.children values (1, 1);
                alter table public.children add constraint children_parent_fk foreign key (parent_id) references public.parents (id) not valid;
                create table app.children (id int, item_id int constraint children_item_fk references app.items (id));
                create table public.measurements (id int, parent_id int references public.parents (id), at date) partition by range (at);
                create table public.measurements_2025 partition of public.measurements for values from ('2025-01-01') to ('2026-01-01');
                create table public.measurements_2026 partition of public.measurements for values from ('2026-01-01') to ('2027-01-01');
                """);
        // an interrupted CREATE INDEX CONCURRENTLY leaves an invalid index behind
        assertThatThrownBy(() -> db.execute("create unique index concurrently items_code_uniq on public.items (code)"))
                .hasMessageContaining("could not create unique index");
    }

    @Test
    void anInvalidIndexExistsButIsNotValid() {
        expectAll(
                db,
                dir,
                "index_exists(\"items_code_uniq\")",
                "not index_valid(\"items_code_uniq\")",
                "index_valid(\"items_code_idx\")",
                "index_valid(\"items_pkey\")",
                "index_valid(\"items_pkey\", \"app\")",
                "index_valid(\"Items_Qty\")",
                "index_valid(\"items_qty\") == null",
                "index_valid(\"items_code_idx\", \"app\") == null",
                "index_valid(\"items\") == null"); // a table is not an index
    }

    @Test
    void indexValidTurnsTrueAfterReindex() {
        Cli r = Stdlib.run(db, dir, """
                import "stdlib/catalog"
                runbook "reindex" {
                  preflight { expect not index_valid("items_code_uniq") }
                  phase "dedupe" { sql $$ update items set code = 'b' where id = 2 $$ }
                  phase "reindex" no transaction {
                    sql $$ reindex index concurrently items_code_uniq $$
                    verify { expect index_valid("items_code_uniq") }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void indexDefinition() {
        expectAll(
                db,
                dir,
                "index_definition(\"items_code_idx\") == \"CREATE INDEX items_code_idx ON public.items USING btree (code)\"",
                "index_definition(\"Items_Qty\") == \"CREATE INDEX \\\"Items_Qty\\\" ON public.items USING btree (qty)\"",
                "index_definition(\"items_code_uniq\") == \"CREATE UNIQUE INDEX items_code_uniq ON public.items USING btree (code)\"",
                "index_definition(\"items_pkey\", \"app\") == \"CREATE UNIQUE INDEX items_pkey ON app.items USING btree (id)\"",
                "index_definition(\"items\") == null");
    }

    @Test
    void constraintExistsPerTableAndSchema() {
        expectAll(
                db,
                dir,
                "constraint_exists(\"children\", \"children_parent_fk\")",
                "not constraint_exists(\"children\", \"children_parent_fk\", \"app\")",
                "constraint_exists(\"children\", \"children_item_fk\", \"app\")",
                "not constraint_exists(\"parents\", \"children_parent_fk\")");
    }

    @Test
    void notValidConstraintsAreNotValidated() {
        expectAll(
                db,
                dir,
                "not constraint_validated(\"children\", \"children_parent_fk\")",
                "constraint_validated(\"children\", \"children_item_fk\", \"app\")",
                "not constraint_validated(\"items\", \"code_not_empty\")",
                "constraint_validated(\"items\", \"qty_positive\")",
                "constraint_validated(\"items\", \"items_pkey\", \"app\")",
                "constraint_validated(\"items\", \"code_not_empty\", \"app\") == null",
                "constraint_validated(\"items\", \"nope\") == null");
    }

    @Test
    void constraintDefinition() {
        expectAll(
                db,
                dir,
                "constraint_definition(\"children\", \"children_parent_fk\") == \"FOREIGN KEY (parent_id) REFERENCES parents(id) NOT VALID\"",
                "constraint_definition(\"items\", \"qty_positive\") == \"CHECK ((qty > 0))\"",
                "constraint_definition(\"items\", \"items_pkey\", \"app\") == \"PRIMARY KEY (id)\"",
                "constraint_definition(\"items\", \"nope\") == null");
    }

    @Test
    void foreignKeyCountsCountEachDeclaredKeyOnce() {
        expectAll(
                db,
                dir,
                // children_parent_fk and the one on measurements; not its copies on the two partitions
                "fk_count() == 2",
                "fk_count(\"public\") == scalar $$ select count(*) from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace $$ - 2",
                "unvalidated_fk_count() == 1",
                "fk_count(\"app\") == 1",
                "unvalidated_fk_count(\"app\") == 0",
                "fk_count(\"nope\") == 0");
    }

    @Test
    void validatingTheForeignKeyIsSeenInsideThePhase() {
        Cli r = Stdlib.run(db, dir, """
                import "stdlib/catalog"
                runbook "validate" {
                  preflight { expect unvalidated_fk_count() == 1 }
                  phase "validate" {
                    sql $$ alter table children validate constraint children_parent_fk $$
                    verify {
                      expect constraint_validated("children", "children_parent_fk")
                      expect unvalidated_fk_count() == 0
                      expect fk_count() == 2
                      expect constraint_definition("children", "children_parent_fk") == "FOREIGN KEY (parent_id) REFERENCES parents(id)"
                    }
                  }
                }
                """);
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aNotValidForeignKeyFailsTheCheckWithItsValue() {
        Cli r = expectFails(db, dir, "constraint_validated(\"children\", \"children_parent_fk\")");
        assertThat(r.err)
                .contains("expected: constraint_validated(\"children\", \"children_parent_fk\") to be true")
                .contains("actual:   false");
        Cli n = expectFails(db, dir, "unvalidated_fk_count() == 0");
        assertThat(n.err).contains("expected: unvalidated_fk_count() == 0").contains("actual:   1");
    }

    @Test
    void aMissingIndexIsNotTrueOrFalse() {
        Cli r = Stdlib.run(db, dir, Stdlib.preflight("index_valid(\"items_qty\")"));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.GUARD_FAILED);
        assertThat(r.err).contains("ERROR: expected true or false, got null");
    }
}
