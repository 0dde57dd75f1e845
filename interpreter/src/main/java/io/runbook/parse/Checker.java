package io.runbook.parse;

import io.runbook.ast.Expr;
import io.runbook.ast.Module;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Builtins;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import io.runbook.sql.SqlStatement;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a runbook into a Program and finds every problem that can be found without a database:
 * unknown names, wrong arity, missing files, unsplittable SQL, transaction control inside phases,
 * statements that cannot run in a transaction. All problems are reported together.
 *
 * <p>This class walks the runbook and resolves names (params, lets, guard names, function calls); the functions
 * (Functions), the SQL texts and files (SqlChecks) and confirms after locks (LockedConfirms) are passes of their
 * own, all reporting into one Problems list in the order the walk meets them.
 */
public final class Checker {
    private final Loader loader;
    private final Problems problems = new Problems();
    private final Functions functions = new Functions(problems);
    private final SqlChecks sql = new SqlChecks(problems);

    private Checker(Loader loader) {
        this.loader = loader;
    }

    /** Every problem found in a runbook, and the program when there are none. */
    public record Result(Program program, List<Diagnostic> diagnostics) {}

    /** Loads, resolves and checks; throws RunbookException (INVALID) listing every problem found. */
    public static Program load(Path runbookFile) {
        return load(runbookFile, null);
    }

    /** As {@link #load(Path)}, reading the main file from text when it is not null (an editor's unsaved buffer). */
    public static Program load(Path runbookFile, String text) {
        Result result = check(runbookFile, text);
        if (!result.diagnostics().isEmpty()) throw new RunbookException(ExitCode.INVALID, result.diagnostics());
        return result.program();
    }

    /**
     * Parses and checks a runbook, never throwing for anything wrong with it: the entry point for editors.
     * `text` is the runbook's content as the editor has it (null: read `runbookFile`); imports and SQL files
     * are read from disk, relative to `runbookFile`.
     */
    public static Result check(Path runbookFile, String text) {
        Loader loader = new Loader();
        try {
            Module main = text == null ? loader.loadMain(runbookFile) : loader.loadMain(runbookFile, text);
            Checker checker = new Checker(loader);
            Program program = checker.check(main);
            return checker.problems.isEmpty()
                    ? new Result(program, List.of())
                    : new Result(null, checker.problems.all());
        } catch (RunbookException e) {
            return new Result(null, e.diagnostics());
        }
    }

    /** Whether `run` will accept this literal as a default of this type (it reads text the way --param is read). */
    private static boolean fits(Runbook.Type type, io.runbook.ast.Value v) {
        if (!(v instanceof io.runbook.ast.Value.Text t)) return true;
        String s = t.value().trim();
        return switch (type) {
            case TEXT -> true;
            case INT -> {
                try {
                    new BigDecimal(s).setScale(0, java.math.RoundingMode.UNNECESSARY);
                    yield true;
                } catch (ArithmeticException | NumberFormatException e) {
                    yield false;
                }
            }
            case BOOL ->
                List.of("true", "yes", "on", "1", "false", "no", "off", "0")
                        .contains(s.toLowerCase(java.util.Locale.ROOT));
            case DURATION -> io.runbook.ast.Durations.parse(s) != null;
        };
    }

    private Program check(Module main) {
        for (Module m : loader.imports(main)) functions.defineAll(m);
        functions.defineAll(main);
        for (Module m : loader.imports(main)) checkDefs(m);
        checkDefs(main);
        functions.checkRecursion();
        Runbook rb = main.runbook();
        Set<String> scope = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (Runbook.Param p : rb.params()) {
            if (!seen.add(p.name()))
                problem(p.pos(), "param '" + p.name() + "' is declared twice", "rename one of them");
            if (p.defaultValue() != null) expr(p.defaultValue(), scope);
            if (p.defaultValue() instanceof Expr.Literal lit && !fits(p.type(), lit.value())) {
                problem(
                        lit.pos(),
                        "the default of param " + p.name() + " is not a valid " + p.type().keyword,
                        "give a " + p.type().keyword + " value, e.g. "
                                + switch (p.type()) {
                                    case INT -> "52";
                                    case BOOL -> "true";
                                    case DURATION -> "5s";
                                    case TEXT -> "\"text\"";
                                });
            }
            scope.add(p.name());
        }
        for (Runbook.Setting s : rb.settings()) expr(s.value(), scope);
        Set<String> params = Set.copyOf(scope);
        if (rb.fixture() != null
                && !java.nio.file.Files.isRegularFile(
                        Loader.resolve(main.file(), rb.fixture().path()))) {
            problem(
                    rb.fixture().pos(),
                    "fixture file not found: " + rb.fixture().path(),
                    "the path is relative to the runbook");
        }
        steps(rb.preflight(), scope, null, main.file());
        Set<String> phaseNames = new HashSet<>();
        for (Phase phase : rb.phases()) {
            if (!phaseNames.add(phase.name()))
                problem(
                        phase.pos(),
                        "phase \"" + phase.name() + "\" is declared twice",
                        "phase names identify progress: make them unique");
            // In a `no transaction` phase the policy applies to each statement; in a transactional one, to the phase.
            if (phase.retry() != null) retry(phase.retry(), scope);
            steps(phase.steps(), scope, phase, main.file());
            steps(phase.verify(), scope, phase, main.file());
            // A rollback may run in a later invocation, where this run's lets do not exist.
            steps(phase.rollback(), new HashSet<>(params), phase, main.file());
        }
        problems.addAll(LockedConfirms.check(rb));
        List<SourceFile> sources = new ArrayList<>(loader.sources());
        sources.addAll(sql.sqlSources);
        return new Program(
                rb,
                main,
                Map.copyOf(functions.functions),
                Map.copyOf(sql.scripts),
                List.copyOf(sources),
                java.util.Collections.unmodifiableMap(sql.inline)); // not copied: nothing changes it now
    }

    private boolean inDef;
    private final Set<String> snapshots = new HashSet<>();

    private void checkDefs(Module m) {
        for (Module.FunctionDef def : m.defs()) {
            inDef = true;
            Set<String> scope = new HashSet<>();
            for (Module.FunctionParam p : def.params()) {
                if (p.defaultValue() != null) expr(p.defaultValue(), scope);
                scope.add(p.name());
            }
            expr(def.body(), scope);
            inDef = false;
        }
    }

    /** Names that only guards see, and where. */
    private static final Map<String, String> GUARD_NAMES = Map.of(
            Step.AFFECTED, "`expect affected` directly after a sql step, and a batch's `until affected`",
            Step.DURATION, "`expect duration` directly after a sql step",
            Step.EXIT, "`expect exit` directly after an sh step");

    private void retry(io.runbook.ast.Retry r, Set<String> scope) {
        for (Expr e : r.options().values()) expr(e, scope);
    }

    // ------------------------------------------------------------------ steps

    private void steps(List<Step> steps, Set<String> scope, Phase phase, SourceFile file) {
        for (Step s : steps) step(s, scope, phase, file);
    }

    private void step(Step step, Set<String> scope, Phase phase, SourceFile file) {
        if (step instanceof Step.Sql s) {
            boolean transactional = phase == null || phase.transactional();
            if (s.source() instanceof Step.Inline in) {
                sql.statements(in.sql(), scope, transactional, false, false);
            } else {
                sql.script((Step.FileRef) s.source(), scope, transactional, file);
            }
            if (!s.guards().isEmpty()) { // most steps have none: no copy of the scope for them
                Set<String> guardScope = new HashSet<>(scope);
                guardScope.add(Step.AFFECTED);
                guardScope.add(Step.DURATION);
                for (Expr g : s.guards()) expr(g, guardScope);
            }
            if (s.retry() != null) {
                retry(s.retry(), scope);
                if (transactional) {
                    problem(
                            s.retry().pos(),
                            "retry on a step works only in a `no transaction` phase",
                            "a transactional phase is retried as a whole: write retry(...) or no retry after the phase name");
                }
            }
        } else if (step instanceof Step.Batch b) {
            if (phase == null || phase.transactional()) {
                problem(
                        b.pos(),
                        "batch runs each batch in a transaction of its own: it needs a `no transaction` phase",
                        "put it in `phase \"...\" no transaction { ... }`");
            }
            Set<String> sqlScope = scope;
            if (b.keyset()) {
                sqlScope = new HashSet<>(scope);
                sqlScope.add(Step.Keyset.FROM);
                sqlScope.add(Step.Keyset.TO);
            }
            List<SqlStatement> st = sql.statements(b.sql(), sqlScope, false, false, false);
            if (st != null && st.size() != 1)
                problem(
                        b.pos(),
                        "batch takes exactly one statement, found " + st.size(),
                        b.keyset()
                                ? "write one UPDATE or DELETE ... where id >= :batch_from and id < :batch_to"
                                : "write one UPDATE or DELETE ... LIMIT");
            if (b.keyset()) keyset(b, st == null || st.size() != 1 ? null : st.get(0), scope);
            else {
                Set<String> guardScope = new HashSet<>(scope);
                guardScope.add(Step.AFFECTED);
                expr(b.until(), guardScope);
            }
            if (b.pause() != null) expr(b.pause(), scope);
            if (b.maxBatches() != null) expr(b.maxBatches(), scope);
        } else if (step instanceof Step.Monitor m) {
            if (phase == null || phase.transactional()) {
                problem(
                        m.pos(),
                        "monitor would hold a transaction open for its whole window: it needs a `no transaction` phase",
                        "put it in `phase \"...\" no transaction { ... }`");
            }
            expr(m.label(), scope);
            expr(m.every(), scope);
            expr(m.duration(), scope);
            if (m.tolerate() != null) expr(m.tolerate(), scope);
            for (Step inner : m.steps()) {
                if (inner instanceof Step.Expect
                        || inner instanceof Step.Check
                        || inner instanceof Step.Let
                        || inner instanceof Step.Echo) {
                    step(inner, scope, phase, file);
                } else {
                    problem(
                            inner.pos(),
                            "a monitor holds checks only (expect, check, let, echo)",
                            "run changes in a phase before the monitor");
                }
            }
        } else if (step instanceof Step.Snapshot s) {
            if (!snapshots.add(s.name()))
                problem(s.pos(), "snapshot \"" + s.name() + "\" is taken twice", "give each snapshot its own name");
        } else if (step instanceof Step.ExpectSchema e) {
            if (!snapshots.contains(e.name())) {
                problem(
                        e.pos(),
                        "no snapshot \"" + e.name() + "\" is taken before this line",
                        "take it first: snapshot \"" + e.name() + "\"" + similar(e.name(), snapshots));
            }
        } else if (step instanceof Step.Shell sh) {
            Set<String> guardScope = new HashSet<>(scope);
            guardScope.add(Step.EXIT);
            if (sh.exitGuard() != null) expr(sh.exitGuard(), guardScope);
            if (sh.timeout() != null) expr(sh.timeout(), scope);
        } else if (step instanceof Step.Check c) {
            expr(c.label(), scope);
            steps(c.steps(), scope, phase, file);
        } else if (step instanceof Step.Expect e) {
            expr(e.condition(), scope);
        } else if (step instanceof Step.Let l) {
            expr(l.value(), scope);
            scope.add(l.name());
        } else if (step instanceof Step.Confirm c) {
            expr(c.prompt(), scope);
            if (c.typing() != null && c.typing().isBlank())
                problem(
                        c.pos(),
                        "typing \"\" asks for an empty word",
                        "give the word the operator must type, e.g. the database name");
        } else if (step instanceof Step.Echo e) {
            expr(e.message(), scope);
        }
    }

    /** A keyset batch's statement must use both ends of its range, or it would redo (or miss) rows. */
    private void keyset(Step.Batch b, SqlStatement st, Set<String> scope) {
        Step.Keyset k = b.over();
        if (k.size() != null) expr(k.size(), scope);
        if (k.parallel() != null) {
            expr(k.parallel(), scope);
            // a number as written is checked now; one from a param is checked when the batch starts
            if (k.parallel() instanceof Expr.Literal lit
                    && (!(lit.value() instanceof Value.Num n)
                            || n.value().stripTrailingZeros().scale() > 0
                            || n.value().compareTo(BigDecimal.ONE) < 0
                            || n.value().compareTo(BigDecimal.valueOf(Step.Keyset.MAX_PARALLEL)) > 0))
                problem(
                        lit.pos(),
                        "parallel must be a whole number from 1 to " + Step.Keyset.MAX_PARALLEL + ", got "
                                + Value.quoted(lit.value()),
                        "write e.g. `parallel 2`: that many ranges at once, each on a connection of its own"
                                + " (about one per core the server can spare)");
        }
        if (st == null) return;
        for (String end : List.of(Step.Keyset.FROM, Step.Keyset.TO)) {
            if (st.vars().stream().noneMatch(v -> v.name().equals(end))) {
                problem(
                        b.sql().posAt(st.start()),
                        "a keyset batch's statement must use :" + end + ", or every range would touch the same rows",
                        "add `where " + k.key() + " >= :" + Step.Keyset.FROM + " and " + k.key() + " < :"
                                + Step.Keyset.TO + "` to the statement");
            }
        }
    }

    // ------------------------------------------------------------------ expressions

    private void expr(Expr e, Set<String> scope) {
        if (e instanceof Expr.Variable v) {
            if (!scope.contains(v.name()) && GUARD_NAMES.containsKey(v.name())) {
                problem(
                        v.pos(),
                        "`" + v.name() + "` is known only in a guard: " + GUARD_NAMES.get(v.name()),
                        "write the guard right after its step: sql $$ ... $$ expect duration < 2min");
            } else if (!scope.contains(v.name())) {
                problem(
                        v.pos(),
                        "unknown name '" + v.name() + "'",
                        (inDef
                                        ? "a def sees only its own parameters: add it to the parameter list"
                                        : "declare it with `param` or `let` before this line")
                                + similar(v.name(), scope));
            }
        } else if (e instanceof Expr.Call c) {
            call(c, scope);
            return;
        } else if (e instanceof Expr.Query q) {
            List<SqlStatement> st = sql.statements(q.sql(), scope, true, false, inDef);
            if (st != null && st.size() != 1) {
                problem(
                        q.pos(),
                        (q.kind() == Expr.QueryKind.SCALAR ? "scalar" : "count") + " takes exactly one query, found "
                                + st.size() + " statements",
                        "split it into several expectations");
            }
        }
        e.children().forEach(child -> expr(child, scope));
    }

    private void call(Expr.Call c, Set<String> scope) {
        c.args().forEach(a -> expr(a, scope));
        if (Builtins.has(c.name())) {
            String err = Builtins.checkArity(c.name(), c.args().size());
            if (err != null) problem(c.pos(), err, Builtins.usage(c.name()));
            return;
        }
        Module.FunctionDef def = functions.functions.get(c.name());
        if (def == null) {
            problem(
                    c.pos(),
                    "unknown function '" + c.name() + "'",
                    "define it with `def " + c.name()
                            + "(...) = ...`, or import the library that has it (e.g. import \"stdlib/catalog\")"
                            + similar(c.name(), functions.functions.keySet()));
            return;
        }
        long required =
                def.params().stream().filter(p -> p.defaultValue() == null).count();
        if (c.args().size() < required || c.args().size() > def.params().size()) {
            problem(
                    c.pos(),
                    c.name() + "() takes "
                            + (required == def.params().size()
                                    ? "" + required
                                    : required + " to " + def.params().size())
                            + " argument(s), got " + c.args().size(),
                    "its definition is at " + def.pos());
        }
    }

    private static String similar(String name, Set<String> known) {
        return Suggest.hint(name, known);
    }

    private void problem(Pos pos, String message, String hint) {
        problems.add(pos, message, hint);
    }
}
