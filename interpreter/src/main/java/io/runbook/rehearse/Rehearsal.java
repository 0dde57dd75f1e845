package io.runbook.rehearse;

import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Program;
import io.runbook.run.Interpreter;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.RunListener;
import io.runbook.run.Session;
import io.runbook.schema.SchemaDiff;
import io.runbook.schema.SchemaSnapshot;
import io.runbook.source.ExitCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves the way back before the window opens: in a scratch database loaded with the fixture, every
 * phase forward with all guards, every rollback block in reverse checked against the schema the phase
 * started from (each difference blamed once, see {@link Drift}), the whole schema against the fixture's, then
 * every phase forward once more. Every verdict is given, also after a failure.
 */
public final class Rehearsal {
    /** One line of the verdict. */
    public record Verdict(String subject, boolean ok, String text, List<String> diff) {}

    public record Result(List<Verdict> verdicts, List<String> confirmations) {
        public boolean ok() {
            return verdicts.stream().allMatch(Verdict::ok);
        }
    }

    private final Program program;
    private final Scope params;
    private final Map<String, String> env;
    private final RunListener console;

    public Rehearsal(Program program, Scope params, Map<String, String> env, RunListener console) {
        this.program = program;
        this.params = params;
        this.env = env;
        this.console = console;
    }

    public Result run(ScratchDatabase scratch, Journal.RunInfo info) throws SQLException {
        List<Verdict> verdicts = new ArrayList<>();
        List<String> confirmations = new ArrayList<>();
        String[] pass = {"forward"};
        Prompter prompter = new Prompter() {
            public Answer confirm(String question, String typing) {
                confirmations.add(pass[0] + ": " + question + (typing == null ? "" : " (typing \"" + typing + "\")"));
                return new Answer(true, "rehearsal");
            }

            public boolean canAsk() {
                return true;
            }
        };
        List<Phase> phases = program.runbook().phases();
        try (Database db = Database.open(scratch.settings(), "runbook");
                Session session = new Session(db.connection());
                Connection side = db.connection()) {
            Journal journal = new Journal(side, "runbook");
            journal.ensure();
            SchemaSnapshot fixture = capture(side);
            Map<String, SchemaSnapshot> before = new LinkedHashMap<>();
            RunListener snapshots = e -> {
                if (e instanceof RunEvent.BlockStarted b
                        && b.block() == RunEvent.Block.PHASE
                        && !before.containsKey(b.phase().name())) {
                    before.put(b.phase().name(), captureQuietly(side));
                }
            };

            // 1. forward, with every guard
            long forward = journal.startRun(info);
            JournalRecorder recorder = new JournalRecorder(
                    journal, program, forward, journal.phases(program.runbook().name()), Set.of());
            Interpreter in = new Interpreter(
                            program, session, prompter, RunListener.all(console, recorder, snapshots), params, env)
                    .withProgress(recorder);
            int exit = in.run(phases, Interpreter.OnFailure.STOP);
            journal.finishRun(forward, exit, exit == ExitCode.OK ? "rehearsal: forward" : "rehearsal: forward failed");
            Map<String, Journal.PhaseRecord> applied =
                    journal.phases(program.runbook().name());
            List<Phase> done = new ArrayList<>();
            for (Phase p : phases) {
                Journal.PhaseRecord r = applied.get(p.name());
                if (r != null && r.done()) done.add(p);
            }
            SchemaSnapshot afterForward = capture(side);
            Phase stoppedAt = null;
            if (exit != ExitCode.OK) {
                stoppedAt = phases.stream()
                        .filter(p -> !done.contains(p))
                        .findFirst()
                        .orElse(null);
                verdicts.add(new Verdict(
                        stoppedAt == null ? "forward" : stoppedAt.name(),
                        false,
                        "forward failed (exit " + exit + "): see the error above",
                        List.of()));
            }

            // 2. every rollback block, last phase first. Each is blamed only for the differences it adds to what the
            //    rollbacks after it left (Drift): one bad rollback fails one phase, not every phase undone after it.
            pass[0] = "rollback";
            List<Phase> reversed = new ArrayList<>(done);
            Collections.reverse(reversed);
            SchemaSnapshot after = afterForward;
            long back = journal.startRun(info);
            JournalRecorder backRecorder = new JournalRecorder(journal, program, back, applied, Set.of());
            Interpreter undo = new Interpreter(
                            program, session, prompter, RunListener.all(console, backRecorder), params, env)
                    .withProgress(backRecorder);
            boolean allUndone = true;
            Phase rollbackFailed = null;
            Drift drift = new Drift();
            for (Phase p : reversed) {
                SchemaSnapshot start = before.get(p.name());
                if (rollbackFailed != null) {
                    verdicts.add(new Verdict(
                            p.name(),
                            false,
                            "forward ok; rollback NOT REHEARSED: the rollback of \"" + rollbackFailed.name()
                                    + "\" failed before it",
                            List.of()));
                    continue;
                }
                if (!p.hasRollback()) {
                    Drift.Left left = drift.after(start, after);
                    verdicts.add(new Verdict(
                            p.name(),
                            left.clean(),
                            left.clean()
                                    ? "forward ok; no rollback block, and it changes no schema" + left.inheritedNote()
                                    : "forward ok; NO ROLLBACK BLOCK, and it changes the schema:",
                            left.lines()));
                    allUndone &= left.clean();
                    after = start;
                    continue;
                }
                int u = undo.rollback(List.of(p));
                SchemaSnapshot now = capture(side);
                Drift.Left left = drift.after(start, now);
                boolean ok = u == ExitCode.OK && left.clean();
                verdicts.add(new Verdict(
                        p.name(),
                        ok,
                        u != ExitCode.OK
                                ? "forward ok; ROLLBACK FAILED (exit " + u + "): see the error above"
                                : left.clean()
                                        ? (left.inherited() == 0
                                                ? "forward ok, rollback restores schema exactly"
                                                : "forward ok, rollback undoes its own changes exactly"
                                                        + left.inheritedNote())
                                        : left.onlyColumnOrder()
                                                ? "forward ok; ROLLBACK CHANGES THE COLUMN ORDER only ("
                                                        + Drift.COLUMN_ORDER_WHY + "):"
                                                : "forward ok; ROLLBACK LEAVES THE SCHEMA CHANGED:",
                        left.lines()));
                allUndone &= ok;
                after = now;
                if (u != ExitCode.OK) rollbackFailed = p;
            }
            journal.finishRun(back, allUndone ? ExitCode.OK : ExitCode.GUARD_FAILED, "rehearsal: rollback");
            if (stoppedAt != null) {
                for (Phase p : phases.subList(phases.indexOf(stoppedAt) + 1, phases.size())) {
                    verdicts.add(new Verdict(
                            p.name(),
                            false,
                            "NOT REHEARSED: the forward pass stopped at \"" + stoppedAt.name() + "\"",
                            List.of()));
                }
            }
            List<SchemaDiff.Change> whole =
                    SchemaDiff.between(fixture, capture(side)).changes();
            verdicts.add(new Verdict(
                    "whole runbook",
                    whole.isEmpty(),
                    whole.isEmpty()
                            ? "after every rollback the schema equals the fixture's"
                            : "after every rollback the schema differs from the fixture's:",
                    Drift.lines(whole)));

            // 3. forward once more: phases must be re-runnable after their rollback. Every verdict is printed: when
            //    the run so far makes this pass meaningless, the verdict says why it did not run.
            if (exit == ExitCode.OK && rollbackFailed == null) {
                pass[0] = "forward again";
                long again = journal.startRun(info);
                JournalRecorder againRecorder = new JournalRecorder(
                        journal,
                        program,
                        again,
                        journal.phases(program.runbook().name()),
                        Set.of());
                int second = new Interpreter(
                                program, session, prompter, RunListener.all(console, againRecorder), params, env)
                        .withProgress(againRecorder)
                        .run(phases, Interpreter.OnFailure.STOP);
                journal.finishRun(again, second, "rehearsal: forward again");
                verdicts.add(new Verdict(
                        "forward again",
                        second == ExitCode.OK,
                        second == ExitCode.OK
                                ? "every phase runs again after its rollback"
                                : "a phase does not run again after its rollback (exit " + second
                                        + "): see the error above",
                        List.of()));
            } else {
                verdicts.add(new Verdict(
                        "forward again",
                        false,
                        "NOT RUN: "
                                + (exit != ExitCode.OK
                                        ? "the forward pass failed"
                                                + (stoppedAt == null ? "" : " at \"" + stoppedAt.name() + "\"")
                                        : "the rollback of \"" + rollbackFailed.name() + "\" failed")
                                + ", so the schema is not the fixture's",
                        List.of()));
            }
        }
        return new Result(List.copyOf(verdicts), List.copyOf(confirmations));
    }

    private static SchemaSnapshot capture(Connection c) throws SQLException {
        return SchemaSnapshot.capture(c, List.of());
    }

    private static SchemaSnapshot captureQuietly(Connection c) {
        try {
            return capture(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the scratch database's schema: " + e.getMessage(), e);
        }
    }
}
