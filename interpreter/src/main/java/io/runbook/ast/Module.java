package io.runbook.ast;

import io.runbook.source.Pos;
import io.runbook.source.SourceFile;
import java.util.List;

/**
 * One parsed file: its imports, its function definitions, for a main file its runbook, and the comments that stand
 * on lines of their own (from the lexer's hidden channel: lint reads `# runbook:allow` from them).
 */
public record Module(
        SourceFile file, List<Import> imports, List<FunctionDef> defs, Runbook runbook, List<Comment> comments) {

    /** A `#` or `--` comment alone on its line; text is the whole comment, marker included. */
    public record Comment(Pos pos, String text) {}

    public record Import(Pos pos, String path) {}

    public record FunctionDef(Pos pos, String name, List<FunctionParam> params, Expr body) {}

    public record FunctionParam(Pos pos, String name, Expr defaultValue) {}
}
