package io.runbook.run;

import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.run.Consequence.Kind;
import io.runbook.run.RunEvent.Block;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.sql.SqlStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The phase engine: the one place that runs phases, one operation at a time. `runbook run` (Interpreter)
 * calls them in a loop; the shell calls them as the operator types; rehearse, rollback and baseline use
 * them too. The rules live here once: when the preflight is needed, begin, each step (under a savepoint
 * where the policy says), verify, the journal row inside the phase's transaction, commit, discard,
 * rollback blocks in their own scope, looks that change nothing, and what each failure leaves behind.
 */
public final class Engine {
    /**
     * What differs between callers. retryLocks: a lock_timeout is retried on the runbook's retry policy
     * (else the failure stands and the operator decides). savepointPerStep: a failing step is undone alone
     * and the phase's transaction stays open (the shell). confirmedBy: confirmations are answered yes in
     * advance by this (e.g. "--yes"); null asks the Prompter.
     */
    public record Policy(boolean retryLocks, boolean savepointPerStep, String confirmedBy) {
        /** runbook run, rehearse, rollback: retries on, a failing step fails its phase, confirmations asked. */
        public static final Policy RUN = new Policy(true, false, null);
        /** runbook shell: a person steps through an open transaction; no automatic retries. */
        public static final Policy SHELL = new Policy(false, true, null);

        public Policy confirmedBy(String by) {
            return new Policy(retryLocks, savepointPerStep, by);
        }
    }

    /** The phase whose work is under way: its transaction is open, or (`no transaction`) it was journaled as started. */
    private record Open(Phase phase, Instant started, long nanos) {}

    final Program program;
    final Session session;
    final Evaluator evaluator;
    final Scope scope;
    final Prompter prompter;
    final Policy policy;
    private final Map<String, String> env;
    private final RunListener listener;
    private final StepRunner steps;
    /** Masks the run's secrets in every event on its way out. */
    Redactor redactor;

    Progress progress = Progress.NONE;
    Map<String, String> shellEnvironment = Map.of();
    private boolean lockReport;
    /** Sessions the run has opened beside its own for a while (a parallel batch's): Ctrl-C cancels them too. */
    final Set<Session> aside = ConcurrentHashMap.newKeySet();

    private volatile boolean interrupted;
    private volatile String interruptedBy = "Ctrl-C";
    private boolean looking;
    Duration sessionLockTimeout = RetryPolicy.DEFAULT_LOCK_TIMEOUT;

    private Block block = Block.PREFLIGHT;
    private Phase phase;
    private Open open;
    /** What the `no transaction` phase (or rollback block) under way has committed so far. */
    final List<String> committed = new ArrayList<>();
    /** What else a failure in it left, in words for the journal (e.g. the INVALID index a failed build left, dropped). */
    final List<String> aftermath = new ArrayList<>();
    /** The connection was lost during the phase under way: a statement in flight may have committed unseen. */
    private boolean inDoubt;

    /** A batch's line in {@link #committed}: adds it (entry < 0) or replaces the batch's earlier one; its entry. */
    int committedSoFar(int entry, String done) {
        if (entry >= 0) {
            committed.set(entry, done);
            return entry;
        }
        committed.add(done);
        return committed.size() - 1;
    }
    /** Confirmations answered yes in an earlier attempt of the same phase are not asked again. */
    final Map<Step.Confirm, Prompter.Answer> answered = new HashMap<>();

    public Engine(
            Program program,
            Session session,
            Prompter prompter,
            RunListener listener,
            Scope params,
            Map<String, String> env,
            Policy policy) {
        this.program = program;
        this.session = session;
        this.prompter = prompter;
        this.listener = listener;
        this.policy = policy;
        this.env = env;
        this.evaluator = new Evaluator(program.functions(), session, env);
        this.scope = new Scope(params);
        this.steps = new StepRunner(this);
        this.redactor = Redactor.of(program.runbook(), params);
        session.splitWith(program::statements);
    }

    /** Where phases are recorded as applied (the journal), and which were applied before. */
    public Engine withProgress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** The PG* variables an sh step gets, so pg_dump and psql reach the same database without a password on a command line. */
    public Engine withShellEnvironment(Map<String, String> env) {
        this.shellEnvironment = Map.copyOf(env);
        return this;
    }

    /** Before each phase, with --show-locks: who holds or waits for locks now. */
    public Engine withLockReport(boolean on) {
        this.lockReport = on;
        return this;
    }

    /**
     * The same session, policy and lets on a runbook read again (the shell's `reload`). keepOpen: the
     * phase under way, unchanged in the new runbook, stays under way (its transaction open); null: none is.
     */
    public Engine reload(Program next, Scope params, RunListener to, Progress journal, Phase keepOpen) {
        Engine e = new Engine(next, session, prompter, to, params, env, policy)
                .withProgress(journal)
                .withShellEnvironment(shellEnvironment);
        scope.local().forEach(e.scope::set);
        e.redactor = e.redactor.with(redactor);
        if (keepOpen != null && open != null) {
            e.open = new Open(keepOpen, open.started(), open.nanos());
            e.committed.addAll(committed);
        }
        return e;
    }

    public Program program() {
        return program;
    }

    /** The run's names: params and the lets made so far. */
    public Scope scope() {
        return scope;
    }

    public Session session() {
        return session;
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    public Policy policy() {
        return policy;
    }

    /** What masks this run's secrets (a front end that shows a failure itself passes it through here). */
    public Redactor redactor() {
        return redactor;
    }

    /**
     * The one place events leave the engine, and so where secrets are masked: every listener (console,
     * journal, audit log, shell) hears the masked event. During a look that changes nothing they go out
     * as Looked: shown, not journaled. One event at a time: the ranges of a parallel batch end on several threads.
     */
    public synchronized void emit(RunEvent e) {
        listener.on(redactor.event(looking && !(e instanceof RunEvent.Looked) ? new RunEvent.Looked(e) : e));
    }

    void note(String text) {
        emit(new RunEvent.Note(text));
    }

    /** Reports a failure (the one that stopped a run, or a step's in the shell) to every listener. */
    public void report(Failure f) {
        emit(new RunEvent.Failed(block, phase, heldBy(f)));
    }

    /**
     * A lock wait that gave up for good (its last attempt, or no retries) says who held locks then, on the
     * console and in the journal. The wait is over, so the session's own aborted transaction is rolled back
     * first to read pg_locks: it is being given up anyway. The shell keeps its operator's transaction as it is.
     */
    private Failure heldBy(Failure f) {
        if (!"55P03".equals(f.sqlState()) || interrupted || f.connectionLost()) return f;
        if (session.txState() == Session.TxState.FAILED) {
            if (policy.savepointPerStep()) return f;
            session.rollbackQuietly();
        }
        return f.heldBy(LockReport.lines(session.connection()));
    }

    // ------------------------------------------------------------------ interrupting

    /** Ctrl-C: cancel the running statement on the server and stop at the next step. */
    public void interrupt() {
        interrupt("Ctrl-C");
    }

    /** A signal (how: "Ctrl-C", "SIGTERM"): cancel the running statement on the server and stop at the next step. */
    public void interrupt(String how) {
        interruptedBy = how;
        interrupted = true;
        session.cancel();
        aside.forEach(Session::cancel);
    }

    /** What interrupted the run ("Ctrl-C", "SIGTERM"), or null. */
    public String interruptedBy() {
        return interrupted ? interruptedBy : null;
    }

    public boolean interrupted() {
        return interrupted;
    }

    /** A new command (the shell): an earlier Ctrl-C is done with. */
    public void clearInterrupt() {
        interrupted = false;
    }

    /** Sleeps, waking early on Ctrl-C. */
    void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (!interrupted) {
                long left = end - System.nanoTime();
                if (left <= 0) return;
                Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupted = true;
        }
    }

    void checkInterrupt() {
        if (interrupted) {
            throw new Failure(
                            ExitCode.ABORTED,
                            new Diagnostic(phase == null ? null : phase.pos(), "interrupted by " + interruptedBy, null))
                    .leaving(consequence(null));
        }
    }

    // ------------------------------------------------------------------ settings and the preflight

    /** Applies the runbook's `set` settings to the session, and the default lock_timeout when it sets none. */
    public void settings() {
        // The default lock_timeout goes with the liveness settings, in one statement, unless the runbook sets its own.
        boolean lockTimeoutSet = false;
        for (Runbook.Setting s : program.runbook().settings())
            lockTimeoutSet |= s.name().equals("lock_timeout");
        // Before the runbook's own settings, so that a runbook may still change them.
        if (session.txState() == Session.TxState.IDLE) {
            String note = Liveness.protect(
                    session.connection(), lockTimeoutSet ? null : Durations.format(sessionLockTimeout));
            if (note != null) note(note);
            else lockTimeoutSet = true; // the runbook's own, if any, is set below; else the default is set now
        }
        for (Runbook.Setting s : program.runbook().settings()) {
            Value v = steps.guarded(() -> evaluator.eval(s.value(), scope));
            try {
                session.set(s.name(), v.display());
            } catch (SQLException e) {
                if (ConnectionLoss.is(e)) throw lost(e);
                throw new Failure(
                        ExitCode.SQL_ERROR,
                        new Diagnostic(
                                s.pos(),
                                "cannot set " + s.name() + " = " + v.display() + ": " + e.getMessage(),
                                "check the setting's name and value (SHOW ALL lists them)"),
                        e.getSQLState(),
                        Consequence.of(Kind.NOTHING_CHANGED));
            }
            if (s.name().equals("lock_timeout")) {
                Duration d = v instanceof Value.Dur dur ? dur.value() : Durations.parse(v.display());
                sessionLockTimeout = d != null ? d : sessionLockTimeout;
            }
        }
        // A DDL statement stuck behind a lock makes every query behind it queue: give up early by default.
        if (!lockTimeoutSet) {
            try {
                session.set("lock_timeout", Durations.format(sessionLockTimeout));
            } catch (SQLException e) {
                throw lost(e);
            }
        }
    }

    /** Why the phase is not to run (it was applied before), or null. */
    public String appliedBefore(Phase p) {
        return progress.skip(p);
    }

    /** The preflight checks the state before the work: with every selected phase applied there is no work, and no preflight. */
    public boolean preflightNeeded(List<Phase> selection) {
        return selection.isEmpty() || selection.stream().anyMatch(p -> progress.skip(p) == null);
    }

    /** A block begins: says so, and failures from now on are that block's. */
    public void enter(Block b, Phase p, int index, int total) {
        block = b;
        phase = p;
        emit(new RunEvent.BlockStarted(b, p, index, total));
    }

    /**
     * The preflight: its steps in one read-only transaction, each under a savepoint, so that every check
     * runs and every failure is reported (the operator fixes them all in one go). Returns the failures,
     * each reported already; empty when all passed. A lost connection is thrown.
     */
    public List<Failure> preflight(List<Step> steps) {
        enter(Block.PREFLIGHT, null, 0, 0);
        beginReadOnly();
        List<Failure> failed = new ArrayList<>();
        try {
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                Savepoint sp = session.savepoint();
                try {
                    step(s);
                    session.release(sp);
                } catch (Failure f) {
                    if (f.connectionLost()) throw f;
                    report(f);
                    failed.add(f);
                    if (!preflightGoesOn(s, f)) {
                        int left = steps.size() - i - 1;
                        if (left > 0)
                            note("the preflight stops here: " + left + (left == 1 ? " step" : " steps")
                                    + " after it not run (they may need what this step did not give)");
                        break;
                    }
                    session.rollbackTo(sp);
                }
            }
        } catch (SQLException e) {
            throw lost(e);
        } finally {
            endReadOnly();
        }
        return failed;
    }

    /**
     * Whether the preflight goes on to its next step after this one failed: after a failed check, guard,
     * statement or sh step, yes; not after a let (later steps may use its value), a declined
     * confirmation or Ctrl-C.
     */
    public static boolean preflightGoesOn(Step s, Failure f) {
        boolean check = f.exitCode() == ExitCode.GUARD_FAILED || f.exitCode() == ExitCode.SQL_ERROR;
        return check && !(s instanceof Step.Let) && !(s instanceof Step.Confirm);
    }

    /** The read-only transaction the preflight runs in. */
    public void beginReadOnly() {
        try {
            session.begin(true);
        } catch (SQLException e) {
            throw lost(e);
        }
    }

    public void endReadOnly() {
        session.rollbackQuietly();
    }

    // ------------------------------------------------------------------ a phase

    /**
     * Begins a phase: its transaction, with the attempt's lock_timeout; or, `no transaction`, its journal
     * record "started" (so a crash inside it is seen later).
     */
    public void begin(Phase p, int attempt) {
        block = Block.PHASE;
        phase = p;
        if (attempt == 1) answered.clear();
        committed.clear();
        aftermath.clear();
        inDoubt = false;
        if (lockReport) emit(new RunEvent.LocksShown(LockReport.lines(session.connection())));
        try {
            if (p.transactional()) {
                session.begin(false);
                RetryPolicy r = steps.retryPolicy(null, p);
                if (r.enabled()) session.setLocal("lock_timeout", Durations.format(r.lockTimeout(attempt)));
            } else {
                progress.starting(p, Instant.now());
            }
        } catch (SQLException e) {
            session.rollbackQuietly();
            throw p.transactional() ? lost(e) : journalLost(e);
        }
        if (open == null || open.phase() != p) open = new Open(p, Instant.now(), System.nanoTime());
    }

    /** The block under way (a keyset batch resumes only in a phase's own steps). */
    Block block() {
        return block;
    }

    /** The phase under way, or null. */
    public Phase openPhase() {
        return open == null ? null : open.phase();
    }

    /** The phase's verify block begins. */
    public void enterVerify() {
        enter(Block.VERIFY, phase, 0, 0);
    }

    /** Runs one step of the block under way; a failure says what it left behind. */
    public void step(Step s) {
        checkInterrupt();
        boolean alone =
                policy.savepointPerStep() && open != null && open.phase().transactional() && block != Block.PREFLIGHT;
        Savepoint sp = null;
        try {
            if (alone) sp = session.savepoint();
            steps.run(s, phase, scope, phase != null && !phase.transactional() && block != Block.PREFLIGHT);
            if (sp != null) session.release(sp);
        } catch (Failure f) {
            if (f.connectionLost()) inDoubt = true;
            if (sp == null || f.connectionLost()) throw f.leaving(consequence(f));
            try {
                session.rollbackTo(sp);
            } catch (SQLException e) {
                throw lost(e);
            }
            throw f.leaving(Consequence.of(Kind.STEP_UNDONE));
        } catch (SQLException e) {
            throw lost(e);
        }
    }

    /** The phase's end: its journal record inside its transaction, then COMMIT (`no transaction`: the record). */
    public PhaseState finish(String detail) {
        Phase p = open.phase();
        checkInterrupt();
        try {
            progress.applied(p, p.transactional() ? session.connection() : null, open.started());
            if (p.transactional()) session.commit();
        } catch (SQLException e) {
            session.rollbackQuietly();
            Failure f;
            if (!p.transactional()) f = journalLost(e);
            else if (ConnectionLoss.is(e)) f = lost(e);
            else
                f = new Failure(
                        ExitCode.SQL_ERROR,
                        new Diagnostic(
                                p.pos(),
                                "COMMIT failed: " + e.getMessage(),
                                List.of("SQLSTATE " + e.getSQLState()),
                                "a deferred constraint or a serialization failure: fix the cause, then run the phase again"),
                        e.getSQLState());
            f = f.leaving(consequence(f));
            close(p.transactional() ? PhaseState.ROLLED_BACK : PhaseState.PARTIAL, f.getMessage());
            throw f;
        }
        PhaseState state = p.transactional() ? PhaseState.COMMITTED : PhaseState.COMPLETED;
        close(state, detail);
        return state;
    }

    /**
     * Gives up the phase under way: its transaction is rolled back (`no transaction`: what committed stays,
     * and the journal keeps what is known of it). why: the operator gave it up, and why says more (may be empty).
     */
    public PhaseState discard(String why) {
        return discard(why, null);
    }

    /** Gives up the phase under way after its failure f (reported already). */
    public PhaseState discardAfter(Failure f) {
        return discard(null, f);
    }

    private PhaseState discard(String why, Failure f) {
        if (open == null) return null;
        session.rollbackQuietly();
        Phase p = open.phase();
        boolean partial = !p.transactional() && !committed.isEmpty();
        String left = p.transactional()
                ? "nothing of this phase was applied"
                : partial ? "already committed: " + String.join("; ", committed) : "no statement had committed";
        PhaseState state = why != null
                ? PhaseState.DISCARDED
                : interrupted
                        ? (partial ? PhaseState.INTERRUPTED_PARTIAL : PhaseState.INTERRUPTED)
                        : partial ? PhaseState.PARTIAL : PhaseState.ROLLED_BACK;
        String detail = why == null || why.isBlank() ? left : left + "; " + why;
        if (!p.transactional()) stopped(p, partial, f, detail);
        close(state, detail);
        return state;
    }

    /**
     * Journals how a `no transaction` phase stopped: failed (nothing committed, a run runs it again) or partial
     * (the operator decides). After a lost connection it stays `started`: a statement in flight may have
     * committed unseen, and must not run again without the operator's word.
     */
    private void stopped(Phase p, boolean partial, Failure f, String detail) {
        if (inDoubt || (f != null && f.connectionLost())) return;
        List<String> known = new ArrayList<>();
        if (f != null)
            known.add((f.diagnostic().pos() == null ? "" : f.diagnostic().pos() + ": ") + f.getMessage());
        known.add(detail);
        known.addAll(aftermath);
        try {
            progress.stopped(p, partial, redactor.text(String.join("; ", known)), open.started());
        } catch (SQLException e) {
            note("cannot record in the journal how phase \"" + p.name() + "\" stopped (" + e.getMessage()
                    + "): it stays `started`, so the next run asks what to do with it");
        }
    }

    /** Leaving (the shell ends): rolls back whatever is open; returns the phase that was under way, or null. */
    public Phase leave() {
        Phase p = openPhase();
        open = null;
        session.abandon();
        return p;
    }

    private void close(PhaseState state, String detail) {
        Open o = open;
        open = null;
        emit(new RunEvent.PhaseFinished(o.phase(), state, Duration.ofNanos(System.nanoTime() - o.nanos()), detail));
    }

    /**
     * After a lock timeout in a transactional phase, when the policy retries: rolls the attempt back,
     * reports the retry and waits. False when the failure stands (the caller discards the phase).
     */
    public boolean retryAfterLockTimeout(Failure f, int attempt) {
        if (!policy.retryLocks() || open == null || !open.phase().transactional()) return false;
        RetryPolicy r = steps.retryPolicy(null, open.phase());
        if (!steps.retryable(f, r, attempt)) return false;
        session.rollbackQuietly();
        return steps.retry(r, attempt, "phase \"" + open.phase().name() + "\"");
    }

    /**
     * `runbook baseline`: records the phase as applied without running it (the database already has it).
     * A check that the database really has it (a probe of its verify block) belongs right before this.
     */
    public void baseline(Phase p) {
        try {
            progress.baseline(p);
        } catch (SQLException e) {
            throw journalLost(e);
        }
        emit(new RunEvent.PhaseFinished(p, PhaseState.BASELINE, Duration.ZERO, "marked applied without running it"));
    }

    // ------------------------------------------------------------------ rollback blocks and looks

    /**
     * Runs a phase's rollback block in a scope of its own (its lets stay in it), in its own transaction
     * (`no transaction`: statement by statement), and journals the phase as undone.
     */
    public void undo(Phase p) {
        enter(Block.ROLLBACK, p, 0, 0);
        long nanos = System.nanoTime();
        Instant started = Instant.now();
        committed.clear();
        if (open != null && open.phase() == p) open = null;
        Scope own = new Scope(scope);
        try {
            if (p.transactional()) session.begin(false);
            for (Step s : p.rollback()) {
                checkInterrupt();
                steps.run(s, p, own, !p.transactional());
            }
            if (p.transactional()) session.commit();
            progress.undone(p, started);
        } catch (Failure | SQLException e) {
            session.rollbackQuietly();
            Failure f = (e instanceof Failure x ? x : lost((SQLException) e));
            f = f.leaving(consequence(f));
            emit(new RunEvent.PhaseFinished(
                    p, PhaseState.UNDO_FAILED, Duration.ofNanos(System.nanoTime() - nanos), f.getMessage()));
            throw f;
        }
        emit(new RunEvent.PhaseFinished(p, PhaseState.UNDONE, Duration.ofNanos(System.nanoTime() - nanos), null));
    }

    /**
     * Runs steps to look, not to change: in a read-only transaction, or inside the transaction open now
     * (seeing its uncommitted work), each step under a savepoint rolled back after it; lets stay in a scope
     * of their own. Every step runs and every failure is reported; returns whether all passed. journaled
     * false: the events go out as Looked (shown, not journaled). A lost connection is thrown.
     */
    public boolean probe(List<Step> look, Phase p, Block b, boolean journaled) {
        Block wasBlock = block;
        Phase wasPhase = phase;
        boolean inside = session.txState() != Session.TxState.IDLE;
        boolean ok = true;
        looking = !journaled;
        try {
            if (!inside) session.begin(true);
            block = b;
            phase = p;
            Scope own = new Scope(scope);
            for (Step s : look) {
                if (interrupted) return false;
                Savepoint sp = session.savepoint();
                try {
                    steps.run(s, p, own, false);
                } catch (Failure f) {
                    Failure g = f.leaving(
                            consequence(f).kind() == Kind.CONNECTION_LOST
                                    ? consequence(f)
                                    : Consequence.of(Kind.NOTHING_CHANGED));
                    if (g.connectionLost()) throw g;
                    ok = false;
                    report(g);
                }
                session.rollbackTo(sp);
            }
        } catch (SQLException e) {
            throw lost(e);
        } finally {
            looking = false;
            block = wasBlock;
            phase = wasPhase;
            if (!inside) session.rollbackQuietly();
        }
        return ok;
    }

    /**
     * A statement typed at the prompt (the shell): inside the open phase's transaction it runs under a
     * savepoint, so that a typo costs only itself (psql's ON_ERROR_ROLLBACK), and commits with the phase.
     * The server's error is thrown after the statement was undone.
     */
    public void typed(SqlStatement st, String sql, int keep, Session.Output out) throws SQLException {
        Savepoint sp = open != null && open.phase().transactional() ? session.savepoint() : null;
        try {
            session.typed(st, sql, keep, out);
        } catch (SQLException e) {
            if (sp != null && !ConnectionLoss.is(e)) session.rollbackTo(sp);
            throw e;
        }
        if (sp != null) session.release(sp);
    }

    // ------------------------------------------------------------------ what a failure leaves behind

    /** What a failure in the block under way leaves behind, under this engine's policy. */
    private Consequence consequence(Failure f) {
        boolean autocommit = phase != null && !phase.transactional() && block != Block.PREFLIGHT;
        if (autocommit && !committed.isEmpty()) {
            return new Consequence(block == Block.ROLLBACK ? Kind.UNDO_ROLLED_BACK : Kind.PARTLY_COMMITTED, committed);
        }
        if (f != null && f.connectionLost()) return Consequence.of(Kind.CONNECTION_LOST);
        if (block == Block.PREFLIGHT) return Consequence.of(Kind.NOTHING_CHANGED);
        if (block == Block.ROLLBACK) return Consequence.of(Kind.UNDO_ROLLED_BACK);
        return Consequence.of(Kind.PHASE_ROLLED_BACK);
    }

    /** The database connection failed outside a statement (BEGIN, COMMIT, a setting). */
    static Failure lost(SQLException e) {
        return new Failure(
                ExitCode.CONNECTION,
                new Diagnostic(
                        null, "database connection failed: " + e.getMessage(), "check the server, then run again"),
                e.getSQLState(),
                Consequence.of(Kind.CONNECTION_LOST));
    }

    /** A journal write outside a transaction failed: the run stops, so that nothing runs unrecorded. */
    static Failure journalLost(SQLException e) {
        return new Failure(
                ExitCode.CONNECTION,
                new Diagnostic(
                        null,
                        "cannot write the journal: " + e.getMessage(),
                        "check the connection to the database; the run stopped so that nothing runs unrecorded"),
                e.getSQLState());
    }
}
