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
     * A SQL file split into statements. A file wrapped in BEGIN ... COMMIT (as hand-run scripts are) has
     * that wrapper removed: the phase's own transaction takes its place.
     */
    public record SqlScript(SourceFile file, Path path, List<SqlStatement> statements, boolean unwrapped) {}

    public SqlScript script(Step.FileRef ref) { return scripts.get(ref); }
}
