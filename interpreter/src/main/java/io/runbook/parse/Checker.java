package io.runbook.parse;

import io.runbook.ast.Expr;
import io.runbook.ast.Module;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.eval.Builtins;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import io.runbook.sql.SplitResult;
import io.runbook.sql.SqlProblem;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.SqlStream;
import io.runbook.sql.VarRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a runbook into a Program and finds every problem that can be found without a database:
 * unknown names, wrong arity, missing files, unsplittable SQL, transaction control inside phases,
 * statements that cannot run in a transaction. All problems are reported together.
 */
public final class Checker {
    private final Loader loader;
    private final List<Diagnostic> problems = new ArrayList<>();
    private final Map<String, Module.FunctionDef> functions = new LinkedHashMap<>();
    private final Map<Step.FileRef, Program.SqlScript> scripts = new LinkedHashMap<>();
    private final List<SourceFile> sqlSources = new ArrayList<>();
    /** Inline SQL texts as split here, so nothing splits them again at run or lint time. */
    private final Map<io.runbook.source.SqlText, List<SqlStatement>> inline = new java.util.HashMap<>();

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
                    : new Result(null, List.copyOf(checker.problems));
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
                    new java.math.BigDecimal(s).setScale(0, java.math.RoundingMode.UNNECESSARY);
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
        for (Module m : loader.imports(main)) defineAll(m);
        defineAll(main);
        for (Module m : loader.imports(main)) checkDefs(m);
        checkDefs(main);
        checkRecursion();
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
        sources.addAll(sqlSources);
        return new Program(
                rb, main, Map.copyOf(functions), Map.copyOf(scripts), List.copyOf(sources), Map.copyOf(inline));
    }

    private void defineAll(Module m) {
        for (Module.FunctionDef def : m.defs()) {
            Module.FunctionDef old = functions.get(def.name());
            if (old != null && old != def) {
                problem(
                        def.pos(),
                        "function '" + def.name() + "' is already defined at " + old.pos(),
                        "rename one of them");
            } else if (Builtins.has(def.name())) {
                problem(def.pos(), "'" + def.name() + "' is a built-in function", "choose another name");
            }
            functions.put(def.name(), def);
        }
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

    /** Defs have no conditional, so a def that reaches itself would recurse forever: refuse it. */
    private void checkRecursion() {
        for (Module.FunctionDef def : functions.values()) {
            java.util.Deque<String> path = new java.util.ArrayDeque<>();
            if (reaches(def.body(), def.name(), path, new HashSet<>())) {
                problem(
                        def.pos(),
                        "function '" + def.name() + "' calls itself"
                                + (path.isEmpty() ? "" : " through " + String.join(" -> ", path)),
                        "a def has no conditional to stop recursion: write the logic out, or in SQL (a recursive CTE)");
            }
        }
    }

    private boolean reaches(Expr e, String target, java.util.Deque<String> path, Set<String> seen) {
        if (e instanceof Expr.Call c) {
            if (c.name().equals(target)) return true;
            Module.FunctionDef callee = functions.get(c.name());
            if (callee != null && seen.add(c.name())) {
                path.addLast(c.name());
                if (reaches(callee.body(), target, path, seen)) return true;
                path.removeLast();
            }
        }
        for (Expr child : e.children()) if (reaches(child, target, path, seen)) return true;
        return false;
    }

    // ------------------------------------------------------------------ steps

    private void steps(List<Step> steps, Set<String> scope, Phase phase, SourceFile file) {
        for (Step s : steps) step(s, scope, phase, file);
    }

    private void step(Step step, Set<String> scope, Phase phase, SourceFile file) {
        if (step instanceof Step.Sql s) {
            boolean transactional = phase == null || phase.transactional();
            if (s.source() instanceof Step.Inline in) {
                statements(in.sql(), scope, transactional, false);
            } else {
                script((Step.FileRef) s.source(), scope, transactional, file);
            }
            Set<String> guardScope = new HashSet<>(scope);
            guardScope.add(Step.AFFECTED);
            guardScope.add(Step.DURATION);
            for (Expr g : s.guards()) expr(g, guardScope);
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
            List<SqlStatement> st = statements(b.sql(), sqlScope, false, false);
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

    /** Checks a SQL file as a stream (it is never held whole), with the files it includes. */
    private void script(Step.FileRef ref, Set<String> scope, boolean transactional, SourceFile from) {
        Path path = Loader.resolve(from, ref.path());
        String name = Loader.display(path);
        if (!java.nio.file.Files.isRegularFile(path)) {
            problem(
                    ref.pos(),
                    (java.nio.file.Files.exists(path) ? "not a regular file: " : "file not found: ") + name,
                    "paths are relative to the file that names them (" + from.name() + ")");
            return;
        }
        List<SqlStream.Statement> txControl = new ArrayList<>();
        List<SqlStream.Statement> alone = new ArrayList<>();
        SqlStream.Statement first = null;
        SqlStream.Statement last = null;
        int count = 0;
        int own = 0;
        boolean bad = false;
        List<SqlStream.FileRead> files;
        try (SqlStream in =
                SqlStream.open(new SourceFile(name, path, null), n -> scope.contains(n) ? "" : null, true)) {
            for (SqlStream.Item item = in.next(); item != null; item = in.next()) {
                if (item instanceof SqlStream.Problem p) {
                    problems.add(p.diagnostic());
                    bad = true;
                } else if (item instanceof SqlStream.Statement st) {
                    count++;
                    if (st.origin().file().path().equals(path)) own++;
                    SqlStatement sql = st.statement();
                    for (VarRef v : sql.vars()) {
                        if (v.kind() != VarRef.Kind.TEST && !in.defines(v.name()))
                            undefined(v, st.origin().posAt(v.start()), scope);
                    }
                    copyToStdout(sql, st.origin().pos());
                    if (sql.isTransactionControl()) txControl.add(st);
                    if (sql.mustRunAlone()) alone.add(st);
                    if (first == null) first = st;
                    last = st;
                }
            }
            files = in.files();
        } catch (SqlStream.InvalidText e) {
            problem(
                    e.pos(),
                    e.pos().file().name() + " is not UTF-8 text",
                    "convert it to UTF-8, e.g. iconv -f LATIN1 -t UTF-8");
            return;
        } catch (java.io.IOException e) {
            problem(ref.pos(), "cannot read " + name + ": " + e.getMessage(), "check the file's permissions");
            return;
        }
        boolean wrapped = first != last && isWrapped(List.of(first.statement(), last.statement()));
        for (SqlStream.Statement st : txControl) {
            if (!wrapped || (st != first && st != last))
                transactionControl(st.statement(), st.origin().pos(), transactional, true);
        }
        for (SqlStream.Statement st : alone) {
            if (transactional || wrapped) runAlone(st.statement(), st.origin().pos(), transactional, wrapped);
        }
        if (bad) return;
        SourceFile file = files.get(files.size() - 1).file();
        List<SourceFile> included = new ArrayList<>();
        for (SqlStream.FileRead f : files.subList(0, files.size() - 1)) included.add(f.file());
        List<SourceFile> read = new ArrayList<>(List.of(file));
        read.addAll(included);
        for (SourceFile f : read)
            if (sqlSources.stream().noneMatch(o -> o.path().equals(f.path()))) sqlSources.add(f);
        scripts.put(
                ref,
                new Program.SqlScript(
                        file,
                        path,
                        wrapped ? count - 2 : count,
                        wrapped ? own - 2 : own,
                        wrapped,
                        List.copyOf(included)));
    }

    private void undefined(VarRef v, Pos pos, Set<String> scope) {
        problem(
                pos,
                "undefined variable :" + v.name() + " in SQL",
                (inDef
                                ? "a def sees only its own parameters: add " + v.name() + " to the parameter list"
                                : "declare it with `param " + v.name() + " text = ...` or `let " + v.name()
                                        + " = ...` before this step")
                        + similar(v.name(), scope));
    }

    private void copyToStdout(SqlStatement st, Pos pos) {
        if (st.isCopyToStdout()) {
            problem(
                    pos,
                    "COPY ... TO STDOUT has nowhere to write in a runbook",
                    "to look at rows, run a SELECT (the run shows the first 20) or an `expect`; to export, COPY ... TO a server file, or psql's \\copy outside the runbook");
        }
    }

    private void transactionControl(SqlStatement st, Pos pos, boolean transactional, boolean isFile) {
        problem(
                pos,
                st.keyword() + " inside a runbook " + (isFile ? "SQL file" : "sql block")
                        + " would break the phase's transaction",
                transactional
                        ? "each phase is one transaction already: remove the statement, or split the work into phases"
                        : isFile
                                ? "a `no transaction` phase runs each statement on its own: remove the statement, or wrap the whole file in BEGIN; ... COMMIT;"
                                : "a `no transaction` phase runs each statement on its own: put statements that belong together in a transactional phase");
    }

    private void runAlone(SqlStatement st, Pos pos, boolean transactional, boolean wrapped) {
        problem(
                pos,
                firstWords(st) + " cannot run inside a transaction",
                wrapped && !transactional
                        ? "this file wraps itself in BEGIN/COMMIT: remove them so the statement runs on its own"
                        : "put it in a phase declared `phase \"...\" no transaction { ... }`");
    }

    /** Splits and checks a SQL text; returns null when it cannot be split. */
    /** A keyset batch's statement must use both ends of its range, or it would redo (or miss) rows. */
    private void keyset(Step.Batch b, SqlStatement st, Set<String> scope) {
        Step.Keyset k = b.over();
        if (k.size() != null) expr(k.size(), scope);
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

    private List<SqlStatement> statements(SqlText sql, Set<String> scope, boolean transactional, boolean isFile) {
        SplitResult split = SqlSplitter.split(sql.text());
        for (SqlProblem p : split.problems()) problem(sql.posAt(p.offset()), p.message(), p.hint());
        if (!split.problems().isEmpty()) return null;
        List<SqlStatement> all = split.statements();
        if (!isFile) inline.put(sql, List.copyOf(all));
        // Only files are unwrapped (see script()): in an inline block BEGIN/COMMIT is always refused.
        boolean wrapped = isFile && isWrapped(all);
        for (int i = 0; i < all.size(); i++) {
            SqlStatement st = all.get(i);
            for (VarRef v : st.vars()) {
                if (v.kind() != VarRef.Kind.TEST && !scope.contains(v.name()))
                    undefined(v, sql.posAt(st.start() + v.start()), scope);
            }
            copyToStdout(st, sql.posAt(st.start()));
            boolean wrapper = wrapped && (i == 0 || i == all.size() - 1);
            if (st.isTransactionControl() && !wrapper)
                transactionControl(st, sql.posAt(st.start()), transactional, isFile);
            if ((transactional || wrapped) && st.mustRunAlone())
                runAlone(st, sql.posAt(st.start()), transactional, wrapped);
        }
        return all;
    }

    /** BEGIN (or START TRANSACTION) first and COMMIT (or END) last, as hand-run scripts are written. */
    static boolean isWrapped(List<SqlStatement> statements) {
        if (statements.size() < 2) return false;
        String first =
                statements.get(0).text().toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
        String last = statements
                .get(statements.size() - 1)
                .text()
                .toUpperCase(java.util.Locale.ROOT)
                .replaceAll("\\s+", " ");
        boolean begins = first.matches("(BEGIN|START TRANSACTION)( (WORK|TRANSACTION))?( ISOLATION LEVEL [A-Z ]+)?");
        boolean commits = last.matches("(COMMIT|END)( (WORK|TRANSACTION))?");
        return begins && commits;
    }

    private static final Set<String> SQL_WORDS = Set.of(
            "CREATE",
            "DROP",
            "ALTER",
            "INDEX",
            "UNIQUE",
            "CONCURRENTLY",
            "REINDEX",
            "VACUUM",
            "FULL",
            "ANALYZE",
            "VERBOSE",
            "DATABASE",
            "TABLESPACE",
            "SYSTEM",
            "CLUSTER",
            "TABLE",
            "SCHEMA",
            "SUBSCRIPTION",
            "DISCARD",
            "ALL",
            "TYPE");

    private static String firstWords(SqlStatement st) {
        // Keywords upper-cased as SQL is usually quoted; the first name (a table) as written.
        List<String> out = new ArrayList<>();
        for (String w : st.text().trim().split("\\s+")) {
            boolean keyword = SQL_WORDS.contains(w.toUpperCase(java.util.Locale.ROOT));
            out.add(keyword ? w.toUpperCase(java.util.Locale.ROOT) : w);
            if (!keyword || out.size() == 3) break;
        }
        return String.join(" ", out);
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
            List<SqlStatement> st = statements(q.sql(), scope, true, false);
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
        Module.FunctionDef def = functions.get(c.name());
        if (def == null) {
            problem(
                    c.pos(),
                    "unknown function '" + c.name() + "'",
                    "define it with `def " + c.name()
                            + "(...) = ...`, or import the library that has it (e.g. import \"stdlib/catalog\")"
                            + similar(c.name(), functions.keySet()));
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
        problems.add(
                new Diagnostic(pos, Suggest.shortenNames(message), hint == null ? null : Suggest.shortenNames(hint)));
    }
}
