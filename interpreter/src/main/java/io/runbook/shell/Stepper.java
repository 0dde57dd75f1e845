package io.runbook.shell;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.eval.Describe;
import io.runbook.eval.Scope;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Program;
import io.runbook.run.Engine;
import io.runbook.run.Failure;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.RunEvent.Block;
import io.runbook.run.RunListener;
import io.runbook.run.Session;
import io.runbook.shell.Plan.Item;
import io.runbook.shell.Plan.Kind;
import io.runbook.shell.Plan.Mark;
import io.runbook.term.ConsoleReporter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A runbook stepped by hand: the plan's cursor, what the operator sees of it, and the commands that move
 * it. Every step, begin, commit, discard and rollback block is one operation of the phase engine
 * (Engine, with the shell's policy: each step under a savepoint, no automatic retries), so the shell
 * follows exactly the rules of `runbook run`. The console and the journal hear the engine's events.
 */
final class Stepper {
    final Shell shell;
    final Session session;
    final Journal journal;
    final long runId;
    final Path file;
    final Map<String, String> given;
    final Map<String, String> env;
    final boolean allowChanged;
    final Prompter prompter;
    final RunListener console;
    final Set<String> shellVariables = new LinkedHashSet<>();

    Program program;
    Scope params;
    JournalRecorder recorder;
    Engine engine;
    Plan plan;
    /** Statements typed at the prompt inside the open phase's transaction: they commit with it. */
    int typed;

    Map<String, Journal.PhaseRecord> records = Map.of();
    String header = "";
    private volatile boolean interrupted;
    final Views views = new Views(this);

    Stepper(
            Shell shell,
            Session session,
            Program program,
            Path file,
            Map<String, String> given,
            Scope params,
            Map<String, String> env,
            Map<String, String> shellEnvironment,
            Journal journal,
            long runId,
            boolean allowChanged,
            Prompter prompter) {
        this.shell = shell;
        this.session = session;
        this.file = file;
        this.given = new LinkedHashMap<>(given);
        this.env = env;
        this.journal = journal;
        this.runId = runId;
        this.allowChanged = allowChanged;
        this.prompter = prompter;
        this.console = new ConsoleReporter(shell.out(), shell.out(), shell.style(), Views::words);
        this.program = program;
        this.params = params;
        this.recorder = new JournalRecorder(journal, program, runId, records, Set.of());
        this.engine = new Engine(
                        program,
                        session,
                        prompter,
                        RunListener.all(console, recorder),
                        params,
                        env,
                        Engine.Policy.SHELL)
                .withProgress(recorder)
                .withShellEnvironment(shellEnvironment);
        this.plan = new Plan(program.runbook());
    }

    // ------------------------------------------------------------------ what the shell asks

    Program program() {
        return program;
    }

    Scope scope() {
        return engine.scope();
    }

    Engine engine() {
        return engine;
    }

    void interrupt() {
        interrupted = true;
        engine.interrupt();
    }

    /** Whether a phase's work is under way (its transaction open, or a `no transaction` phase started). */
    boolean phaseOpen() {
        return engine.openPhase() != null;
    }

    /** Whether the open phase holds a transaction (typed SQL then runs in it, under savepoints). */
    boolean phaseTransaction() {
        return phaseOpen() && engine.openPhase().transactional();
    }

    /** A statement typed at the prompt ran inside the open phase's transaction: it commits with the phase. */
    void typedInPhase() {
        typed++;
    }

    String where() {
        return plan.where();
    }

    List<String> phaseNames() {
        return program.runbook().phases().stream().map(Phase::name).toList();
    }

    List<String> checkLabels() {
        return StepLabels.checks(program.runbook()).stream()
                .map(c -> checkLabel(c.check()))
                .toList();
    }

    List<String> variables() {
        return views.variables();
    }

    void plan() {
        views.plan();
    }

    void status() {
        views.status();
    }

    void vars() {
        views.vars();
    }

    void set(String name, String raw) {
        views.set(name, raw);
    }

    // ------------------------------------------------------------------ start and end

    void start() {
        refreshRecords();
        settings();
        for (Phase p : program.runbook().phases()) {
            Journal.PhaseRecord r = records.get(p.name());
            if (r != null && r.interrupted()) {
                shell.warn("phase \"" + p.name() + "\" was interrupted in run #" + r.runId() + " by " + r.osUser()
                        + " (a `no transaction` phase: some of its statements may have committed); `verify " + p.name()
                        + "` shows how far it got, `next` runs it again, `rollback " + p.name() + "` undoes it");
            }
        }
        plan.cursor = firstPending();
        plan();
    }

    void settings() {
        try {
            engine.settings();
        } catch (Failure f) {
            if (f.connectionLost()) throw shell.lost(f.getMessage());
            shell.out().print(engine.redactor().failure(f).diagnostic().render());
        }
    }

    /** Leaving the shell: a half-done phase is rolled back (or, `no transaction`, left as the journal shows it). */
    String leave() {
        Phase p = engine.leave();
        if (p == null) return null;
        if (p.transactional()) {
            shell.warn("phase \"" + p.name()
                    + "\" was half-done: its transaction was rolled back, nothing of it was applied");
            return "left the shell with phase \"" + p.name() + "\" half-done: rolled back";
        }
        shell.warn("phase \"" + p.name()
                + "\" (no transaction) is half-done: the statements that ran stay committed and the journal"
                + " shows it as interrupted; decide with `runbook run --rerun`, `--mark-done` or `runbook rollback`");
        return "left the shell with `no transaction` phase \"" + p.name() + "\" half-done";
    }

    String label(Step s) {
        return StepLabels.label(s, this::checkLabel);
    }

    /** A check's label as it reads now: interpolated when that needs no query. */
    String checkLabel(Step.Check c) {
        if (StepLabels.pure(c.label())) {
            try {
                return engine.evaluator().eval(c.label(), engine.scope()).display();
            } catch (RuntimeException e) {
                // a name without value yet: show the label as written
            }
        }
        String s = Describe.expr(c.label());
        return s.startsWith("\"") && s.endsWith("\"") && s.length() > 1 ? s.substring(1, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------ next, run, skip

    void next() {
        newCommand();
        if (plan.finished()) {
            shell.out()
                    .println(
                            "nothing left: every phase is applied (`status` shows the journal, `rollback PHASE` undoes one)");
            return;
        }
        execute();
        hint();
    }

    /** `run [PHASE]`: on to the end of the preflight or phase the cursor is in, or of the named phase. */
    void run(String arg) {
        newCommand();
        if (plan.finished()) {
            shell.out().println("nothing left: every phase is applied");
            return;
        }
        int target;
        if (arg.isEmpty()) {
            Phase p = plan.current().phase();
            target = p == null ? plan.lastPreflight() : plan.end(p);
        } else if (arg.equalsIgnoreCase("preflight")) {
            target = plan.lastPreflight();
            if (target < plan.cursor) {
                shell.out().println("the preflight is behind the cursor");
                return;
            }
        } else {
            Phase p = phase(arg);
            if (p == null) return;
            target = plan.end(p);
            if (applied(p) && engine.openPhase() != p) {
                shell.out().println("phase \"" + p.name() + "\" is applied already (`status` shows when)");
                return;
            }
            if (target < plan.cursor) {
                shell.out()
                        .println("phase \"" + p.name()
                                + "\" is behind the cursor (it was skipped); `rollback` or `reload` to go back");
                return;
            }
        }
        int firstFailed = -1;
        int failed = 0;
        while (!plan.finished() && plan.cursor <= target && !interrupted) {
            if (execute()) continue;
            // The preflight goes on past a failed check (the engine's rule); the cursor comes back to the first.
            Item it = plan.current();
            if (it.phase() != null || lastFailure == null || !Engine.preflightGoesOn(it.step(), lastFailure)) break;
            if (firstFailed < 0) firstFailed = plan.cursor;
            failed++;
            plan.cursor++;
            if (plan.cursor > plan.lastPreflight()) break;
        }
        if (firstFailed >= 0) {
            plan.cursor = firstFailed;
            shell.warn(failed + (failed == 1 ? " preflight step" : " preflight steps")
                    + " failed: the cursor is back at the first; `next` runs it again, `skip` goes past it");
        }
        if (interrupted) shell.warn("stopped: Ctrl-C");
        hint();
    }

    void skip(String arg) {
        if (plan.finished()) {
            shell.out().println("nothing left to skip");
            return;
        }
        Item it = plan.current();
        if (arg.equalsIgnoreCase("phase")) {
            if (phaseOpen()) {
                shell.out()
                        .println("phase \"" + engine.openPhase().name()
                                + "\" is under way: `rollback` it first, or finish it");
                return;
            }
            int last = it.phase() == null ? plan.lastPreflight() : plan.end(it.phase());
            while (plan.cursor <= last) skipOne(plan.current());
            advance();
            hint();
            return;
        }
        if (!arg.isEmpty()) {
            shell.out().println("skip takes no argument, or `phase` (skip the rest of the preflight or phase)");
            return;
        }
        if (it.kind() == Kind.END) {
            shell.out()
                    .println(
                            it.phase().transactional()
                                    ? "the phase's end is its COMMIT: `next` commits it, `rollback` discards it"
                                    : "the phase's end journals it as applied: `next` does, `rollback` runs its rollback block");
            return;
        }
        skipOne(it);
        advance();
        hint();
    }

    private void skipOne(Item it) {
        if (it.kind() != Kind.END) engine.emit(new RunEvent.StepSkipped(it.block(), it.phase(), label(it.step())));
        plan.mark(Mark.SKIPPED);
    }

    /** Why the last execute() failed, when a step failed. */
    private Failure lastFailure;

    /** Runs the item at the cursor, one engine operation; true when it succeeded (the cursor moved on). */
    private boolean execute() {
        lastFailure = null;
        Item it = plan.current();
        Phase open = engine.openPhase();
        Session.TxState state = session.txState();
        if ((open == null || !open.transactional()) && state != Session.TxState.IDLE) {
            shell.out()
                    .println("a transaction you started is open (the prompt shows "
                            + (state == Session.TxState.FAILED ? "!" : "*")
                            + "): end it with commit; or rollback; before the next step");
            return false;
        }
        if (open != null && open.transactional() && !session.ownsTransaction()) {
            shell.warn("the transaction of phase \"" + open.name() + "\" is gone: nothing of it was applied");
            engine.discard("its transaction ended");
            reset(open);
            return false;
        }
        if (open != null && it.phase() != open) {
            shell.out().println("phase \"" + open.name() + "\" is still under way: commit or rollback it first");
            return false;
        }
        try {
            if (it.phase() == null) {
                enter(it);
                engine.beginReadOnly();
                try {
                    engine.step(it.step());
                } finally {
                    engine.endReadOnly();
                }
            } else {
                if (open == null) {
                    engine.begin(it.phase(), 1);
                    typed = 0;
                }
                enter(it);
                if (it.kind() == Kind.END) return finish(it);
                engine.step(it.step());
            }
        } catch (Failure f) {
            if (f.connectionLost()) throw shell.lost(f.getMessage());
            if (interrupted) shell.out().println();
            plan.marks[plan.cursor] = Mark.FAILED;
            lastFailure = f;
            engine.report(f);
            if (it.phase() == null) shell.note("`next` runs the step again, `skip` goes past it");
            return false;
        }
        done();
        return true;
    }

    /** Says which block the cursor entered, when it entered a new one (the engine's failures are then that block's). */
    private void enter(Item it) {
        String phaseKey =
                it.phase() == null ? "preflight" : "phase:" + it.phase().name();
        String key = it.kind() == Kind.VERIFY ? phaseKey + "/verify" : phaseKey;
        boolean inPhase = header.equals(phaseKey) || header.equals(phaseKey + "/verify");
        if (header.equals(key) || (it.kind() == Kind.END && inPhase)) return;
        if (it.phase() == null) {
            engine.enter(Block.PREFLIGHT, null, 0, 0);
        } else {
            if (!inPhase)
                engine.enter(
                        Block.PHASE,
                        it.phase(),
                        plan.number(it.phase()),
                        program.runbook().phases().size());
            if (it.kind() == Kind.VERIFY) engine.enterVerify();
        }
        header = key;
    }

    /** The phase's end: the engine journals it inside its transaction and commits (or, no transaction, journals it). */
    private boolean finish(Item it) {
        Phase p = it.phase();
        if (p.transactional() && session.txState() == Session.TxState.FAILED) {
            shell.out().println("the transaction has failed: `rollback` discards the phase");
            return false;
        }
        long skipped = plan.count(p, Mark.SKIPPED);
        List<String> notes = new ArrayList<>();
        if (skipped > 0) notes.add(skipped + (skipped == 1 ? " step" : " steps") + " skipped");
        if (typed > 0) notes.add(typed + (typed == 1 ? " statement" : " statements") + " typed at the prompt");
        try {
            engine.finish(notes.isEmpty() ? null : "with " + String.join(", ", notes));
        } catch (Failure f) {
            if (f.connectionLost()) throw shell.lost(f.getMessage());
            engine.report(f);
            reset(p);
            return false;
        }
        header = "";
        shell.schemaChanged();
        refreshRecords();
        done();
        return true;
    }

    private void done() {
        plan.mark(Mark.DONE);
        advance();
    }

    /** Past the phases the journal has as applied. */
    private void advance() {
        while (!plan.finished()) {
            Item it = plan.current();
            if (it.phase() == null || !applied(it.phase()) || engine.openPhase() == it.phase()) return;
            int i = plan.cursor;
            if (plan.marks[i] == null && (i == 0 || plan.items.get(i - 1).phase() != it.phase())) {
                engine.emit(new RunEvent.PhaseSkipped(
                        it.phase(),
                        plan.number(it.phase()),
                        program.runbook().phases().size(),
                        engine.appliedBefore(it.phase())));
            }
            plan.cursor++;
        }
    }

    void hint() {
        if (plan.finished()) {
            shell.out()
                    .println(shell.style().green("every phase is applied")
                            + shell.style().dim("  (`status` shows the journal)"));
            return;
        }
        Item it = plan.current();
        String what = it.kind() == Kind.END
                ? (it.phase().transactional()
                        ? "commit \"" + it.phase().name() + "\""
                        : "complete \"" + it.phase().name() + "\"")
                : label(it.step());
        shell.note("next (" + plan.where() + "): " + what);
    }

    // ------------------------------------------------------------------ commit, rollback

    /** `commit` (or COMMIT typed): the open phase's end, when the cursor has reached it. */
    void commitCommand() {
        Phase open = engine.openPhase();
        if (open == null) {
            shell.out().println("no phase is under way");
            return;
        }
        if (plan.finished()
                || plan.current().kind() != Kind.END
                || plan.current().phase() != open) {
            shell.out()
                    .println("phase \"" + open.name()
                            + "\" is not finished: its steps and verify come first (`run` runs them, then commits)");
            return;
        }
        next();
    }

    /** `rollback [PHASE]`: discards the open phase's transaction, else runs rollback blocks (see Undo). */
    void rollbackCommand(String arg) {
        newCommand();
        new Undo(this).run(arg);
    }

    /** The phase starts over: the cursor goes back to its first step. */
    void reset(Phase p) {
        header = "";
        typed = 0;
        plan.clear(p);
        plan.cursor = plan.start(p);
    }

    // ------------------------------------------------------------------ verify, check

    /** `verify [PHASE]`: the open phase's verify block when the cursor is at it (counted, journaled), else a look. */
    void verify(String arg) {
        newCommand();
        new Looks(this).verify(arg);
    }

    /** `check [N|LABEL]`: lists the checks, or runs one again now (changing nothing). */
    void check(String arg) {
        newCommand();
        new Looks(this).check(arg);
    }

    /** Steps the cursor through the open phase's verify block (`verify` at it). */
    void verifyAtCursor(Phase p) {
        while (!plan.finished()
                && plan.current().kind() == Kind.VERIFY
                && plan.current().phase() == p
                && !interrupted) {
            if (!execute()) break;
        }
        hint();
    }

    boolean interrupted() {
        return interrupted;
    }

    // ------------------------------------------------------------------ reload and helpers

    void reload() {
        new Reload(this).run();
    }

    /** After a reload: the new runbook, its engine and plan. */
    void reloaded(Program next, Scope nextParams, Phase keepOpen) {
        program = next;
        params = nextParams;
        recorder = new JournalRecorder(journal, next, runId, records, Set.of());
        engine = engine.reload(next, nextParams, RunListener.all(console, recorder), recorder, keepOpen);
        if (keepOpen == null) typed = 0;
        plan = new Plan(next.runbook());
        header = "";
    }

    void refreshRecords() {
        try {
            records = journal.phases(program.runbook().name());
        } catch (SQLException e) {
            throw shell.lost(e);
        }
        recorder.refresh(records);
    }

    boolean applied(Phase p) {
        return engine.appliedBefore(p) != null;
    }

    /** The first item not done: past the preflight when no phase needs it (the engine's rule), past applied phases. */
    int firstPending() {
        boolean preflight = engine.preflightNeeded(program.runbook().phases()) || plan.touched(null);
        for (int i = 0; i < plan.items.size(); i++) {
            Item it = plan.items.get(i);
            if (plan.marks[i] == Mark.DONE || plan.marks[i] == Mark.SKIPPED) continue;
            if (it.phase() == null ? !preflight : applied(it.phase())) continue;
            return i;
        }
        return plan.items.size();
    }

    private void newCommand() {
        interrupted = false;
        engine.clearInterrupt();
    }

    /** A phase by name, by a prefix only it has, or by number (1-based). */
    Phase phase(String arg) {
        List<Phase> all = program.runbook().phases();
        if (arg.matches("\\d+")) {
            int n = Integer.parseInt(arg);
            if (n >= 1 && n <= all.size()) return all.get(n - 1);
        }
        for (Phase p : all) if (p.name().equals(arg)) return p;
        List<Phase> prefixed = all.stream()
                .filter(p -> p.name().toLowerCase(Locale.ROOT).startsWith(arg.toLowerCase(Locale.ROOT)))
                .toList();
        if (prefixed.size() == 1) return prefixed.get(0);
        shell.out()
                .println((prefixed.isEmpty()
                                ? "no phase \"" + arg + "\""
                                : "\"" + arg + "\" is the start of several phases")
                        + "; the phases are: "
                        + String.join(
                                ", ",
                                all.stream().map(p -> "\"" + p.name() + "\"").toList()));
        return null;
    }
}
