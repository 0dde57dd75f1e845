package io.runbook.lint;

import static io.runbook.lint.Lint.noTransaction;
import static io.runbook.lint.Lint.phase;
import static io.runbook.lint.Lint.rules;
import static io.runbook.lint.Lint.where;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One positive and one negative case (at least) per rule; no database needed. */
class LintRulesTest {
    @TempDir
    Path dir;

    LintReport lint(String runbook, String... files) {
        return Lint.run(dir, runbook, files);
    }

    Finding only(LintReport r) {
        assertThat(r.active()).as(LintOutput.text(r, true)).hasSize(1);
        return r.active().get(0);
    }

    @Nested
    class CreateIndexNotConcurrently {
        @Test
        void onAnExistingTable() {
            LintReport r = lint(phase(" create index orders_a on orders (a) "));
            Finding f = only(r);
            assertThat(f.rule()).isEqualTo(Rule.CREATE_INDEX_NOT_CONCURRENTLY);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.pos().line()).isEqualTo(3);
            assertThat(f.pos().col()).isEqualTo(12);
            assertThat(f.message()).contains("orders").contains("without CONCURRENTLY");
            assertThat(f.fix()).contains("CONCURRENTLY").contains("no transaction");
        }

        @Test
        void uniqueAndSchemaQualifiedToo() {
            assertThat(
                            rules(
                                    lint(
                                            phase(
                                                    " create unique index if not exists i on only public.orders using btree (a) where a > 0 "))))
                    .containsExactly("create-index-not-concurrently");
        }

        @Test
        void notOnATableTheRunbookCreatedEarlier() {
            String rb = """
                    runbook "r" {
                      phase "create" {
                        sql $$ create table public.fresh (id int primary key, a int) $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ drop table fresh $$ }
                      }
                      phase "index" {
                        sql $$ create index fresh_a on fresh (a) $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ drop index fresh_a $$ }
                      }
                    }
                    """;
            assertThat(rules(lint(rb))).isEmpty();
        }

        @Test
        void notWhenConcurrently() {
            assertThat(rules(lint(noTransaction(" create index concurrently orders_a on orders (a) "))))
                    .isEmpty();
        }
    }

    @Nested
    class ConcurrentlyInTransaction {
        @Test
        void insideADoBlockIsAnError() {
            // The checker cannot see into a DO block; the linter does. A DO block always runs in a transaction.
            LintReport r = lint(
                    noTransaction(
                            "\n      do $body$ begin\n        create index concurrently i on orders (a);\n      end $body$\n    "));
            Finding f = only(r);
            assertThat(f.rule()).isEqualTo(Rule.CONCURRENTLY_IN_TRANSACTION);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.pos().line()).isEqualTo(5);
            assertThat(f.pos().col()).isEqualTo(22);
            assertThat(r.hasErrors()).isTrue();
        }

        @Test
        void dropIndexConcurrentlyInADoBlock() {
            assertThat(rules(lint(noTransaction(" do $x$ begin drop index concurrently i; end $x$ "))))
                    .containsExactly("concurrently-in-transaction");
        }

        @Test
        void notInANoTransactionPhase() {
            assertThat(rules(lint(
                            noTransaction(" create index concurrently i on orders (a); drop index concurrently j "))))
                    .isEmpty();
        }
    }

    @Nested
    class ConstraintNotValid {
        @Test
        void foreignKeyWithoutNotValid() {
            Finding f = only(
                    lint(
                            phase(
                                    " alter table orders add constraint orders_customer_fkey foreign key (customer_id) references customers (id) ")));
            assertThat(f.rule()).isEqualTo(Rule.CONSTRAINT_NOT_VALID);
            assertThat(f.message()).contains("FOREIGN KEY orders_customer_fkey").contains("SHARE ROW EXCLUSIVE");
            assertThat(f.fix()).contains("VALIDATE CONSTRAINT orders_customer_fkey");
            assertThat(f.pos().col()).isEqualTo(31);
        }

        @Test
        void checkWithoutNotValid() {
            Finding f = only(lint(phase(" alter table orders add check (amount > 0) ")));
            assertThat(f.message()).contains("ADD CHECK").contains("ACCESS EXCLUSIVE");
            assertThat(f.fix()).contains("name the constraint");
        }

        @Test
        void notWithNotValid() {
            assertThat(
                            rules(
                                    lint(
                                            phase(
                                                    " alter table orders add constraint c check (amount > 0) not valid; "
                                                            + "alter table orders add constraint f foreign key (customer_id) references customers (id) not valid "))))
                    .isEmpty();
        }

        @Test
        void notOtherConstraintsNorNewTables() {
            assertThat(rules(lint(phase(" alter table orders add constraint u unique (a); create table t (a int); "
                            + "alter table t add constraint f foreign key (a) references orders (id) "))))
                    .containsExactly("constraint-builds-index");
        }

        @Test
        void validatedInTheSameTransaction() {
            LintReport r = lint(phase(" alter table orders add constraint c check (amount > 0) not valid;\n"
                    + "      alter table orders validate constraint c "));
            assertThat(where(r)).containsExactly("constraint-not-valid 4:26");
            assertThat(r.active().get(0).message())
                    .contains("VALIDATE CONSTRAINT c in the transaction that added it NOT VALID");
        }

        @Test
        void validatedInALaterPhase() {
            String rb = """
                    runbook "r" {
                      phase "add" {
                        sql $$ alter table orders add constraint c check (amount > 0) not valid $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ alter table orders drop constraint c $$ }
                      }
                      phase "validate" {
                        sql $$ alter table orders validate constraint c $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ select 1 $$ }
                      }
                    }
                    """;
            assertThat(rules(lint(rb))).isEmpty();
        }
    }

    @Nested
    class AlterColumnType {
        @Test
        void rewritingChange() {
            Finding f = only(lint(phase(" alter table orders alter column amount type bigint ")));
            assertThat(f.rule()).isEqualTo(Rule.ALTER_COLUMN_TYPE);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("TYPE bigint").contains("rewrites");
        }

        @Test
        void shrinkingAKnownVarchar() {
            LintReport r = lint(
                    phase(
                            " alter table orders add column note varchar(50); alter table orders alter column note set data type varchar(20) "));
            Finding f = only(r);
            assertThat(f.message()).contains("(was varchar(50))");
        }

        @Test
        void binaryCompatibleChangesAreExempt() {
            assertThat(
                            rules(
                                    lint(
                                            phase(
                                                    " alter table orders add column note varchar(10); alter table orders add column code character varying(5);\n"
                                                            + " alter table orders alter column note type varchar(200), alter column code type text;\n"
                                                            + " alter table orders add column price numeric(8,2); alter table orders alter price type numeric(12,2) "))))
                    .isEmpty();
        }

        @Test
        void unknownOldTypeToText() {
            Finding f = only(lint(phase(" alter table orders alter column note type text ")));
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.message()).contains("unless the old type is binary-compatible");
        }

        @Test
        void notOnANewTable() {
            assertThat(rules(lint(phase(" create table t (a int); alter table t alter column a type bigint "))))
                    .isEmpty();
        }
    }

    @Nested
    class SetNotNull {
        @Test
        void withoutAValidatedCheck() {
            Finding f = only(lint(phase(" alter table orders alter column customer_id set not null ")));
            assertThat(f.rule()).isEqualTo(Rule.SET_NOT_NULL);
            assertThat(f.message()).contains("orders.customer_id");
            assertThat(f.fix()).contains("CHECK (customer_id IS NOT NULL) NOT VALID");
        }

        @Test
        void notValidCheckThatIsNotValidatedYet() {
            assertThat(rules(
                            lint(phase(" alter table orders add constraint c check (customer_id is not null) not valid;"
                                    + " alter table orders alter column customer_id set not null "))))
                    .containsExactly("set-not-null");
        }

        @Test
        void afterAValidatedCheck() {
            String rb = """
                    runbook "r" {
                      phase "check" {
                        sql $$ alter table orders add constraint orders_cid_nn check ((customer_id is not null)) not valid $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ alter table orders drop constraint orders_cid_nn $$ }
                      }
                      phase "validate and set" {
                        sql $$
                          alter table orders validate constraint orders_cid_nn;
                          alter table orders alter column customer_id set not null;
                        $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ alter table orders alter column customer_id drop not null $$ }
                      }
                    }
                    """;
            assertThat(rules(lint(rb))).isEmpty();
        }
    }

    @Nested
    class VolatileDefault {
        @Test
        void volatileFunctionsSerialAndIdentity() {
            LintReport r = lint(phase(" alter table orders add column token uuid default gen_random_uuid();\n"
                    + " alter table orders add column n bigserial;\n"
                    + " alter table orders add column seen timestamptz not null default clock_timestamp();\n"
                    + " alter table orders add column k int generated always as identity;\n"
                    + " alter table orders add column r int default (random() * 10)::int "));
            assertThat(rules(r))
                    .containsExactly(
                            "volatile-default",
                            "volatile-default",
                            "volatile-default",
                            "volatile-default",
                            "volatile-default");
            assertThat(r.active().get(0).message()).contains("gen_random_uuid()");
            assertThat(r.active().get(1).message()).contains("bigserial");
        }

        @Test
        void stableAndConstantDefaultsAreFine() {
            assertThat(
                            rules(
                                    lint(
                                            phase(
                                                    " alter table orders add column created timestamptz not null default now(),"
                                                            + " add column t2 timestamptz default current_timestamp, add column s text not null default 'x' "))))
                    .isEmpty();
        }

        @Test
        void notOnANewTable() {
            assertThat(rules(lint(phase(
                            " create table t (a int); alter table t add column id uuid default gen_random_uuid() "))))
                    .isEmpty();
        }
    }

    @Nested
    class DropWithoutRollback {
        static final String RB = """
                runbook "r" {
                  phase "drop" {
                    sql $$ drop table legacy; alter table orders drop column old_note $$
                    verify { expect 1 == 1 }
                    %s
                  }
                }
                """;

        @Test
        void dropTableAndColumnInAPhaseWithoutRollback() {
            LintReport r = lint(RB.formatted(""));
            assertThat(where(r)).containsExactly("drop-without-rollback 3:12", "drop-without-rollback 3:50");
            assertThat(r.active().get(0).message())
                    .contains("DROP TABLE legacy")
                    .contains("phase \"drop\"");
            assertThat(r.active().get(1).message()).contains("DROP COLUMN old_note of orders");
        }

        @Test
        void notWhenThePhaseHasARollbackBlock() {
            assertThat(rules(lint(RB.formatted("rollback { sql $$ create table legacy (id int) $$ }"))))
                    .isEmpty();
        }
    }

    @Nested
    class AddEnumValueInTransaction {
        @Test
        void beforePostgres12InATransactionalPhaseItFails() {
            LintReport r = Linter.lint(
                    io.runbook.parse.Checker.load(io.runbook.testing.Files.write(
                            dir, "main.runbook", phase(" alter type order_status add value 'refunded' "))),
                    11);
            Finding f = only(r);
            assertThat(f.rule()).isEqualTo(Rule.ADD_ENUM_VALUE_IN_TRANSACTION);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("PostgreSQL 11 refuses it");
        }

        @Test
        void fromPostgres12OnlyWhenTheValueIsUsedBeforeCommit() {
            assertThat(rules(lint(phase(" alter type order_status add value 'refunded' "))))
                    .isEmpty();
            LintReport r = lint(
                    phase(
                            " alter type order_status add value 'refunded';\n      update orders set status = 'refunded' where id = 1 "));
            assertThat(where(r)).containsExactly("add-enum-value-in-transaction 4:34");
            assertThat(r.active().get(0).message()).contains("'refunded' is used in the transaction that added it");
        }

        @Test
        void theRunbookDeclaresItsVersionInThePreflight() {
            String rb = """
                    runbook "r" {
                      preflight { expect scalar $$ select current_setting('server_version_num')::int $$ >= 110000 }
                      phase "p" {
                        sql $$ alter type order_status add value 'refunded' $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ select 1 $$ }
                      }
                    }
                    """;
            assertThat(rules(lint(rb))).containsExactly("add-enum-value-in-transaction");
        }

        @Test
        void notInANoTransactionPhase() {
            assertThat(rules(lint(noTransaction(
                            " alter type order_status add value if not exists 'refunded' before 'closed' "))))
                    .isEmpty();
        }
    }

    @Nested
    class RenameRule {
        @Test
        void columnsAndTables() {
            LintReport r = lint(
                    phase(" alter table orders rename column note to remark; alter table customers rename to clients;"
                            + " alter view v rename to w "));
            assertThat(rules(r)).containsExactly("rename", "rename", "rename");
            assertThat(r.active().get(0).message()).contains("RENAME COLUMN note TO remark on orders");
            assertThat(r.active().get(1).message()).contains("RENAME TABLE customers TO clients");
            assertThat(r.active().get(2).message()).contains("RENAME VIEW v TO w");
        }

        @Test
        void notOfNewTablesNorConstraints() {
            assertThat(rules(lint(phase(
                            " create table t (a int); alter table t rename column a to b; alter table t rename to u;"
                                    + " alter table orders rename constraint c1 to c2; create index ui on u (b) "))))
                    .isEmpty();
        }
    }

    @Nested
    class UnguardedBulkChange {
        @Test
        void deleteUpdateTruncate() {
            LintReport r = lint(
                    phase(
                            " delete from orders; update orders set flag = true; truncate table audit_log, events restart identity cascade "));
            assertThat(rules(r))
                    .containsExactly(
                            "unguarded-bulk-change",
                            "unguarded-bulk-change",
                            "unguarded-bulk-change",
                            "truncate-cascade");
            assertThat(r.active().get(0).message()).startsWith("DELETE without WHERE on orders");
            assertThat(r.active().get(2).message()).startsWith("TRUNCATE audit_log, events");
        }

        @Test
        void insideADataModifyingCte() {
            assertThat(where(lint(phase(
                            " with gone as (delete from orders returning id) insert into log select id from gone "))))
                    .containsExactly("unguarded-bulk-change 3:26");
        }

        @Test
        void notWithWhere() {
            assertThat(
                            rules(
                                    lint(
                                            phase(
                                                    " delete from orders where id = 1; update orders o set flag = true from (select 1) s where o.id = 2 "))))
                    .isEmpty();
        }

        @Test
        void notWithAnExpectAffectedGuard() {
            String rb = """
                    runbook "r" {
                      phase "p" {
                        sql $$ delete from orders $$ expect affected <= 100
                        verify { expect 1 == 1 }
                        rollback { sql $$ select 1 $$ }
                      }
                    }
                    """;
            assertThat(rules(lint(rb))).isEmpty();
        }
    }

    @Nested
    class PhaseWithoutVerify {
        @Test
        void aPhaseThatRunsSqlWithoutVerify() {
            String rb = """
                    runbook "r" {
                      phase "backfill" {
                        sql $$ update orders set flag = true where flag is null $$
                        rollback { sql $$ select 1 $$ }
                      }
                    }
                    """;
            LintReport r = lint(rb);
            assertThat(where(r)).containsExactly("phase-without-verify 2:3");
            assertThat(r.active().get(0).message()).contains("phase \"backfill\" has no verify block");
        }

        @Test
        void notWithVerifyNorWithoutSql() {
            String rb = """
                    runbook "r" {
                      phase "a" {
                        sql $$ update orders set flag = true where flag is null $$
                        verify { expect 1 == 1 }
                        rollback { sql $$ select 1 $$ }
                      }
                      phase "smoke test" {
                        confirm "Does the application work?"
                      }
                    }
                    """;
            assertThat(rules(lint(rb))).isEmpty();
        }
    }

    @Nested
    class Unanalysed {
        @Test
        void aStatementNobodyKnows() {
            Finding f = only(lint(phase(" frobnicate the orders ")));
            assertThat(f.rule()).isEqualTo(Rule.UNANALYSED);
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.message()).contains("FROBNICATE");
            assertThat(f.pos().col()).isEqualTo(12);
        }

        @Test
        void dynamicSqlInADoBlock() {
            Finding f =
                    only(lint(phase(" do $$ begin execute 'drop table ' || 'orders'; end $$ ".replace("$$", "$d$"))));
            assertThat(f.rule()).isEqualTo(Rule.UNANALYSED);
            assertThat(f.message()).contains("EXECUTE");
        }

        @Test
        void knownStatementsAreAnalysedNotReported() {
            LintReport r = lint(
                    phase(" drop policy if exists p on orders; drop type if exists t; grant select on orders to app;"
                            + " comment on table orders is 'x'; create extension if not exists pgcrypto "));
            assertThat(rules(r)).isEmpty();
            assertThat(r.stats().unanalysed()).isZero();
            assertThat(r.stats().statements()).isEqualTo(6); // the five, and the rollback's select 1
        }
    }

    @Nested
    class OnlyWhatCanMatterIsParsed {
        @Test
        void statementsNoRuleCanReportOnAreReadFromTokens() {
            LintReport r = lint(phase(
                    " insert into orders values (1); update orders set a = 1 where id = 1; create table t (a int);"
                            + " create index on t (a); create index on orders (a) "));
            assertThat(rules(r)).containsExactly("create-index-not-concurrently");
            // only the index on orders (an existing table) is parsed; the rollback's select 1 is the sixth statement
            assertThat(r.stats()).isEqualTo(new LintReport.Stats(6, 1, 5, 0, 0));
        }
    }
}
