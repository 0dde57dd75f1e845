package io.runbook.ast;

import io.runbook.source.Pos;
import io.runbook.source.SourceFile;
import java.util.List;

/** One parsed file: its imports, its function definitions and, for a main file, its runbook. */
public record Module(SourceFile file, List<Import> imports, List<FunctionDef> defs, Runbook runbook) {

    public record Import(Pos pos, String path) {}

    public record FunctionDef(Pos pos, String name, List<FunctionParam> params, Expr body) {}

    public record FunctionParam(Pos pos, String name, Expr defaultValue) {}
}
