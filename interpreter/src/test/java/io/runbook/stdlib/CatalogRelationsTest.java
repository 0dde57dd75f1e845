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

/** Tables, views, sequences, schemas, row counts and sizes (stdlib/catalog). */
class CatalogRelationsTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(CatalogRelationsTest.class);
        db.execute("""
                create schema billing;
                create schema "Sales";
                create table public.orders (id bigint, status text);
                insert into public.orders select g, 'open' from generate_series(1, 5) g;
                create table billing.orders (id bigint);
                insert into billing.orders values (1), (2), (3);
                create table billing."Invoices" (id bigint primary key);
                create table "Sales"."Leads" (id int);
                insert into "Sales"."Leads" values (1), (2);
                create table public.report (x int);
                create view billing.report as select 1 as x;
                create materialized view billing.totals as select 1 as x;
                create sequence billing.invoice_no;
                create table public.counters (id serial, n int);
                create table billing.events (id bigint, at date) partition by range (at);
                create table billing.events_2025 partition of billing.events for values from ('2025-01-01') to ('2026-01-01');
                create table billing.events_2026 partition of billing.events for values from ('2026-01-01') to ('2027-01-01');
                insert into billing.events select g, date '2025-03-01' from generate_series(1, 40) g;
                insert into billing.events select g, date '2026-03-01' from generate_series(1, 60) g;
                create table billing.empty_parent (id int, at date) partition by range (at);
                create table public.analyzed (id int);
                insert into public.analyzed select generate_series(1, 7);
                analyze public.analyzed;
                analyze billing.events_2025;
                analyze billing.events_2026;
                analyze billing.totals;
                """);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void tableExistsPerSchemaAndCase() {
        expectAll(
                db,
                dir,
                "table_exists(\"orders\")",
                "table_exists(\"orders\", \"billing\")",
                "table_exists(\"Invoices\", \"billing\")",
                "not table_exists(\"invoices\", \"billing\")",
                "not table_exists(\"Invoices\")",
                "table_exists(\"Leads\", \"Sales\")",
                "not table_exists(\"Leads\", \"sales\")",
                // a table in public, a view of the same name in billing
                "table_exists(\"report\")",
                "not table_exists(\"report\", \"billing\")",
                "not table_exists(\"totals\", \"billing\")",
                "table_exists(\"events\", \"billing\")",
                "table_exists(\"events_2025\", \"billing\")");
    }

    @Test
    void tableCountLeavesOutPartitionsViewsAndSequences() {
        expectAll(
                db,
                dir,
                "table_count(\"billing\") == 4", // orders, Invoices, events, empty_parent
                "table_count() == 4", // orders, report, counters, analyzed
                "table_count(\"Sales\") == 1",
                "table_count(\"sales\") == 0",
                "table_count(\"nope\") == 0");
    }

    @Test
    void schemaExists() {
        expectAll(
                db,
                dir,
                "schema_exists(\"public\")",
                "schema_exists(\"Sales\")",
                "not schema_exists(\"sales\")",
                "schema_exists(\"pg_catalog\")");
    }

    @Test
    void viewExistsIsNotFooledByATableOfTheSameNameInAnotherSchema() {
        expectAll(
                db,
                dir,
                "view_exists(\"report\", \"billing\")",
                "not view_exists(\"report\")",
                "not view_exists(\"totals\", \"billing\")",
                "not view_exists(\"orders\")");
    }

    @Test
    void materializedViewsAreNotViews() {
        expectAll(
                db,
                dir,
                "materialized_view_exists(\"totals\", \"billing\")",
                "not materialized_view_exists(\"report\", \"billing\")",
                "not materialized_view_exists(\"totals\")");
    }

    @Test
    void sequenceExistsForExplicitAndSerialSequences() {
        expectAll(
                db,
                dir,
                "sequence_exists(\"invoice_no\", \"billing\")",
                "not sequence_exists(\"invoice_no\")",
                "sequence_exists(\"counters_id_seq\")",
                "not sequence_exists(\"Invoices_pkey\", \"billing\")",
                "not sequence_exists(\"orders\")");
    }

    @Test
    void rowCountIsExactAndQuotesItsIdentifiers() {
        expectAll(
                db,
                dir,
                "row_count(\"orders\") == 5",
                "row_count(\"orders\", \"billing\") == 3",
                "row_count(\"Leads\", \"Sales\") == 2",
                "row_count(\"events\", \"billing\") == 100",
                "row_count(\"events_2025\", \"billing\") == 40",
                "row_count(\"report\", \"billing\") == 1");
    }

    @Test
    void rowCountOfAMissingTableIsASqlError() {
        Cli r = Stdlib.run(db, dir, Stdlib.preflight("row_count(\"leads\", \"Sales\") == 2"));
        assertThat(r.exit).as(r.toString()).isEqualTo(ExitCode.SQL_ERROR);
        assertThat(r.err).contains("relation \"Sales.leads\" does not exist");
    }

    @Test
    void approxRowCountIsNullBeforeAnalyzeAndSumsPartitions() {
        expectAll(
                db,
                dir,
                "approx_row_count(\"analyzed\") == 7",
                "approx_row_count(\"orders\") == null", // never vacuumed or analyzed
                "approx_row_count(\"events\", \"billing\") == 100", // the partitions' estimates
                "approx_row_count(\"events_2026\", \"billing\") == 60",
                "approx_row_count(\"empty_parent\", \"billing\") == 0",
                "approx_row_count(\"report\", \"billing\") == null", // a view has no estimate
                "approx_row_count(\"totals\", \"billing\") == 1", // a materialized view has one
                "approx_row_count(\"nope\") == null");
    }

    @Test
    void approxTableSizeCountsPartitionsIndexesAndToast() {
        expectAll(
                db,
                dir,
                "approx_table_size(\"orders\") == scalar $$ select pg_total_relation_size('public.orders') $$",
                "approx_table_size(\"orders\") > 0",
                "approx_table_size(\"Invoices\", \"billing\") == scalar $$ select pg_total_relation_size('billing.\"Invoices\"') $$",
                "scalar $$ select pg_total_relation_size('billing.events') $$ == 0",
                "approx_table_size(\"events\", \"billing\") == scalar $$ select pg_total_relation_size('billing.events_2025') + pg_total_relation_size('billing.events_2026') $$",
                "approx_table_size(\"totals\", \"billing\") == scalar $$ select pg_total_relation_size('billing.totals') $$",
                "approx_table_size(\"report\", \"billing\") == null",
                "approx_table_size(\"nope\") == null");
    }

    @Test
    void aFailingExpectationShowsTheFunctionAndItsValue() {
        Cli r = expectFails(db, dir, "table_exists(\"invoices\", \"billing\")");
        assertThat(r.err)
                .contains("expectation failed")
                .contains("table_exists(\"invoices\", \"billing\")")
                .contains("actual:   false");
        Cli n = expectFails(db, dir, "row_count(\"orders\", \"billing\") == 5");
        assertThat(n.err)
                .contains("expected: row_count(\"orders\", \"billing\") == 5")
                .contains("actual:   3");
    }
}
