package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runbook.ast.Phase;
import io.runbook.eval.Scope;
import io.runbook.journal.Checksums;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Checker;
import io.runbook.parse.Program;
import io.runbook.run.Consequence.Kind;
import io.runbook.run.RunEvent.Block;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The phase engine's operations one at a time, against a real database and journal, as the front ends call them. */
class EngineTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(EngineTest.class);

    @TempDir
    Path dir;

    private Connection work;
    private Connection side;
    private final List<RunEvent> events = new ArrayList<>();

    @BeforeEach
    void connect() throws SQLException {
        db.reset();
        work = db.connect();
        side = db.connect();
    }

    @AfterEach
    void close() throws SQLException {
        work.close();
        side.close();
    }

    private static final String RUNBOOK = """
            runbook "e" {
              preflight { expect count $$ select 1 from pg_class where relname = 'blocker' $$ == 0 }
              phase "one" {
                sql $$ create table a (x int) $$
                sql $$ insert into a values (1 / 0) $$
                sql $$ insert into a values (1) $$
                verify { expect scalar $$ select count(*) from a $$ == 1 }
                rollback {
                  let gone = "a"
                  sql $$ drop table a $$
                }
              }
              phase "two" no transaction {
                sql $$ create table b (x int) $$
                sql $$ insert into b values (1 / 0) $$
              }
            }
            """;

    private Program program() {
        return Checker.load(Files.write(dir, "e.runbook", RUNBOOK));
    }

    /** An engine on the test database with a real journal; the events it emits are kept. */
    private Engine engine(Program program, Engine.Policy policy) throws SQLException {
        Journal journal = new Journal(side, "runbook");
        journal.ensure();
        long run = journal.startRun(new Journal.RunInfo(
                "test",
                "e",
                "e.runbook",
                Checksums.runbook(program),
                Map.of(),
                "tester",
                "here",
                "0",
                false,
                db.name()));
        JournalRecorder recorder = new JournalRecorder(journal, program, run, journal.phases("e"), Set.of());
        return new Engine(
                        program,
                        new Session(work),
                        Prompter.assumeYes(),
                        RunListener.all(events::add, recorder),
                        new Scope(null),
                        Map.of(),
                        policy)
                .withProgress(recorder);
    }

    @Test
    void underTheShellPolicyAFailingStepIsUndoneAloneAndThePhaseCommitsTheRestWithItsJournalRow() throws SQLException {
        Program p = program();
        Phase one = p.runbook().phase("one");
        Engine e = engine(p, Engine.Policy.SHELL);
        e.settings();
        e.enter(Block.PHASE, one, 1, 2);
        e.begin(one, 1);
        e.step(one.steps().get(0));
        Failure f = catchThrowableOfType(() -> e.step(one.steps().get(1)), Failure.class);
        assertThat(f.consequence().kind()).isEqualTo(Kind.STEP_UNDONE);
        assertThat(f.diagnostic().message()).isEqualTo("division by zero");
        e.step(one.steps().get(2));
        e.enterVerify();
        e.step(one.verify().get(0));
        assertThat(db.tableExists("a")).as("nothing committed before finish").isFalse();
        assertThat(e.finish(null)).isEqualTo(PhaseState.COMMITTED);
        assertThat(db.column("select x from a")).containsExactly("1");
        assertThat(db.column("select phase || ' ' || status from runbook.phases"))
                .containsExactly("one applied");
        assertThat(db.column("select kind || ' ' || status from runbook.steps order by id"))
                .containsExactly("sql ok", "sql ok", "expect passed");
    }

    @Test
    void underTheRunPolicyAFailingStepFailsThePhaseAndDiscardRollsItBackWithoutAJournalRow() throws SQLException {
        Program p = program();
        Phase one = p.runbook().phase("one");
        Engine e = engine(p, Engine.Policy.RUN);
        e.settings();
        e.begin(one, 1);
        e.step(one.steps().get(0));
        Failure f = catchThrowableOfType(() -> e.step(one.steps().get(1)), Failure.class);
        assertThat(f.consequence().kind()).isEqualTo(Kind.PHASE_ROLLED_BACK);
        assertThat(e.discardAfter(f)).isEqualTo(PhaseState.ROLLED_BACK);
        assertThat(e.openPhase()).isNull();
        assertThat(db.tableExists("a")).isFalse();
        assertThat(db.column("select count(*) from runbook.phases")).containsExactly("0");
        assertThat(events)
                .filteredOn(x -> x instanceof RunEvent.PhaseFinished)
                .extracting(x -> ((RunEvent.PhaseFinished) x).state())
                .containsExactly(PhaseState.ROLLED_BACK);
    }

    @Test
    void aNoTransactionPhaseFailureSaysWhatHadCommittedAndTheJournalRecordsItPartial() throws SQLException {
        Program p = program();
        Phase two = p.runbook().phase("two");
        Engine e = engine(p, Engine.Policy.RUN);
        e.settings();
        e.begin(two, 1);
        e.step(two.steps().get(0));
        Failure f = catchThrowableOfType(() -> e.step(two.steps().get(1)), Failure.class);
        assertThat(f.consequence().kind()).isEqualTo(Kind.PARTLY_COMMITTED);
        assertThat(f.consequence().committed())
                .singleElement()
                .asString()
                .endsWith("e.runbook:14 create table b (x int)");
        assertThat(e.discardAfter(f)).isEqualTo(PhaseState.PARTIAL);
        assertThat(db.tableExists("b")).isTrue();
        assertThat(db.column("select phase || ' ' || status from runbook.phases order by id"))
                .containsExactly("two started", "two partial");
        assertThat(db.scalar("select detail from runbook.phases where status = 'partial'"))
                .contains("already committed: ")
                .contains("e.runbook:14 create table b (x int)");
    }

    @Test
    void thePreflightIsNeededWhileAnySelectedPhaseIsPendingAndItsFailureChangesNothing() throws SQLException {
        Program p = program();
        Phase one = p.runbook().phase("one");
        Engine e = engine(p, Engine.Policy.SHELL);
        assertThat(e.preflightNeeded(p.runbook().phases())).isTrue();
        e.settings();
        e.begin(one, 1);
        for (int i = 0; i < one.steps().size(); i++) {
            try {
                e.step(one.steps().get(i));
            } catch (Failure undone) {
                // the shell's policy: the failing step is undone alone, the phase goes on
            }
        }
        e.finish(null);
        Engine after = engine(p, Engine.Policy.SHELL);
        assertThat(after.preflightNeeded(List.of(one)))
                .as("every selected phase applied")
                .isFalse();
        assertThat(after.preflightNeeded(p.runbook().phases()))
                .as("phase two still pending")
                .isTrue();
        db.execute("create table blocker (x int)");
        after.enter(Block.PREFLIGHT, null, 0, 0);
        after.beginReadOnly();
        Failure f =
                catchThrowableOfType(() -> after.step(p.runbook().preflight().get(0)), Failure.class);
        after.endReadOnly();
        assertThat(f.consequence().kind()).isEqualTo(Kind.NOTHING_CHANGED);
    }

    @Test
    void aRollbackBlockRunsInItsOwnScopeAndTransactionAndJournalsThePhaseUndone() throws SQLException {
        Program p = program();
        Phase one = p.runbook().phase("one");
        db.execute("create table a (x int)");
        Engine e = engine(p, Engine.Policy.SHELL);
        e.settings();
        e.undo(one);
        assertThat(db.tableExists("a")).isFalse();
        assertThat(e.scope().get("gone"))
                .as("the block's let stays in the block")
                .isNull();
        assertThat(db.column("select phase || ' ' || status from runbook.phases"))
                .containsExactly("one rolled_back");
        assertThat(db.column("select block || ' ' || kind from runbook.steps order by id"))
                .containsExactly("rollback let", "rollback sql");
    }

    @Test
    void aLookChangesNothingSeesTheOpenTransactionAndIsNotJournaled() throws SQLException {
        Program p = program();
        Phase one = p.runbook().phase("one");
        Engine e = engine(p, Engine.Policy.SHELL);
        e.settings();
        e.begin(one, 1);
        e.step(one.steps().get(0));
        assertThat(e.probe(one.verify(), one, Block.VERIFY, false))
                .as("a has no row yet")
                .isFalse();
        e.step(one.steps().get(2));
        assertThat(e.probe(one.verify(), one, Block.VERIFY, false))
                .as("sees the open transaction's row")
                .isTrue();
        assertThat(events).filteredOn(x -> x instanceof RunEvent.GuardChecked).isEmpty();
        assertThat(events)
                .filteredOn(x -> x instanceof RunEvent.Looked l && l.event() instanceof RunEvent.Failed)
                .hasSize(1);
        e.discard("");
        assertThat(db.column("select kind || ' ' || status from runbook.steps order by id"))
                .as("looks are not journaled; the discard is")
                .containsExactly("sql ok", "sql ok", "failure rolled back");
    }

    @Test
    void typedSqlInsideTheOpenPhaseIsUndoneAloneOnErrorAndCommitsWithThePhase() throws SQLException {
        Program p = program();
        Phase one = p.runbook().phase("one");
        Engine e = engine(p, Engine.Policy.SHELL);
        e.settings();
        e.begin(one, 1);
        e.step(one.steps().get(0));
        List<String> seen = new ArrayList<>();
        Session.Output out = new Session.Output() {
            public void table(StepResult.ResultTable t) {
                seen.add("rows " + t.totalRows());
            }

            public void count(long n) {
                seen.add("count " + n);
            }

            public java.io.Writer copyTarget() {
                return new java.io.StringWriter();
            }

            public void notice(String severity, String message) {
                seen.add(severity);
            }
        };
        var insert = io.runbook.sql.SqlSplitter.split("insert into a values (7)")
                .statements()
                .get(0);
        e.typed(insert, insert.text(), 10, out);
        var bad = io.runbook.sql.SqlSplitter.split("insert into a values ('x')")
                .statements()
                .get(0);
        assertThatThrownBy(() -> e.typed(bad, bad.text(), 10, out)).isInstanceOf(SQLException.class);
        var select =
                io.runbook.sql.SqlSplitter.split("select * from a").statements().get(0);
        e.typed(select, select.text(), 10, out);
        assertThat(seen).containsExactly("count 1", "rows 1");
        e.finish(null);
        assertThat(db.column("select x from a")).containsExactly("7");
    }
}
