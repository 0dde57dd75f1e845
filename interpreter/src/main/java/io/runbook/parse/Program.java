package io.runbook.parse;

import io.runbook.ast.Module;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.SqlStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A runbook with everything it refers to resolved and checked: its functions (own and imported),
 * every SQL file it runs, and every inline SQL text (sql, batch, scalar and count), already split into
 * statements when it was loaded. The interpreter needs nothing else.
 */
public record Program(
        Runbook runbook,
        Module main,
        Map<String, Module.FunctionDef> functions,
        Map<Step.FileRef, SqlScript> scripts,
        List<SourceFile> sources,
        Map<SqlText, List<SqlStatement>> inline) {

    public Program(
            Runbook runbook,
            Module main,
            Map<String, Module.FunctionDef> functions,
            Map<Step.FileRef, SqlScript> scripts,
            List<SourceFile> sources) {
        this(runbook, main, functions, scripts, sources, Map.of());
    }

    /**
     * A SQL file, checked as a stream: it is read again, as a stream, when it runs (io.runbook.sql.SqlStream).
     * A file wrapped in BEGIN ... COMMIT (as hand-run scripts are) has that wrapper removed: the phase's own
     * transaction takes its place. included: the files it reads with \i or \ir (their text and checksums).
     * ownStatements: how many statements the file itself holds (without a BEGIN/COMMIT wrapper).
     */
    public record SqlScript(
            SourceFile file,
            Path path,
            int statementCount,
            int ownStatements,
            boolean unwrapped,
            List<SourceFile> included) {
        /**
         * The file's own statements (not those of included files, nor COPY data): for tools that list them (plan).
         * A large file is read through the stream that runs it, never whole (its statements' offsets are their own).
         */
        public List<SqlStatement> statements() {
            if (file.hasText()) { // a small file kept its text: its statements keep their offsets in it
                List<SqlStatement> all = SqlSplitter.split(file.text()).statements();
                return unwrapped && all.size() >= 2 ? all.subList(1, all.size() - 1) : all;
            }
            List<SqlStatement> all = new ArrayList<>();
            try (SqlStream in = SqlStream.open(file, n -> "", true)) {
                for (SqlStream.Item item = in.next(); item != null; item = in.next()) {
                    if (item instanceof SqlStream.Statement st && st.origin().file() == file) all.add(st.statement());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // it was read when the runbook was checked
            }
            return unwrapped && all.size() >= 2 ? all.subList(1, all.size() - 1) : all;
        }
    }

    public SqlScript script(Step.FileRef ref) {
        return scripts.get(ref);
    }

    /** The statements of an inline SQL text, as split at load time (split now only for a text the loader did not see). */
    public List<SqlStatement> statements(SqlText sql) {
        List<SqlStatement> s = inline.get(sql);
        return s != null ? s : SqlSplitter.split(sql.text()).statements();
    }
}
