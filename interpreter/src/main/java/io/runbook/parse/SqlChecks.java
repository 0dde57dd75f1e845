package io.runbook.parse;

import io.runbook.ast.Step;
import io.runbook.source.Pos;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checker's SQL pass: splits inline SQL and streams SQL files, and finds undefined :variables, transaction
 * control inside phases, statements that cannot run in a transaction and COPY TO STDOUT. What it read is kept
 * for the Program (scripts, sources, inline statements), so nothing splits them again.
 */
final class SqlChecks {
    private final Problems problems;
    final Map<Step.FileRef, Program.SqlScript> scripts = new java.util.LinkedHashMap<>();
    final List<SourceFile> sqlSources = new ArrayList<>();
    /**
     * Inline SQL texts as split here, so nothing splits them again at run or lint time. By identity: they are
     * looked up with the AST's own SqlText (hashing a record and comparing texts cost more than the split).
     */
    final Map<SqlText, List<SqlStatement>> inline = new java.util.IdentityHashMap<>();

    SqlChecks(Problems problems) {
        this.problems = problems;
    }

    /** Checks a SQL file as a stream (it is never held whole), with the files it includes. */
    void script(Step.FileRef ref, Set<String> scope, boolean transactional, SourceFile from) {
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
                            undefined(v, st.origin().posAt(v.start()), scope, false);
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

    private void undefined(VarRef v, Pos pos, Set<String> scope, boolean inDef) {
        problem(
                pos,
                "undefined variable :" + v.name() + " in SQL",
                (inDef
                                ? "a def sees only its own parameters: add " + v.name() + " to the parameter list"
                                : "declare it with `param " + v.name() + " text = ...` or `let " + v.name()
                                        + " = ...` before this step")
                        + Suggest.hint(v.name(), scope));
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

    /** Splits and checks a SQL text; returns null when it cannot be split. inDef: the text is in a def's body. */
    List<SqlStatement> statements(
            SqlText sql, Set<String> scope, boolean transactional, boolean isFile, boolean inDef) {
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
                    undefined(v, sql.posAt(st.start() + v.start()), scope, inDef);
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

    private void problem(Pos pos, String message, String hint) {
        problems.add(pos, message, hint);
    }
}
