package io.runbook.shell;

import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Describe;
import io.runbook.eval.Scope;
import io.runbook.journal.Checksums;
import io.runbook.journal.Gate;
import io.runbook.journal.Journal;
import io.runbook.journal.JournalRecorder;
import io.runbook.parse.Checker;
import io.runbook.parse.Program;
import io.runbook.run.Failure;
import io.runbook.run.Interpreter;
import io.runbook.run.Params;
import io.runbook.run.PhaseState;
import io.runbook.run.RunListener.Block;
import io.runbook.run.Session;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.term.ConsoleReporter;
import io.runbook.term.Prompter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A runbook stepped by hand: the plan as a list of items (preflight steps; each phase's steps, verify steps
 * and its end: COMMIT, or completion for a `no transaction` phase), a cursor at the next one, and what
 * happened to each. A transactional phase's transaction stays open across steps until the operator commits
 * it; each step runs under a savepoint, so a failed step leaves the rest of the phase intact. Committing
 * records the phase in the journal inside its transaction, as `runbook run` does.
 */
final class Stepper {
    enum Kind { STEP, VERIFY, END }

    enum Mark { DONE, FAILED, SKIPPED }

    record Item(Phase phase, Kind kind, Step step) {
        Block block() { return phase == null ? Block.PREFLIGHT : kind == Kind.VERIFY ? Block.VERIFY : Block.PHASE; }
    }

    /** The phase whose work is under way: its transaction is open (or, `no transaction`, it was journaled as started). */
    private record Open(Phase phase, Instant started, long nanos) {}

    /** How the interpreter's own hints read; in the shell the phase's transaction stays open instead. */
    private static final List<String> RUN_CONSEQUENCES = Interpreter.RUN_CONSEQUENCES;

    private final Shell shell;
    private final Session session;
    private final Journal journal;
    private final long runId;
    private final Path file;
    private final Map<String, String> given;
    private final Map<String, String> env;
    private final Map<String, String> shellEnvironment;
    private final boolean allowChanged;
    private final Prompter prompter;
    private final Relay listener;

    private Program program;
    private Scope params;
    private Interpreter interpreter;
    private JournalRecorder recorder;
    private List<Item> items = List.of();
    private Mark[] marks = new Mark[0];
    private int cursor;
    private Open open;
    private int typed;
    private Map<String, Journal.PhaseRecord> records = Map.of();
    private String header = "";
    private final Set<String> shellVariables = new LinkedHashSet<>();
    private volatile boolean interrupted;

    Stepper(Shell shell, Session session, Program program, Path file, Map<String, String> given, Scope params, Map<String, String> env,
            Map<String, String> shellEnvironment, Journal journal, long runId, boolean allowChanged, Prompter prompter) {
        this.shell = shell;
        this.session = session;
        this.file = file;
        this.given = new LinkedHashMap<>(given);
        this.env = env;
        this.shellEnvironment = shellEnvironment;
        this.journal = journal;
        this.runId = runId;
        this.allowChanged = allowChanged;
        this.prompter = prompter;
        this.listener = new Relay(new ConsoleReporter(shell.out(), shell.out(), shell.style()));
        load(program, params, null);
    }

    private void load(Program p, Scope ps, Scope lets) {
        program = p;
        params = ps;
        recorder = new JournalRecorder(journal, p, runId, records, Set.of());
        listener.journal(recorder);
        interpreter = interpreter();
        if (lets != null) lets.local().forEach(interpreter.scope()::set);
        items = items(p.runbook());
        marks = new Mark[items.size()];
    }

    private Interpreter interpreter() {
        return new Interpreter(program, session, prompter, listener, params, env).withProgress(recorder).withShellEnvironment(shellEnvironment);
    }

    /** A new interpreter with the same names: confirmations it remembers as answered are asked again (a phase starts over). */
    private void renew() {
        Scope lets = interpreter.scope();
        interpreter = interpreter();
        lets.local().forEach(interpreter.scope()::set);
    }

    private static List<Item> items(Runbook rb) {
        List<Item> out = new ArrayList<>();
        for (Step s : rb.preflight()) out.add(new Item(null, Kind.STEP, s));
        for (Phase p : rb.phases()) {
            for (Step s : p.steps()) out.add(new Item(p, Kind.STEP, s));
            for (Step s : p.verify()) out.add(new Item(p, Kind.VERIFY, s));
            out.add(new Item(p, Kind.END, null));
        }
        return out;
    }

    // ------------------------------------------------------------------ what the shell asks

    Program program() { return program; }

    Scope scope() { return interpreter.scope(); }

    void interrupt() {
        interrupted = true;
        interpreter.interrupt();
    }

    /** Whether a phase's work is under way (its transaction open, or a `no transaction` phase started). */
    boolean phaseOpen() { return open != null; }

    /** Whether the open phase holds a transaction (typed SQL then runs in it, under savepoints). */
    boolean phaseTransaction() { return open != null && open.phase().transactional(); }

    /** A statement typed at the prompt ran inside the open phase's transaction: it commits with the phase. */
    void typedInPhase() { typed++; }

    /** Where the cursor is, for the prompt. */
    String where() {
        if (cursor >= items.size()) return "done";
        Item it = items.get(cursor);
        return it.phase() == null ? "preflight" : "phase " + number(it.phase()) + "/" + program.runbook().phases().size();
    }

    List<String> phaseNames() { return program.runbook().phases().stream().map(Phase::name).toList(); }

    List<String> checkLabels() { return Steps.checks(program.runbook()).stream().map(c -> checkLabel(c.check())).toList(); }

    List<String> variables() {
        Set<String> out = new LinkedHashSet<>();
        for (Runbook.Param p : program.runbook().params()) out.add(p.name());
        out.addAll(Steps.lets(program.runbook()));
        out.addAll(interpreter.scope().local().keySet());
        return List.copyOf(out);
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
        cursor = firstPending();
        plan();
    }

    private void settings() {
        try {
            interpreter.settings();
        } catch (Failure f) {
            shell.out().print(f.diagnostic().render());
        }
    }

    /** Leaving the shell: a half-done phase is rolled back (or, `no transaction`, left as the journal shows it). */
    String leave() {
        if (open == null) return null;
        Phase p = open.phase();
        open = null;
        if (p.transactional()) {
            session.rollbackQuietly();
            shell.warn("phase \"" + p.name() + "\" was half-done: its transaction was rolled back, nothing of it was applied");
            return "left the shell with phase \"" + p.name() + "\" half-done: rolled back";
        }
        shell.warn("phase \"" + p.name() + "\" (no transaction) is half-done: the statements that ran stay committed and the journal"
                + " shows it as interrupted; decide with `runbook run --rerun`, `--mark-done` or `runbook rollback`");
        return "left the shell with `no transaction` phase \"" + p.name() + "\" half-done";
    }

    // ------------------------------------------------------------------ plan, status, vars

    void plan() {
        var out = shell.out();
        var style = shell.style();
        Runbook rb = program.runbook();
        out.println(style.bold("runbook \"" + rb.name() + "\"") + style.dim("  " + file));
        boolean anyApplied = rb.phases().stream().anyMatch(this::applied);
        String last = "";
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            String key = it.phase() == null ? "preflight" : it.phase().name();
            if (!key.equals(last)) {
                last = key;
                if (it.phase() == null) {
                    out.println(style.bold("preflight") + style.dim(" (read-only)" + (anyApplied && !touched(null) ? "  not needed: phases were applied before" : "")));
                } else {
                    Phase p = it.phase();
                    out.println(style.bold("phase " + number(p) + "/" + rb.phases().size() + " \"" + p.name() + "\"")
                            + style.dim(p.transactional() ? " (one transaction)" : " (no transaction)") + phaseState(p));
                }
            }
            if (it.kind() == Kind.VERIFY && (i == 0 || items.get(i - 1).kind() != Kind.VERIFY)) out.println("    " + style.bold("verify"));
            out.println(line(i));
        }
        if (cursor >= items.size()) out.println(style.green("every phase is applied") + style.dim("  (`status` shows the journal)"));
    }

    private String phaseState(Phase p) {
        var style = shell.style();
        Journal.PhaseRecord r = records.get(p.name());
        String s = "";
        if (open != null && open.phase() == p) {
            s = p.transactional() ? "  in progress: its transaction is open" : "  in progress";
            return style.yellow(s);
        }
        if (r == null) return "";
        if (r.done()) {
            s = style.green("  " + r.describe());
        } else if (r.interrupted()) {
            s = style.red("  INTERRUPTED in run #" + r.runId());
        } else if (r.status().equals("rolled_back")) {
            s = style.dim("  rolled back in run #" + r.runId());
        }
        if (r.done() && !r.checksum().equals(Checksums.phase(program, p))) s += style.red("  CHANGED since");
        return s;
    }


    private String line(int i) {
        var style = shell.style();
        Item it = items.get(i);
        boolean appliedBefore = it.phase() != null && applied(it.phase()) && marks[i] == null;
        boolean preflightNotNeeded = it.phase() == null && marks[i] == null && program.runbook().phases().stream().anyMatch(this::applied);
        String mark;
        if (i == cursor && marks[i] == Mark.FAILED) mark = style.red(shell.mark("failed"));
        else if (i == cursor) mark = style.bold(shell.mark("next"));
        else if (marks[i] == Mark.DONE || appliedBefore) mark = style.green(shell.mark("done"));
        else if (marks[i] == Mark.FAILED) mark = style.red(shell.mark("failed"));
        else if (marks[i] == Mark.SKIPPED || preflightNotNeeded) mark = style.dim(shell.mark("skipped"));
        else mark = " ";
        String text = it.kind() == Kind.END ? (it.phase().transactional() ? "commit" : "complete (journal it as applied)") : label(it.step());
        String body = i == cursor ? style.bold(text) : appliedBefore || marks[i] == Mark.SKIPPED || preflightNotNeeded ? style.dim(text) : text;
        if (i == cursor && marks[i] == Mark.FAILED) body += style.dim("  (failed: `next` runs it again)");
        return "  " + mark + (it.kind() == Kind.VERIFY ? "   " : " ") + body;
    }

    private String label(Step s) { return Steps.label(s, this::checkLabel); }

    /** A check's label as it reads now: interpolated when that needs no query. */
    String checkLabel(Step.Check c) {
        if (Steps.pure(c.label())) {
            try {
                return interpreter.evaluator().eval(c.label(), interpreter.scope()).display();
            } catch (RuntimeException e) {
                // a name without value yet: show the label as written
            }
        }
        String s = Describe.expr(c.label());
        return s.startsWith("\"") && s.endsWith("\"") && s.length() > 1 ? s.substring(1, s.length() - 1) : s;
    }

    void status() {
        refreshRecords();
        List<String> cols = List.of("phase", "state", "when", "by", "duration", "run", "checksum");
        List<List<String>> rows = new ArrayList<>();
        for (Phase p : program.runbook().phases()) {
            Journal.PhaseRecord r = records.get(p.name());
            if (open != null && open.phase() == p) {
                rows.add(List.of(p.name(), "in progress (this shell)", "", "", "", "#" + runId, ""));
                continue;
            }
            if (r == null) {
                rows.add(List.of(p.name(), "pending", "", "", "", "", ""));
                continue;
            }
            String state = switch (r.status()) {
                case "started" -> "INTERRUPTED";
                case "rolled_back" -> "rolled back";
                case "marked_done" -> "marked done";
                default -> r.status();
            };
            String duration = r.started() == null ? "" : Durations.human(Duration.between(r.started(), r.finished()));
            rows.add(List.of(p.name(), state, r.finished().toString(), r.osUser(), duration, "#" + r.runId(),
                    r.checksum().equals(Checksums.phase(program, p)) ? "matches" : "CHANGED"));
        }
        shell.out().println("runbook \"" + program.runbook().name() + "\" on " + shell.target() + shell.style().dim("  (this shell is run #" + runId + ")"));
        shell.print(Tables.aligned(new Tables.Result(cols, cols.stream().map(c -> false).toList(), rows, rows.size()), shell.style()));
    }

    void vars() {
        var out = shell.out();
        var style = shell.style();
        List<List<String>> rows = new ArrayList<>();
        for (Runbook.Param p : program.runbook().params()) {
            Value v = params.get(p.name());
            rows.add(List.of(p.name(), "param " + p.type().keyword, p.secret() ? "(secret)" : v == null ? "(no value)" : Value.quoted(v)));
        }
        Map<String, Value> lets = interpreter.scope().local();
        for (String name : Steps.lets(program.runbook())) {
            Value v = lets.get(name);
            rows.add(List.of(name, "let", v == null ? "(no value yet)" : Value.quoted(v)));
        }
        for (String name : shellVariables) {
            Value v = lets.get(name);
            if (v != null) rows.add(List.of(name, "set in the shell", Value.quoted(v)));
        }
        if (rows.isEmpty()) {
            out.println("no params or lets; `set NAME VALUE` makes a variable for SQL (:NAME)");
            return;
        }
        List<String> cols = List.of("name", "kind", "value");
        shell.print(Tables.aligned(new Tables.Result(cols, List.of(false, false, false), rows, rows.size()), style));
    }

    /** `set NAME VALUE`: a param (as its type), a let (as the type of its value) or a new variable for SQL. */
    void set(String name, String raw) {
        Runbook.Param param = program.runbook().params().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (param != null) {
            Map<String, String> next = new LinkedHashMap<>(given);
            next.put(name, raw);
            try {
                Scope bound = Params.bind(program, next, env);
                given.put(name, raw);
                params.set(name, bound.get(name));
                shell.out().println("param " + name + " = " + Value.quoted(bound.get(name)));
            } catch (RunbookException e) {
                for (Diagnostic d : e.diagnostics()) if (d.message().contains(name)) shell.out().print(d.render());
            }
            return;
        }
        Value old = interpreter.scope().get(name);
        Value v = parse(old, raw);
        if (v == null) {
            shell.error("\"" + raw + "\" is not a " + old.typeName() + " (the type of " + name + "'s value now)");
            return;
        }
        interpreter.scope().set(name, v);
        if (!Steps.lets(program.runbook()).contains(name)) shellVariables.add(name);
        shell.out().println((Steps.lets(program.runbook()).contains(name) ? "let " : "") + name + " = " + Value.quoted(v));
    }

    /** Text typed for a variable, read as the type its value has now (a number when it has none and looks like one). */
    static Value parse(Value old, String raw) {
        String s = Input.unquote(raw.strip());
        if (old == null || old instanceof Value.Null) {
            try {
                return new Value.Num(new BigDecimal(s));
            } catch (NumberFormatException e) {
                return new Value.Text(s);
            }
        }
        if (old instanceof Value.Num) {
            try {
                return new Value.Num(new BigDecimal(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (old instanceof Value.Bool) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Value.Bool.TRUE;
                case "false", "no", "off", "0" -> Value.Bool.FALSE;
                default -> null;
            };
        }
        if (old instanceof Value.Dur) {
            Duration d = Durations.parse(s);
            return d == null ? null : new Value.Dur(d);
        }
        return new Value.Text(s);
    }

    // ------------------------------------------------------------------ next, run, skip

    void next() {
        interrupted = false;
        if (cursor >= items.size()) {
            shell.out().println("nothing left: every phase is applied (`status` shows the journal, `rollback PHASE` undoes one)");
            return;
        }
        execute();
        hint();
    }

    /** `run [PHASE]`: on to the end of the preflight or phase the cursor is in, or of the named phase. */
    void run(String arg) {
        interrupted = false;
        if (cursor >= items.size()) {
            shell.out().println("nothing left: every phase is applied");
            return;
        }
        int target;
        if (arg.isEmpty()) {
            Phase p = items.get(cursor).phase();
            target = p == null ? lastPreflight() : end(p);
        } else if (arg.equalsIgnoreCase("preflight")) {
            target = lastPreflight();
            if (target < cursor) {
                shell.out().println("the preflight is behind the cursor");
                return;
            }
        } else {
            Phase p = phase(arg);
            if (p == null) return;
            target = end(p);
            if (applied(p) && (open == null || open.phase() != p)) {
                shell.out().println("phase \"" + p.name() + "\" is applied already (`status` shows when)");
                return;
            }
            if (target < cursor) {
                shell.out().println("phase \"" + p.name() + "\" is behind the cursor (it was skipped); `rollback` or `reload` to go back");
                return;
            }
        }
        while (cursor < items.size() && cursor <= target && !interrupted) {
            if (!execute()) break;
        }
        if (interrupted) shell.warn("stopped: Ctrl-C");
        hint();
    }

    void skip(String arg) {
        if (cursor >= items.size()) {
            shell.out().println("nothing left to skip");
            return;
        }
        Item it = items.get(cursor);
        if (arg.equalsIgnoreCase("phase")) {
            if (open != null) {
                shell.out().println("phase \"" + open.phase().name() + "\" is under way: `rollback` it first, or finish it");
                return;
            }
            Phase p = it.phase();
            int last = p == null ? lastPreflight() : end(p);
            while (cursor <= last) skipOne(items.get(cursor));
            advance();
            hint();
            return;
        }
        if (!arg.isEmpty()) {
            shell.out().println("skip takes no argument, or `phase` (skip the rest of the preflight or phase)");
            return;
        }
        if (it.kind() == Kind.END) {
            shell.out().println(it.phase().transactional()
                    ? "the phase's end is its COMMIT: `next` commits it, `rollback` discards it"
                    : "the phase's end journals it as applied: `next` does, `rollback` runs its rollback block");
            return;
        }
        skipOne(it);
        advance();
        hint();
    }

    private void skipOne(Item it) {
        if (it.kind() == Kind.END) {
            marks[cursor] = Mark.SKIPPED;
            cursor++;
            return;
        }
        String label = label(it.step());
        shell.out().println("  " + shell.style().dim(shell.mark("skipped") + " skipped: " + label));
        recordStep(it, "skip", label, "skipped", "skipped by the operator in runbook shell");
        marks[cursor] = Mark.SKIPPED;
        cursor++;
    }

    private void recordStep(Item it, String kind, String label, String status, String message) {
        Instant now = Instant.now();
        try {
            journal.recordStep(runId, new Journal.StepRecord(it.phase() == null ? null : it.phase().name(), it.block().name().toLowerCase(Locale.ROOT),
                    0, kind, label, now, now, status, null, null, null, null, null, null, null, message));
        } catch (SQLException e) {
            shell.warn("cannot write the journal: " + e.getMessage());
        }
    }

    /** Runs the item at the cursor; true when it succeeded (the cursor moved on). */
    private boolean execute() {
        Item it = items.get(cursor);
        Shell.TxState state = shell.txState();
        if ((open == null || !open.phase().transactional()) && state != Shell.TxState.IDLE) {
            shell.out().println("a transaction you started is open (the prompt shows " + (state == Shell.TxState.FAILED ? "!" : "*")
                    + "): end it with commit; or rollback; before the next step");
            return false;
        }
        if (open != null && open.phase().transactional() && state == Shell.TxState.IDLE && shell.autoCommit()) {
            shell.warn("the transaction of phase \"" + open.phase().name() + "\" is gone (" + state + "): nothing of it was applied");
            reset(open.phase());
            return false;
        }
        enter(it);
        if (it.phase() == null) return preflightStep(it);
        if (open != null && open.phase() != it.phase()) {
            shell.out().println("phase \"" + open.phase().name() + "\" is still under way: commit or rollback it first");
            return false;
        }
        if (it.kind() == Kind.END) return finish(it);
        if (open == null && !begin(it.phase())) return false;
        return phaseStep(it);
    }

    /** Prints the block header when the cursor enters a new block. */
    private void enter(Item it) {
        String phaseKey = it.phase() == null ? "preflight" : "phase:" + it.phase().name();
        String key = it.kind() == Kind.VERIFY ? phaseKey + "/verify" : phaseKey;
        boolean inPhase = header.equals(phaseKey) || header.equals(phaseKey + "/verify");
        if (header.equals(key) || (it.kind() == Kind.END && inPhase)) return;
        if (it.phase() == null) {
            listener.blockStarted(Block.PREFLIGHT, null, 0, 0);
        } else {
            if (!inPhase) listener.blockStarted(Block.PHASE, it.phase(), number(it.phase()), program.runbook().phases().size());
            if (it.kind() == Kind.VERIFY) listener.blockStarted(Block.VERIFY, it.phase(), 0, 0);
        }
        header = key;
    }

    private boolean preflightStep(Item it) {
        try {
            session.begin(true);
            interpreter.runStep(it.step(), null, Block.PREFLIGHT);
            done();
            return true;
        } catch (Failure f) {
            failed(f, "the preflight is read-only: nothing was changed; `next` runs the step again, `skip` goes past it");
            return false;
        } catch (SQLException e) {
            throw shell.lost(e);
        } finally {
            session.rollbackQuietly();
        }
    }

    private boolean begin(Phase p) {
        Instant started = Instant.now();
        try {
            if (p.transactional()) session.begin(false);
            else recorder.starting(p, started);
        } catch (SQLException e) {
            throw shell.lost(e);
        }
        open = new Open(p, started, System.nanoTime());
        typed = 0;
        return true;
    }

    private boolean phaseStep(Item it) {
        Connection c = session.connection();
        Savepoint sp = null;
        try {
            if (it.phase().transactional()) sp = c.setSavepoint();
            interpreter.runStep(it.step(), it.phase(), it.block());
            if (sp != null) c.releaseSavepoint(sp);
            done();
            return true;
        } catch (Failure f) {
            if (f.exitCode() == ExitCode.CONNECTION) throw shell.lost(f.diagnostic().message());
            if (sp != null) undoTo(c, sp);
            failed(f, it.phase().transactional()
                    ? "the phase's transaction is still open (the failed step was undone to its savepoint): look at the data, then `next` to"
                    + " retry the step, `skip` to go on without it, or `rollback` to discard the phase"
                    : "statements of this `no transaction` phase that ran before stay committed: `next` retries the step, `rollback` runs the"
                    + " phase's rollback block");
            return false;
        } catch (SQLException e) {
            throw shell.lost(e);
        }
    }

    private void undoTo(Connection c, Savepoint sp) {
        try {
            c.rollback(sp);
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            throw shell.lost(e);
        }
    }

    /** The phase's end: COMMIT with its journal record inside the transaction, or (no transaction) the journal record. */
    private boolean finish(Item it) {
        Phase p = it.phase();
        if (open == null && !begin(p)) return false;
        long skipped = 0;
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p && marks[i] == Mark.SKIPPED) skipped++;
        List<String> notes = new ArrayList<>();
        if (skipped > 0) notes.add(skipped + (skipped == 1 ? " step" : " steps") + " skipped");
        if (typed > 0) notes.add(typed + (typed == 1 ? " statement" : " statements") + " typed at the prompt");
        String detail = notes.isEmpty() ? null : "with " + String.join(", ", notes);
        Duration d = Duration.ofNanos(System.nanoTime() - open.nanos());
        try {
            if (p.transactional()) {
                if (shell.txState() == Shell.TxState.FAILED) {
                    shell.out().println("the transaction has failed: `rollback` discards the phase");
                    return false;
                }
                recorder.applied(p, session.connection(), open.started());
                session.commit();
                listener.phaseFinished(p, PhaseState.COMMITTED, d, detail);
            } else {
                recorder.applied(p, null, open.started());
                listener.phaseFinished(p, PhaseState.COMPLETED, d, detail);
            }
        } catch (SQLException e) {
            session.rollbackQuietly();
            shell.error("COMMIT failed: " + e.getMessage());
            shell.warn("phase \"" + p.name() + "\" was rolled back: nothing of it was applied");
            reset(p);
            return false;
        }
        open = null;
        header = "";
        shell.schemaChanged();
        refreshRecords();
        done();
        return true;
    }

    private void done() {
        marks[cursor] = Mark.DONE;
        cursor++;
        advance();
    }

    /** Past the phases the journal has as applied. */
    private void advance() {
        while (cursor < items.size()) {
            Item it = items.get(cursor);
            if (it.phase() == null || !applied(it.phase()) || (open != null && open.phase() == it.phase())) return;
            if (marks[cursor] == null && (cursor == 0 || items.get(cursor - 1).phase() != it.phase())) {
                listener.phaseSkipped(it.phase(), number(it.phase()), program.runbook().phases().size(), records.get(it.phase().name()).describe());
            }
            cursor++;
        }
    }

    private void failed(Failure f, String guidance) {
        if (interrupted) shell.out().println();
        marks[cursor] = Mark.FAILED;
        listener.failed(f);
        shell.out().print(adapt(f.diagnostic()).render());
        shell.note(guidance);
    }

    /** The interpreter's diagnostic without what `runbook run` would do next (roll back, re-run): the shell does otherwise. */
    static Diagnostic adapt(Diagnostic d) {
        List<String> details = d.details().stream().filter(x -> RUN_CONSEQUENCES.stream().noneMatch(x::startsWith)).toList();
        String hint = d.hint() == null || RUN_CONSEQUENCES.stream().anyMatch(d.hint()::startsWith) ? null : d.hint();
        return new Diagnostic(d.pos(), d.message(), details, hint);
    }

    private void hint() {
        if (cursor >= items.size()) {
            shell.out().println(shell.style().green("every phase is applied") + shell.style().dim("  (`status` shows the journal)"));
            return;
        }
        Item it = items.get(cursor);
        String where = it.phase() == null ? "preflight" : "phase " + number(it.phase()) + "/" + program.runbook().phases().size();
        String what = it.kind() == Kind.END ? (it.phase().transactional() ? "commit \"" + it.phase().name() + "\"" : "complete \"" + it.phase().name() + "\"")
                : label(it.step());
        shell.note("next (" + where + "): " + what);
    }

    // ------------------------------------------------------------------ commit, rollback

    /** `commit` (or COMMIT typed): the open phase's end, when the cursor has reached it. */
    void commit() {
        if (open == null) {
            shell.out().println("no phase is under way");
            return;
        }
        if (cursor >= items.size() || items.get(cursor).kind() != Kind.END || items.get(cursor).phase() != open.phase()) {
            shell.out().println("phase \"" + open.phase().name() + "\" is not finished: its steps and verify come first (`run` runs them,"
                    + " then commits)");
            return;
        }
        next();
    }

    /**
     * `rollback [PHASE]`: discards the open phase's transaction; else runs rollback blocks: of the named phase
     * and the applied phases after it, last first, or of the last applied phase.
     */
    void rollback(String arg) {
        interrupted = false;
        Phase named = null;
        if (!arg.isEmpty()) {
            named = phase(arg);
            if (named == null) return;
        }
        if (open != null) {
            if (named != null && named != open.phase()) {
                shell.out().println("phase \"" + open.phase().name() + "\" is under way: commit or rollback it first");
                return;
            }
            if (open.phase().transactional()) {
                discard();
                return;
            }
            named = open.phase();
        }
        refreshRecords();
        List<Phase> all = program.runbook().phases();
        List<Phase> undo = new ArrayList<>();
        if (named == null) {
            for (int i = all.size() - 1; i >= 0 && undo.isEmpty(); i--) if (undoable(all.get(i))) undo.add(all.get(i));
            if (undo.isEmpty()) {
                shell.out().println("nothing to roll back: no phase is applied (`status` shows the journal)");
                return;
            }
        } else {
            for (int i = all.size() - 1; i >= all.indexOf(named); i--) if (undoable(all.get(i))) undo.add(all.get(i));
            if (undo.isEmpty()) {
                Journal.PhaseRecord r = records.get(named.name());
                shell.out().println("phase \"" + named.name() + "\" is not applied (journal: " + (r == null ? "never ran" : r.status().replace('_', ' '))
                        + "): nothing to undo");
                return;
            }
        }
        List<Phase> blocks = new ArrayList<>();
        for (Phase p : undo) {
            if (p.hasRollback()) blocks.add(p);
            else shell.warn("phase \"" + p.name() + "\" has no rollback block: left as it is");
        }
        if (blocks.isEmpty()) return;
        if (shell.txState() != Shell.TxState.IDLE && open == null) {
            shell.out().println("a transaction you started is open: end it with commit; or rollback; first");
            return;
        }
        List<String> names = blocks.stream().map(p -> "\"" + p.name() + "\"").toList();
        String question = "Run the rollback blocks of " + String.join(", ", names) + ", in that order?";
        Prompter.Answer a = prompter.confirm(question, null);
        if (!a.yes()) {
            shell.out().println("rollback declined: nothing was run");
            return;
        }
        recorder.confirmed(null, question, a);
        for (Phase p : blocks) if (!undo(p)) break;
        renew();
        header = "";
        refreshRecords();
        shell.schemaChanged();
        int first = items.size();
        for (Phase p : blocks) {
            if (applied(p) || records.get(p.name()) != null && records.get(p.name()).interrupted()) continue;
            clear(p);
            first = Math.min(first, start(p));
        }
        cursor = Math.min(cursor, first);
        hint();
    }

    private boolean undoable(Phase p) {
        Journal.PhaseRecord r = records.get(p.name());
        return r != null && (r.done() || r.interrupted());
    }

    /** Runs one phase's rollback block in its own transaction (statement by statement for a `no transaction` phase). */
    private boolean undo(Phase p) {
        listener.blockStarted(Block.ROLLBACK, p, 0, 0);
        long nanos = System.nanoTime();
        Instant started = Instant.now();
        try {
            if (p.transactional()) session.begin(false);
            for (Step s : p.rollback()) {
                if (interrupted) throw new Failure(ExitCode.ABORTED, new Diagnostic(p.pos(), "interrupted by Ctrl-C", null));
                interpreter.runStep(s, p, Block.ROLLBACK);
            }
            if (p.transactional()) session.commit();
            recorder.undone(p, started);
        } catch (Failure | SQLException e) {
            session.rollbackQuietly();
            Failure f = e instanceof Failure x ? x : null;
            String message = f != null ? f.getMessage() : e.getMessage();
            listener.phaseFinished(p, PhaseState.UNDO_FAILED, Duration.ofNanos(System.nanoTime() - nanos), message);
            if (f != null) {
                listener.failed(f);
                shell.out().print(adapt(f.diagnostic()).render());
                if (f.exitCode() == ExitCode.CONNECTION) throw shell.lost(f.diagnostic().message());
            } else {
                throw shell.lost((SQLException) e);
            }
            shell.note("the rollback block was rolled back" + (p.transactional() ? "" : " (its statements that ran stay committed)")
                    + "; the phase stays applied; `rollback " + p.name() + "` tries again");
            return false;
        }
        if (open != null && open.phase() == p) open = null;
        listener.phaseFinished(p, PhaseState.UNDONE, Duration.ofNanos(System.nanoTime() - nanos), null);
        return true;
    }

    /** Rolls back the open phase's transaction: nothing of it was applied; the cursor goes back to its first step. */
    private void discard() {
        Phase p = open.phase();
        session.rollbackQuietly();
        shell.out().println("  " + shell.style().yellow(shell.mark("failed")) + " phase \"" + p.name() + "\" rolled back: nothing of it was applied"
                + (typed > 0 ? " (also not the " + typed + " statements typed at the prompt)" : ""));
        recordStep(items.get(end(p)), "failure", "rollback", "rolled back", "the operator rolled back the phase's open transaction in runbook shell");
        reset(p);
        shell.schemaChanged();
        hint();
    }

    private void reset(Phase p) {
        renew();
        open = null;
        header = "";
        clear(p);
        cursor = start(p);
    }

    private void clear(Phase p) {
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p) marks[i] = null;
    }

    // ------------------------------------------------------------------ verify, check

    /** `verify [PHASE]`: the open phase's verify block when the cursor is at it (counted, journaled), else a look that changes nothing. */
    void verify(String arg) {
        interrupted = false;
        Phase p;
        if (arg.isEmpty()) {
            p = open != null ? open.phase() : cursor < items.size() ? items.get(cursor).phase() : null;
            if (p == null) {
                shell.out().println("which phase? `verify PHASE` (the cursor is not in a phase)");
                return;
            }
        } else {
            p = phase(arg);
            if (p == null) return;
        }
        if (p.verify().isEmpty()) {
            shell.out().println("phase \"" + p.name() + "\" has no verify block");
            return;
        }
        if (open != null && open.phase() == p && cursor < items.size() && items.get(cursor).kind() == Kind.VERIFY && items.get(cursor).phase() == p) {
            while (cursor < items.size() && items.get(cursor).kind() == Kind.VERIFY && !interrupted) {
                if (!execute()) break;
            }
            hint();
            return;
        }
        shell.out().println(shell.style().bold("verify \"" + p.name() + "\"") + shell.style().dim(" (now, changes nothing)"));
        boolean ok = probe(p.verify(), p, Block.VERIFY);
        shell.out().println(ok ? "  " + shell.style().green("verify passes") : "  " + shell.style().red("verify does not pass"));
    }

    /** `check [N|LABEL]`: lists the checks, or runs one again now (changing nothing). */
    void check(String arg) {
        interrupted = false;
        List<Steps.CheckAt> checks = Steps.checks(program.runbook());
        if (checks.isEmpty()) {
            shell.out().println("the runbook has no checks");
            return;
        }
        if (arg.isEmpty()) {
            for (int i = 0; i < checks.size(); i++) {
                Steps.CheckAt c = checks.get(i);
                shell.out().println(String.format("%3d  ", i + 1) + checkLabel(c.check()) + shell.style().dim("  (" + where(c) + ")"));
            }
            shell.note("`check N` or `check LABEL` runs one again now");
            return;
        }
        List<Steps.CheckAt> found = new ArrayList<>();
        if (arg.matches("\\d+")) {
            int n = Integer.parseInt(arg);
            if (n >= 1 && n <= checks.size()) found.add(checks.get(n - 1));
        } else {
            for (Steps.CheckAt c : checks) if (checkLabel(c.check()).equalsIgnoreCase(arg)) found.add(c);
            if (found.isEmpty()) {
                String lower = arg.toLowerCase(Locale.ROOT);
                for (Steps.CheckAt c : checks) if (checkLabel(c.check()).toLowerCase(Locale.ROOT).contains(lower)) found.add(c);
            }
        }
        if (found.isEmpty()) {
            shell.out().println("no check \"" + arg + "\"; `check` lists them");
            return;
        }
        if (found.size() > 1) {
            shell.out().println(found.size() + " checks match \"" + arg + "\":");
            for (Steps.CheckAt c : found) shell.out().println("  " + (checks.indexOf(c) + 1) + "  " + checkLabel(c.check()) + shell.style().dim("  (" + where(c) + ")"));
            return;
        }
        Steps.CheckAt c = found.get(0);
        shell.out().println(shell.style().bold("check \"" + checkLabel(c.check()) + "\"") + shell.style().dim(" (" + where(c) + "; now, changes nothing)"));
        probe(List.of(c.check()), c.phase(), c.phase() == null ? Block.PREFLIGHT : c.verify() ? Block.VERIFY : Block.PHASE);
    }

    private String where(Steps.CheckAt c) {
        return c.phase() == null ? "preflight" : (c.verify() ? "verify of " : "phase ") + "\"" + c.phase().name() + "\"";
    }

    /**
     * Runs steps to look, not to change: in a read-only transaction that is rolled back, or inside the open
     * transaction (seeing its uncommitted work) under a savepoint that is rolled back. Not journaled.
     */
    private boolean probe(List<Step> steps, Phase phase, Block block) {
        Shell.TxState state = shell.txState();
        if (state == Shell.TxState.FAILED) {
            shell.out().println("the transaction has failed (the prompt shows !): end it with rollback; first");
            return false;
        }
        boolean own = state == Shell.TxState.IDLE;
        boolean was = listener.journaling(false);
        Connection c = session.connection();
        boolean ok = true;
        try {
            if (own) session.begin(true);
            for (Step s : steps) {
                if (interrupted) break;
                Savepoint sp = c.setSavepoint();
                try {
                    interpreter.runStep(s, phase, block);
                } catch (Failure f) {
                    ok = false;
                    if (f.exitCode() == ExitCode.CONNECTION) throw shell.lost(f.diagnostic().message());
                    shell.out().print(adapt(f.diagnostic()).render());
                }
                c.rollback(sp);
                c.releaseSavepoint(sp);
            }
        } catch (SQLException e) {
            throw shell.lost(e);
        } finally {
            listener.journaling(was);
            if (own) session.rollbackQuietly();
        }
        return ok && !interrupted;
    }

    // ------------------------------------------------------------------ reload

    /** Re-reads the file; progress stays where the plan is unchanged (phases by checksum, the preflight by its text). */
    void reload() {
        Program next;
        try {
            next = Checker.load(file);
        } catch (RunbookException e) {
            for (Diagnostic d : e.diagnostics()) shell.out().print(d.render());
            shell.warn("reload failed: still on the runbook loaded before");
            return;
        }
        if (!next.runbook().name().equals(program.runbook().name())) {
            shell.error("the runbook's name changed (\"" + program.runbook().name() + "\" -> \"" + next.runbook().name()
                    + "\"): the journal and its lock go by name; quit and start the shell again");
            return;
        }
        Scope nextParams;
        try {
            refreshRecords();
            Gate.checkUnchanged(next, records, allowChanged);
            Map<String, String> keep = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : given.entrySet()) {
                if (next.runbook().params().stream().anyMatch(p -> p.name().equals(e.getKey()))) keep.put(e.getKey(), e.getValue());
            }
            nextParams = Params.bind(next, keep, env);
            given.clear();
            given.putAll(keep);
        } catch (RunbookException e) {
            for (Diagnostic d : e.diagnostics()) shell.out().print(d.render());
            shell.warn("reload refused: still on the runbook loaded before");
            return;
        }
        Map<String, String> oldSums = new HashMap<>();
        for (Phase p : program.runbook().phases()) oldSums.put(p.name(), Checksums.phase(program, p));
        Phase openNow = null;
        if (open != null) {
            Phase np = next.runbook().phase(open.phase().name());
            if (np == null || !Checksums.phase(next, np).equals(oldSums.get(np.name())) || np.transactional() != open.phase().transactional()) {
                Prompter.Answer a = prompter.confirm("Phase \"" + open.phase().name() + "\" changed and is under way: "
                        + (open.phase().transactional() ? "roll back its transaction and reload?" : "reload anyway (its statements that ran stay committed)?"), null);
                if (!a.yes()) {
                    shell.out().println("reload declined: still on the runbook loaded before");
                    return;
                }
                if (open.phase().transactional()) {
                    session.rollbackQuietly();
                    shell.warn("phase \"" + open.phase().name() + "\" rolled back: nothing of it was applied");
                }
            } else {
                openNow = np;
            }
        }
        // Progress by phase name and position, where the phase (or preflight) is the same as before.
        String oldPreflight = Steps.signature(program.runbook().preflight());
        Map<String, List<Mark>> byBlock = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            byBlock.computeIfAbsent(it.phase() == null ? "" : it.phase().name(), k -> new ArrayList<>()).add(marks[i]);
        }
        Set<String> same = new LinkedHashSet<>();
        if (Steps.signature(next.runbook().preflight()).equals(oldPreflight)) same.add("");
        for (Phase np : next.runbook().phases()) if (Checksums.phase(next, np).equals(oldSums.get(np.name()))) same.add(np.name());
        Scope lets = interpreter.scope();
        Phase wasOpen = open == null ? null : open.phase();
        Open oldOpen = open;
        load(next, nextParams, lets);
        open = openNow == null ? null : new Open(openNow, oldOpen.started(), oldOpen.nanos());
        if (openNow == null && wasOpen != null) typed = 0;
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            String key = it.phase() == null ? "" : it.phase().name();
            int k = seen.merge(key, 1, Integer::sum) - 1;
            List<Mark> old = byBlock.get(key);
            if (same.contains(key) && old != null && k < old.size()) marks[i] = old.get(k);
        }
        header = "";
        settings();
        cursor = open != null ? firstPendingOf(open.phase()) : firstPending();
        List<String> changed = new ArrayList<>();
        for (Phase np : next.runbook().phases()) if (!same.contains(np.name())) changed.add("\"" + np.name() + "\"");
        shell.out().println("reloaded " + file + ": " + next.runbook().phases().size() + " phases"
                + (changed.isEmpty() ? ", none changed" : "; new or changed: " + String.join(", ", changed))
                + (same.contains("") ? "" : "; the preflight changed"));
        hint();
    }

    // ------------------------------------------------------------------ helpers

    private void refreshRecords() {
        try {
            records = journal.phases(program.runbook().name());
        } catch (SQLException e) {
            throw shell.lost(e);
        }
    }

    private boolean applied(Phase p) {
        Journal.PhaseRecord r = records.get(p.name());
        return r != null && r.done();
    }

    /** Whether the operator did anything in this block in this shell (phase null: the preflight). */
    private boolean touched(Phase p) {
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p && marks[i] != null) return true;
        return false;
    }

    private int firstPending() {
        boolean anyApplied = program.runbook().phases().stream().anyMatch(this::applied);
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            if (marks[i] == Mark.DONE || marks[i] == Mark.SKIPPED) continue;
            if (it.phase() == null ? anyApplied && !touched(null) : applied(it.phase())) continue;
            return i;
        }
        return items.size();
    }

    private int firstPendingOf(Phase p) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).phase() == p && marks[i] != Mark.DONE && marks[i] != Mark.SKIPPED) return i;
        }
        return end(p);
    }

    private int number(Phase p) { return program.runbook().phases().indexOf(p) + 1; }

    private int start(Phase p) {
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p) return i;
        return items.size();
    }

    private int end(Phase p) {
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p && items.get(i).kind() == Kind.END) return i;
        return items.size();
    }

    private int lastPreflight() {
        int last = -1;
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == null) last = i;
        return last;
    }

    /** A phase by name, by a prefix only it has, or by number (1-based). */
    Phase phase(String arg) {
        List<Phase> all = program.runbook().phases();
        if (arg.matches("\\d+")) {
            int n = Integer.parseInt(arg);
            if (n >= 1 && n <= all.size()) return all.get(n - 1);
        }
        for (Phase p : all) if (p.name().equals(arg)) return p;
        List<Phase> prefixed = all.stream().filter(p -> p.name().toLowerCase(Locale.ROOT).startsWith(arg.toLowerCase(Locale.ROOT))).toList();
        if (prefixed.size() == 1) return prefixed.get(0);
        shell.out().println((prefixed.isEmpty() ? "no phase \"" + arg + "\"" : "\"" + arg + "\" is the start of several phases")
                + "; the phases are: " + String.join(", ", all.stream().map(p -> "\"" + p.name() + "\"").toList()));
        return null;
    }
}
