package io.runbook.parse;

import io.runbook.ast.Module;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.sql.SqlStatement;
import io.runbook.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A runbook with everything it refers to resolved and checked: its functions (own and imported),
 * and every SQL file it runs, already split into statements. The interpreter needs nothing else.
 */
public record Program(Runbook runbook, Module main, Map<String, Module.FunctionDef> functions,
                      Map<Step.FileRef, SqlScript> scripts, List<SourceFile> sources) {

    /**
     * A SQL file, checked as a stream: it is read again, as a stream, when it runs (io.runbook.sql.SqlStream).
     * A file wrapped in BEGIN ... COMMIT (as hand-run scripts are) has that wrapper removed: the phase's own
     * transaction takes its place. included: the files it reads with \i or \ir (their text and checksums).
     */
    public record SqlScript(SourceFile file, Path path, int statementCount, boolean unwrapped, List<SourceFile> included) {
        /** The file's own statements (not those of included files), read whole: for tools that need them all at once. */
        public List<SqlStatement> statements() {
            List<SqlStatement> all = io.runbook.sql.SqlSplitter.split(file.text()).statements();
            return unwrapped && all.size() >= 2 ? all.subList(1, all.size() - 1) : all;
        }
    }

    public SqlScript script(Step.FileRef ref) { return scripts.get(ref); }
}
