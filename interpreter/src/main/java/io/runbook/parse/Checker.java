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
    /** Inline SQL texts as split here, so nothing splits them again at run or lint time. */
    private final Map<io.runbook.source.SqlText, List<SqlStatement>> inline = new java.util.HashMap<>();
    private final Map<Path, SourceFile> fileCache = new LinkedHashMap<>();

    private Checker(Loader loader) { this.loader = loader; }

    /** Loads, resolves and checks; throws RunbookException (INVALID) listing every problem found. */
    public static Program load(Path runbookFile) {
        Loader loader = new Loader();
        Module main = loader.loadMain(runbookFile);
        Checker checker = new Checker(loader);
        Program program = checker.check(main);
        if (!checker.problems.isEmpty()) throw new RunbookException(ExitCode.INVALID, checker.problems);
        return program;
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
            if (!seen.add(p.name())) problem(p.pos(), "param '" + p.name() + "' is declared twice", "rename one of them");
            if (p.defaultValue() != null) expr(p.defaultValue(), scope);
            scope.add(p.name());
        }
        for (Runbook.Setting s : rb.settings()) expr(s.value(), scope);
        Set<String> params = Set.copyOf(scope);
        if (rb.fixture() != null && !java.nio.file.Files.isRegularFile(Loader.resolve(main.file(), rb.fixture().path()))) {
            problem(rb.fixture().pos(), "fixture file not found: " + rb.fixture().path(), "the path is relative to the runbook");
        }
        steps(rb.preflight(), scope, null, main.file());
        Set<String> phaseNames = new HashSet<>();
        for (Phase phase : rb.phases()) {
            if (!phaseNames.add(phase.name())) problem(phase.pos(), "phase \"" + phase.name() + "\" is declared twice", "phase names identify progress: make them unique");
            // In a `no transaction` phase the policy applies to each statement; in a transactional one, to the phase.
            if (phase.retry() != null) retry(phase.retry(), scope);
            steps(phase.steps(), scope, phase, main.file());
            steps(phase.verify(), scope, phase, main.file());
            // A rollback may run in a later invocation, where this run's lets do not exist.
            steps(phase.rollback(), new HashSet<>(params), phase, main.file());
        }
        return new Program(rb, main, Map.copyOf(functions), Map.copyOf(scripts), loader.sources(), Map.copyOf(inline));
    }

    private void defineAll(Module m) {
        for (Module.FunctionDef def : m.defs()) {
            Module.FunctionDef old = functions.get(def.name());
            if (old != null && old != def) {
                problem(def.pos(), "function '" + def.name() + "' is already defined at " + old.pos(), "rename one of them");
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

    private void retry(io.runbook.ast.Retry r, Set<String> scope) {
        for (Expr e : r.options().values()) expr(e, scope);
    }

    /** Defs have no conditional, so a def that reaches itself would recurse forever: refuse it. */
    private void checkRecursion() {
        for (Module.FunctionDef def : functions.values()) {
            java.util.Deque<String> path = new java.util.ArrayDeque<>();
            if (reaches(def.body(), def.name(), path, new HashSet<>())) {
                problem(def.pos(), "function '" + def.name() + "' calls itself" + (path.isEmpty() ? "" : " through " + String.join(" -> ", path)),
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
                    problem(s.retry().pos(), "retry on a step works only in a `no transaction` phase",
                            "a transactional phase is retried as a whole: write retry(...) or no retry after the phase name");
                }
            }
        } else if (step instanceof Step.Batch b) {
            if (phase == null || phase.transactional()) {
                problem(b.pos(), "batch runs each batch in a transaction of its own: it needs a `no transaction` phase",
                        "put it in `phase \"...\" no transaction { ... }`");
            }
            List<SqlStatement> st = statements(b.sql(), scope, false, false);
            if (st != null && st.size() != 1) problem(b.pos(), "batch takes exactly one statement, found " + st.size(), "write one UPDATE or DELETE ... LIMIT");
            Set<String> guardScope = new HashSet<>(scope);
            guardScope.add(Step.AFFECTED);
            expr(b.until(), guardScope);
            if (b.pause() != null) expr(b.pause(), scope);
            if (b.maxBatches() != null) expr(b.maxBatches(), scope);
        } else if (step instanceof Step.Monitor m) {
            if (phase == null || phase.transactional()) {
                problem(m.pos(), "monitor would hold a transaction open for its whole window: it needs a `no transaction` phase",
                        "put it in `phase \"...\" no transaction { ... }`");
            }
            expr(m.label(), scope);
            expr(m.every(), scope);
            expr(m.duration(), scope);
            if (m.tolerate() != null) expr(m.tolerate(), scope);
            for (Step inner : m.steps()) {
                if (inner instanceof Step.Expect || inner instanceof Step.Check || inner instanceof Step.Let || inner instanceof Step.Echo) {
                    step(inner, scope, phase, file);
                } else {
                    problem(inner.pos(), "a monitor holds checks only (expect, check, let, echo)", "run changes in a phase before the monitor");
                }
            }
        } else if (step instanceof Step.Snapshot s) {
            if (!snapshots.add(s.name())) problem(s.pos(), "snapshot \"" + s.name() + "\" is taken twice", "give each snapshot its own name");
        } else if (step instanceof Step.ExpectSchema e) {
            if (!snapshots.contains(e.name())) {
                problem(e.pos(), "no snapshot \"" + e.name() + "\" is taken before this line", "take it first: snapshot \"" + e.name() + "\"" + similar(e.name(), snapshots));
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
            if (c.typing() != null && c.typing().isBlank()) problem(c.pos(), "typing \"\" asks for an empty word", "give the word the operator must type, e.g. the database name");
        } else if (step instanceof Step.Echo e) {
            expr(e.message(), scope);
        }
    }

    private void script(Step.FileRef ref, Set<String> scope, boolean transactional, SourceFile from) {
        Path path = Loader.resolve(from, ref.path());
        SourceFile file = fileCache.get(path);
        if (file == null) {
            try {
                file = loader.readRelative(from, ref.path(), ref.pos());
            } catch (RunbookException e) {
                problems.addAll(e.diagnostics());
                return;
            }
            fileCache.put(path, file);
        }
        List<SqlStatement> statements = statements(new SqlText(file.text(), file, 0), scope, transactional, true);
        if (statements == null) return;
        boolean unwrapped = isWrapped(statements);
        if (unwrapped) statements = statements.subList(1, statements.size() - 1);
        scripts.put(ref, new Program.SqlScript(file, path, List.copyOf(statements), unwrapped));
    }

    /** Splits and checks a SQL text; returns null when it cannot be split. */
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
                if (!scope.contains(v.name())) {
                    problem(sql.posAt(st.start() + v.start()), "undefined variable :" + v.name() + " in SQL",
                            (inDef ? "a def sees only its own parameters: add " + v.name() + " to the parameter list"
                                    : "declare it with `param " + v.name() + " text = ...` or `let " + v.name() + " = ...` before this step") + similar(v.name(), scope));
                }
            }
            boolean wrapper = wrapped && (i == 0 || i == all.size() - 1);
            if (st.isTransactionControl() && !wrapper) {
                problem(sql.posAt(st.start()), st.keyword() + " inside a runbook " + (isFile ? "SQL file" : "sql block") + " would break the phase's transaction",
                        transactional
                                ? "each phase is one transaction already: remove the statement, or split the work into phases"
                                : isFile ? "a `no transaction` phase runs each statement on its own: remove the statement, or wrap the whole file in BEGIN; ... COMMIT;"
                                         : "a `no transaction` phase runs each statement on its own: put statements that belong together in a transactional phase");
            }
            if ((transactional || wrapped) && st.mustRunAlone()) {
                problem(sql.posAt(st.start()), firstWords(st) + " cannot run inside a transaction",
                        wrapped && !transactional ? "this file wraps itself in BEGIN/COMMIT: remove them so the statement runs on its own"
                                : "put it in a phase declared `phase \"...\" no transaction { ... }`");
            }
        }
        return all;
    }

    /** BEGIN (or START TRANSACTION) first and COMMIT (or END) last, as hand-run scripts are written. */
    static boolean isWrapped(List<SqlStatement> statements) {
        if (statements.size() < 2) return false;
        String first = statements.get(0).text().toUpperCase().replaceAll("\\s+", " ");
        String last = statements.get(statements.size() - 1).text().toUpperCase().replaceAll("\\s+", " ");
        boolean begins = first.matches("(BEGIN|START TRANSACTION)( (WORK|TRANSACTION))?( ISOLATION LEVEL [A-Z ]+)?");
        boolean commits = last.matches("(COMMIT|END)( (WORK|TRANSACTION))?");
        return begins && commits;
    }

    private static final Set<String> SQL_WORDS = Set.of("CREATE", "DROP", "ALTER", "INDEX", "UNIQUE", "CONCURRENTLY", "REINDEX",
            "VACUUM", "FULL", "ANALYZE", "VERBOSE", "DATABASE", "TABLESPACE", "SYSTEM", "CLUSTER", "TABLE", "SCHEMA",
            "SUBSCRIPTION", "DISCARD", "ALL", "TYPE");

    private static String firstWords(SqlStatement st) {
        // Keywords upper-cased as SQL is usually quoted; the first name (a table) as written.
        List<String> out = new ArrayList<>();
        for (String w : st.text().trim().split("\\s+")) {
            boolean keyword = SQL_WORDS.contains(w.toUpperCase());
            out.add(keyword ? w.toUpperCase() : w);
            if (!keyword || out.size() == 3) break;
        }
        return String.join(" ", out);
    }

    // ------------------------------------------------------------------ expressions

    private void expr(Expr e, Set<String> scope) {
        if (e instanceof Expr.Variable v) {
            if (!scope.contains(v.name())) {
                problem(v.pos(), "unknown name '" + v.name() + "'", (inDef ? "a def sees only its own parameters: add it to the parameter list"
                        : "declare it with `param` or `let` before this line") + similar(v.name(), scope));
            }
        } else if (e instanceof Expr.Call c) {
            call(c, scope);
            return;
        } else if (e instanceof Expr.Query q) {
            List<SqlStatement> st = statements(q.sql(), scope, true, false);
            if (st != null && st.size() != 1) {
                problem(q.pos(), (q.kind() == Expr.QueryKind.SCALAR ? "scalar" : "count") + " takes exactly one query, found " + st.size() + " statements",
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
            problem(c.pos(), "unknown function '" + c.name() + "'",
                    "define it with `def " + c.name() + "(...) = ...`, or import the library that has it (e.g. import \"stdlib/catalog\")"
                            + similar(c.name(), functions.keySet()));
            return;
        }
        long required = def.params().stream().filter(p -> p.defaultValue() == null).count();
        if (c.args().size() < required || c.args().size() > def.params().size()) {
            problem(c.pos(), c.name() + "() takes " + (required == def.params().size() ? "" + required : required + " to " + def.params().size())
                    + " argument(s), got " + c.args().size(), "its definition is at " + def.pos());
        }
    }

    private static String similar(String name, Set<String> known) {
        String best = null;
        int bestDist = 3;
        for (String k : known) {
            int d = distance(name, k);
            if (d < bestDist) { bestDist = d; best = k; }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    private void problem(Pos pos, String message, String hint) { problems.add(new Diagnostic(pos, message, hint)); }
}
