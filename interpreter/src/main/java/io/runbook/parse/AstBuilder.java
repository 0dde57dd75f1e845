package io.runbook.parse;

import io.runbook.ast.Durations;
import io.runbook.ast.Expr;
import io.runbook.ast.Expr.BinaryOp;
import io.runbook.ast.Module;
import io.runbook.ast.Phase;
import io.runbook.ast.Retry;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.grammar.RunbookLexer;
import io.runbook.grammar.RunbookParser.*;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parses a source file and turns the ANTLR parse tree into the immutable AST. The parse tree never
 * leaves this class.
 */
public final class AstBuilder {
    /**
     * Maps lexer line/column (of the whole file, or of a `${...}` fragment inside a string) to file positions;
     * depth is how deeply nested the text starts (0 for a file), so nesting limits hold across fragments.
     */
    record Positions(SourceFile file, int baseLine, int baseCol, int depth) {
        boolean fragment() {
            return depth > 0;
        }

        Pos at(int line, int charPositionInLine) {
            if (fragment() && line == 1) return new Pos(file, baseLine, baseCol + charPositionInLine);
            // ANTLR counts columns in code points, the file in chars: they differ after an emoji.
            int fileLine = baseLine + line - 1;
            return new Pos(file, fileLine, file.charColumn(fileLine, charPositionInLine) + 1);
        }
    }

    /** Operators in one expression, one inside the other: `1 + 1 + ...` nests to the left (docs/reference.md). */
    static final int MAX_EXPRESSION_DEPTH = 256;

    private final Positions positions;
    private List<Diagnostic> problems;
    /** The parse this builder builds from: its lexer knows where each string's `${...}` are. */
    private Parsing.Result<?> parsed;
    /** Phases built while the file was parsed, with the problems found in each (reported in the file's order). */
    private final Map<PhaseContext, Built> built = new java.util.IdentityHashMap<>();

    private record Built(Phase phase, List<Diagnostic> problems) {}

    private AstBuilder(Positions positions, List<Diagnostic> problems) {
        this.positions = positions;
        this.problems = problems;
    }

    /** Parses a whole file; throws a RunbookException (exit code INVALID) listing every syntax error. */
    public static Module parse(SourceFile file) {
        AstBuilder builder = new AstBuilder(new Positions(file, 1, 1, 0), new ArrayList<>());
        Parsing.Result<FileContext> parsed = Parsing.file(file.text(), builder.positions, builder.new Early());
        if (!parsed.errors().isEmpty()) throw new RunbookException(ExitCode.INVALID, parsed.errors());
        builder.parsed = parsed;
        Module module = builder.module(parsed.tree());
        if (!builder.problems.isEmpty()) throw new RunbookException(ExitCode.INVALID, builder.problems);
        return module;
    }

    private void problem(Pos pos, String message, String hint) {
        problems.add(new Diagnostic(pos, message, hint));
    }

    private Pos pos(Token t) {
        return positions.at(t.getLine(), t.getCharPositionInLine());
    }

    private Pos pos(ParserRuleContext ctx) {
        return pos(ctx.getStart());
    }

    // ------------------------------------------------------------------ declarations

    private Module module(FileContext ctx) {
        List<Module.Import> imports = new ArrayList<>();
        List<Module.FunctionDef> defs = new ArrayList<>();
        for (TopItemContext item : ctx.topItem()) {
            if (item.importDecl() != null) imports.add(importDecl(item.importDecl()));
            else defs.add(defDecl(item.defDecl()));
        }
        Runbook runbook = ctx.runbook() == null ? null : runbook(ctx.runbook(), imports, defs);
        return new Module(positions.file(), List.copyOf(imports), List.copyOf(defs), runbook, comments());
    }

    /** The comments alone on their line: nothing before them on it but white space (which the lexer skips). */
    private List<Module.Comment> comments() {
        List<Module.Comment> out = new ArrayList<>();
        for (Token t : parsed.lineComments()) out.add(new Module.Comment(pos(t), t.getText()));
        return List.copyOf(out);
    }

    private Module.Import importDecl(ImportDeclContext ctx) {
        return new Module.Import(pos(ctx), path(ctx.STRING()));
    }

    private Module.FunctionDef defDecl(DefDeclContext ctx) {
        List<Module.FunctionParam> params = new ArrayList<>();
        for (DefParamContext p : ctx.defParam()) {
            params.add(new Module.FunctionParam(pos(p), p.name().getText(), p.expr() == null ? null : expr(p.expr())));
        }
        return new Module.FunctionDef(pos(ctx), ctx.name().getText(), List.copyOf(params), expr(ctx.expr()));
    }

    private Runbook runbook(RunbookContext ctx, List<Module.Import> imports, List<Module.FunctionDef> defs) {
        String description = null;
        List<Runbook.Param> params = new ArrayList<>();
        List<Runbook.Setting> settings = new ArrayList<>();
        List<Step> preflight = new ArrayList<>();
        List<Phase> phases = new ArrayList<>();
        Runbook.Fixture fixture = null;
        for (RunbookItemContext item : ctx.runbookItem()) {
            if (item instanceof DescriptionContext d) {
                description = d.STRING() != null
                        ? plainString(d.STRING())
                        : tripleString(d.TRIPLE_STRING()).strip();
            } else if (item instanceof ParamContext p) {
                params.add(param(p));
            } else if (item instanceof SettingContext s) {
                settings.add(new Runbook.Setting(pos(s), s.name().getText(), expr(s.expr())));
            } else if (item instanceof NestedImportContext i) {
                imports.add(importDecl(i.importDecl()));
            } else if (item instanceof NestedDefContext d) {
                defs.add(defDecl(d.defDecl()));
            } else if (item instanceof PreflightContext p) {
                preflight.addAll(steps(p.block().step()));
            } else if (item instanceof PhaseContext p) {
                Built b = built.remove(p);
                if (b != null) problems.addAll(b.problems());
                phases.add(b != null ? b.phase() : phase(p));
            } else if (item instanceof FixtureContext f) {
                fixture = new Runbook.Fixture(pos(f.STRING().getSymbol()), path(f.STRING()));
            } else {
                throw unbuilt(item);
            }
        }
        return new Runbook(
                pos(ctx),
                plainString(ctx.STRING()),
                description,
                List.copyOf(params),
                List.copyOf(settings),
                List.copyOf(preflight),
                List.copyOf(phases),
                fixture);
    }

    private Runbook.Param param(ParamContext p) {
        String typeName = p.typeName().getText();
        Runbook.Type type = Runbook.Type.of(typeName);
        if (type == null) {
            problem(
                    pos(p.typeName()),
                    "unknown param type '" + typeName + "'",
                    "param types are int, text, bool and duration"
                            + Suggest.hint(typeName, List.of("int", "text", "bool", "duration")));
            type = Runbook.Type.TEXT;
        }
        return new Runbook.Param(
                pos(p), p.name().getText(), type, p.SECRET() != null, p.expr() == null ? null : expr(p.expr()));
    }

    /** Builds each phase as soon as it is parsed and lets its subtree go. */
    private final class Early implements Parsing.PhaseListener {
        private boolean off;

        @Override
        public void lexed(Parsing.Result<?> lexed) {
            parsed = lexed;
        }

        @Override
        public void parsed(PhaseContext p) {
            if (off) return;
            List<Diagnostic> outer = problems;
            problems = new ArrayList<>();
            try {
                built.put(p, new Built(phase(p), problems));
                p.children = null; // the Phase has all of it (the tokens stay in the token stream)
            } catch (RuntimeException e) {
                off = true; // built again from the whole tree, where it fails as it always did
            } finally {
                problems = outer;
            }
        }

        @Override
        public void retry() {
            built.clear();
            off = true;
        }
    }

    private Phase phase(PhaseContext ctx) {
        List<Step> steps = new ArrayList<>();
        List<Step> verify = new ArrayList<>();
        List<Step> rollback = new ArrayList<>();
        for (PhaseItemContext item : ctx.phaseItem()) {
            if (item.step() != null) steps.add(step(item.step()));
            else if (item.VERIFY() != null) verify.addAll(steps(item.block().step()));
            else rollback.addAll(steps(item.block().step()));
        }
        String source = ctx.getStart()
                .getInputStream()
                .getText(org.antlr.v4.runtime.misc.Interval.of(
                        ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex()));
        return new Phase(
                pos(ctx),
                plainString(ctx.STRING()),
                ctx.NO() == null,
                List.copyOf(steps),
                List.copyOf(verify),
                List.copyOf(rollback),
                source,
                retry(ctx.retryClause()));
    }

    // ------------------------------------------------------------------ steps

    private List<Step> steps(List<StepContext> ctxs) {
        List<Step> out = new ArrayList<>(ctxs.size());
        for (StepContext c : ctxs) out.add(step(c));
        return List.copyOf(out);
    }

    /** `batch over T by K [size N] [parallel N] $$...$$ [pause D]`: over, by, size and parallel are plain words, checked here. */
    private Step keysetBatch(KeysetBatchStepContext k, Pos pos) {
        word(k.over, "over", "batch over accounts by id size 10000 $$ ... $$");
        word(k.by, "by", "batch over " + k.table.getText() + " by id size 10000 $$ ... $$");
        Expr size = null;
        Expr parallel = null;
        for (KeysetOptionContext o : k.keysetOption()) {
            String name = o.option.getText();
            boolean again = name.equals("size") ? size != null : name.equals("parallel") && parallel != null;
            if (again) problem(pos(o), "`" + name + "` is given twice", "give it once");
            else if (name.equals("size")) size = additive(o.additive());
            else if (name.equals("parallel")) parallel = additive(o.additive());
            else
                problem(
                        pos(o.option),
                        "unknown keyset batch option '" + name + "'",
                        "a keyset batch reads: batch over " + k.table.getText() + " by " + k.key.getText()
                                + " size 10000 parallel 2 $$ ... $$"
                                + Suggest.hint(name, List.of("size", "parallel")));
        }
        Expr pause = null;
        for (BatchOptionContext o : k.batchOption()) {
            String name = o.option.getText();
            if (name.equals("pause") && o.unit == null) pause = additive(o.additive());
            else
                problem(
                        pos(o),
                        name.equals("max") || name.equals("until")
                                ? "a keyset batch ends when it has walked the key range: it takes no `" + name + "`"
                                : name.equals("size") || name.equals("parallel")
                                        ? "`" + name + "` goes before the $$, with `over` and `by`"
                                        : "unknown batch option '" + name + "'",
                        name.equals("size") || name.equals("parallel")
                                ? "write: batch over " + k.table.getText() + " by " + k.key.getText() + " " + name + " "
                                        + o.additive().getText() + " $$ ... $$"
                                : "a keyset batch takes `pause 50ms`" + Suggest.hint(name, List.of("pause")));
        }
        List<NameContext> parts = k.table.name();
        String schema = parts.size() == 2 ? parts.get(0).getText() : null;
        String table = parts.get(parts.size() - 1).getText();
        Step.Keyset over = new Step.Keyset(pos(k.table), schema, table, k.key.getText(), size, parallel);
        return new Step.Batch(pos, sqlText(k.DOLLAR_STRING().getSymbol()), null, pause, null, over);
    }

    private void word(Token t, String expected, String example) {
        if (!t.getText().equals(expected))
            problem(
                    pos(t),
                    "expected `" + expected + "`, found '" + t.getText() + "'",
                    "a keyset batch reads: " + example);
    }

    private Step step(StepContext ctx) {
        Pos pos = pos(ctx);
        if (ctx instanceof SqlStepContext s) {
            List<Expr> guards = new ArrayList<>();
            for (SqlGuardContext g : s.sqlGuard()) {
                String metric = g.metric.getType() == RunbookLexer.AFFECTED ? Step.AFFECTED : Step.DURATION;
                guards.add(comparison(new Expr.Variable(pos(g.metric), metric), g.comparisonTail()));
            }
            SqlSourceContext src = s.sqlSource();
            Step.SqlSource source = src.FILE() != null
                    ? new Step.FileRef(pos(src.STRING().getSymbol()), path(src.STRING()))
                    : new Step.Inline(pos(src), sqlText(src.DOLLAR_STRING().getSymbol()));
            return new Step.Sql(pos, source, List.copyOf(guards), retry(s.retryClause()));
        }
        if (ctx instanceof BatchStepContext b) {
            Expr until =
                    comparison(new Expr.Variable(pos(b.AFFECTED().getSymbol()), Step.AFFECTED), b.comparisonTail());
            Expr pause = null;
            Expr max = null;
            for (BatchOptionContext o : b.batchOption()) {
                String name = o.option.getText();
                if (name.equals("pause") && o.unit == null) pause = additive(o.additive());
                else if (name.equals("max")
                        && o.unit != null
                        && o.unit.getText().equals("batches")) max = additive(o.additive());
                else
                    problem(
                            pos(o),
                            "unknown batch option '" + name + "'",
                            "a batch takes `pause 50ms` and `max 10000 batches`"
                                    + Suggest.hint(name, List.of("pause", "max")));
            }
            return new Step.Batch(pos, sqlText(b.DOLLAR_STRING().getSymbol()), until, pause, max);
        }
        if (ctx instanceof KeysetBatchStepContext k) return keysetBatch(k, pos);
        if (ctx instanceof MonitorStepContext m) {
            return new Step.Monitor(
                    pos,
                    interpolated(m.STRING().getSymbol(), 1),
                    additive(m.additive(0)),
                    additive(m.additive(1)),
                    m.TOLERATE() == null ? null : additive(m.additive(2)),
                    steps(m.block().step()));
        }
        if (ctx instanceof SnapshotStepContext s) return new Step.Snapshot(pos, plainString(s.STRING()));
        if (ctx instanceof ExpectSchemaStepContext e) {
            if (!e.what.getText().equals("schema")) {
                problem(
                        pos(e.what),
                        "only the schema compares with a snapshot",
                        "write `expect schema == snapshot \"" + plainString(e.STRING()) + "\"`");
            }
            return new Step.ExpectSchema(pos, plainString(e.STRING()));
        }
        if (ctx instanceof ShStepContext sh) {
            Expr exit = null;
            Expr timeout = null;
            for (ShOptionContext o : sh.shOption()) {
                if (o instanceof ShExpectContext e) {
                    Expr.Variable v = new Expr.Variable(pos(e.EXIT().getSymbol()), Step.EXIT);
                    exit = e.comparisonTail() != null
                            ? comparison(v, e.comparisonTail())
                            : new Expr.Binary(v.pos(), BinaryOp.EQ, v, additive(e.additive()));
                } else if (o instanceof ShTimeoutContext t) {
                    if (!t.option.getText().equals("timeout")) {
                        problem(
                                pos(t),
                                "unknown sh option '" + t.option.getText() + "'",
                                "an sh step takes `expect exit 0` and `timeout 10m`"
                                        + Suggest.hint(t.option.getText(), List.of("timeout")));
                    } else {
                        timeout = additive(t.additive());
                    }
                } else {
                    throw unbuilt(o);
                }
            }
            return new Step.Shell(pos, sqlText(sh.DOLLAR_STRING().getSymbol()), exit, timeout);
        }
        if (ctx instanceof CheckStepContext c)
            return new Step.Check(
                    pos,
                    interpolated(c.STRING().getSymbol(), 1),
                    steps(c.block().step()));
        if (ctx instanceof ExpectStepContext e) return new Step.Expect(pos, expr(e.expr()));
        if (ctx instanceof LetStepContext l) return new Step.Let(pos, l.name().getText(), expr(l.expr()));
        if (ctx instanceof ConfirmStepContext c) {
            return new Step.Confirm(pos, expr(c.expr()), c.STRING() == null ? null : plainString(c.STRING()));
        }
        if (ctx instanceof EchoStepContext e) return new Step.Echo(pos, expr(e.expr()));
        throw unbuilt(ctx);
    }

    private Retry retry(RetryClauseContext ctx) {
        if (ctx == null) return null;
        if (ctx.NO() != null) return new Retry(pos(ctx), false, Map.of());
        Map<String, Expr> options = new LinkedHashMap<>();
        for (RetryOptionContext o : ctx.retryOption()) {
            String name = o.name().getText();
            if (!Retry.OPTIONS.contains(name)) {
                problem(
                        pos(o),
                        "unknown retry option '" + name + "'",
                        "retry takes " + String.join(", ", Retry.OPTIONS) + Suggest.hint(name, Retry.OPTIONS));
                continue;
            }
            options.put(name, additive(o.additive()));
        }
        return new Retry(pos(ctx), true, java.util.Collections.unmodifiableMap(options));
    }

    /** The body of a dollar-quoted block, located in the file so SQL errors point into it. */
    private SqlText sqlText(Token token) {
        String text = token.getText();
        int tagLength = text.indexOf('$', 1) + 1;
        Pos start = pos(token);
        int offset = positions.file().offsetOf(start.line(), start.col()) + tagLength;
        return new SqlText(text.substring(tagLength, text.length() - tagLength), positions.file(), offset);
    }

    // ------------------------------------------------------------------ expressions

    private Expr expr(ExprContext ctx) {
        Expr e = or(ctx.orExpr());
        if (depth(e) > MAX_EXPRESSION_DEPTH) {
            problem(
                    e.pos(),
                    "expression nested more than " + MAX_EXPRESSION_DEPTH + " operators deep",
                    "split it: name parts with `let` (or `def`) and combine the names");
            return new Expr.Literal(e.pos(), Value.Null.NULL);
        }
        return e;
    }

    /** How deep operators nest in an expression, counted without recursion (the point is not to overflow). */
    private static int depth(Expr root) {
        if (leaf(root)) return 1; // most expressions are a leaf or one comparison of two: no stacks for them
        if (root instanceof Expr.Binary b && leaf(b.left()) && leaf(b.right())) return 2;
        int max = 0;
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        todo.push(root);
        depths.push(1);
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            int d = depths.pop();
            if (d > MAX_EXPRESSION_DEPTH) return d;
            max = Math.max(max, d);
            for (Expr child : children(e)) {
                todo.push(child);
                depths.push(d + 1);
            }
        }
        return max;
    }

    private static boolean leaf(Expr e) {
        return e instanceof Expr.Literal || e instanceof Expr.Variable;
    }

    private static List<Expr> children(Expr e) {
        if (e instanceof Expr.Negate n) return List.of(n.operand());
        if (e instanceof Expr.Not n) return List.of(n.operand());
        if (e instanceof Expr.Binary b) return List.of(b.left(), b.right());
        if (e instanceof Expr.Between b) return List.of(b.value(), b.low(), b.high());
        if (e instanceof Expr.Call c) return c.args();
        if (e instanceof Expr.Interpolated i) return i.parts();
        return List.of();
    }

    private Expr or(OrExprContext ctx) {
        // Each list is fetched once: ANTLR builds it anew on every call, which made long chains quadratic.
        List<AndExprContext> operands = ctx.andExpr();
        Expr e = and(operands.get(0));
        for (int i = 1; i < operands.size(); i++) e = new Expr.Binary(e.pos(), BinaryOp.OR, e, and(operands.get(i)));
        return e;
    }

    private Expr and(AndExprContext ctx) {
        List<NotExprContext> operands = ctx.notExpr();
        Expr e = not(operands.get(0));
        for (int i = 1; i < operands.size(); i++) e = new Expr.Binary(e.pos(), BinaryOp.AND, e, not(operands.get(i)));
        return e;
    }

    private Expr not(NotExprContext ctx) {
        if (ctx.NOT() != null) return new Expr.Not(pos(ctx), not(ctx.notExpr()));
        ComparisonContext c = ctx.comparison();
        Expr left = additive(c.additive());
        return c.comparisonTail() == null ? left : comparison(left, c.comparisonTail());
    }

    private Expr comparison(Expr left, ComparisonTailContext tail) {
        if (tail.BETWEEN() != null)
            return new Expr.Between(left.pos(), left, additive(tail.additive(0)), additive(tail.additive(1)));
        BinaryOp op = switch (tail.compOp().getStart().getType()) {
            case RunbookLexer.EQ -> BinaryOp.EQ;
            case RunbookLexer.NE -> BinaryOp.NE;
            case RunbookLexer.LT -> BinaryOp.LT;
            case RunbookLexer.LE -> BinaryOp.LE;
            case RunbookLexer.GT -> BinaryOp.GT;
            default -> BinaryOp.GE;
        };
        return new Expr.Binary(left.pos(), op, left, additive(tail.additive(0)));
    }

    private Expr additive(AdditiveContext ctx) {
        List<MultiplicativeContext> operands = ctx.multiplicative();
        Expr e = multiplicative(operands.get(0));
        for (int i = 1; i < operands.size(); i++) {
            Token op = ((TerminalNode) ctx.getChild(2 * i - 1)).getSymbol();
            e = new Expr.Binary(
                    e.pos(),
                    op.getType() == RunbookLexer.PLUS ? BinaryOp.ADD : BinaryOp.SUB,
                    e,
                    multiplicative(operands.get(i)));
        }
        return e;
    }

    private Expr multiplicative(MultiplicativeContext ctx) {
        List<UnaryContext> operands = ctx.unary();
        Expr e = unary(operands.get(0));
        for (int i = 1; i < operands.size(); i++) {
            Token op = ((TerminalNode) ctx.getChild(2 * i - 1)).getSymbol();
            e = new Expr.Binary(
                    e.pos(),
                    op.getType() == RunbookLexer.STAR ? BinaryOp.MUL : BinaryOp.DIV,
                    e,
                    unary(operands.get(i)));
        }
        return e;
    }

    private Expr unary(UnaryContext ctx) {
        if (ctx.MINUS() != null) return new Expr.Negate(pos(ctx), unary(ctx.unary()));
        return primary(ctx.primary());
    }

    private Expr primary(PrimaryContext ctx) {
        Pos pos = pos(ctx);
        if (ctx instanceof IntLitContext i) return number(pos, i.INT().getText());
        if (ctx instanceof DecimalLitContext d) return number(pos, d.DECIMAL().getText());
        if (ctx instanceof DurationLitContext d) {
            var value = Durations.parse(d.DURATION_LIT().getText());
            if (value == null) {
                problem(
                        pos,
                        "duration " + shorten(d.DURATION_LIT().getText()) + " is out of range",
                        "durations go up to 1000 years; write a smaller number");
                return new Expr.Literal(pos, Value.Null.NULL);
            }
            return new Expr.Literal(pos, new Value.Dur(value));
        }
        if (ctx instanceof StringLitContext s) return interpolated(s.STRING().getSymbol(), 1);
        if (ctx instanceof TripleStringLitContext s)
            return interpolated(s.TRIPLE_STRING().getSymbol(), 3);
        if (ctx instanceof BoolLitContext b) return new Expr.Literal(pos, Value.Bool.of(b.TRUE() != null));
        if (ctx instanceof NullLitContext) return new Expr.Literal(pos, Value.Null.NULL);
        if (ctx instanceof CallContext c) {
            List<Expr> args = new ArrayList<>();
            for (ExprContext a : c.expr()) args.add(expr(a));
            return new Expr.Call(pos, c.name().getText(), List.copyOf(args));
        }
        if (ctx instanceof VariableContext v)
            return new Expr.Variable(pos, v.name().getText());
        if (ctx instanceof QueryContext q) {
            Expr.QueryKind kind =
                    q.kind.getType() == RunbookLexer.SCALAR ? Expr.QueryKind.SCALAR : Expr.QueryKind.COUNT;
            return new Expr.Query(pos, kind, sqlText(q.DOLLAR_STRING().getSymbol()));
        }
        if (ctx instanceof ParensContext p) return expr(p.expr());
        throw unbuilt(ctx);
    }

    // ------------------------------------------------------------------ strings

    /** A string without interpolation (names, paths, labels): `${` is an error there. */
    private String plainString(TerminalNode node) {
        Expr e = interpolated(node.getSymbol(), 1);
        if (e instanceof Expr.Literal l) return l.value().display();
        problem(
                e.pos(),
                "${...} is not allowed here: names, labels and paths are fixed text",
                "write the text out, or escape the dollar as \\$");
        return node.getText();
    }

    /** A file path: fixed text, without the control characters (NUL) no file system accepts. */
    private String path(TerminalNode node) {
        String path = plainString(node);
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                problem(
                        pos(node.getSymbol()),
                        "a path cannot contain control characters: \"" + SyntaxErrors.printable(path) + "\"",
                        "write the file's path as plain text");
                return "invalid-path";
            }
        }
        if (path.isEmpty())
            problem(pos(node.getSymbol()), "empty path", "write the file's path, relative to this file");
        return path;
    }

    private String tripleString(TerminalNode node) {
        String t = node.getText();
        return t.substring(3, t.length() - 3);
    }

    /**
     * Splits "text ${expr} text" into literal pieces and parsed expressions; handles \" \\ \n \t \$ escapes. The
     * lexer has found where each `${...}` ends (braces balanced, strings inside skipped); each is parsed in place.
     */
    private Expr interpolated(Token token, int quoteLength) {
        String raw = token.getText();
        List<int[]> spans = parsed.lexer().interpolations(token);
        Pos start = pos(token);
        List<Expr> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        boolean escapes = quoteLength == 1;
        int line = start.line();
        int col = start.col() + quoteLength;
        int next = 0;
        int nextStart = spans.isEmpty() ? -1 : raw.offsetByCodePoints(0, spans.get(0)[0]);
        for (int i = quoteLength; i < raw.length() - quoteLength; i++) {
            char c = raw.charAt(i);
            if (escapes && c == '\\' && i + 1 < raw.length() - quoteLength) {
                char n = raw.charAt(++i);
                lit.append(
                        switch (n) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> n;
                        });
                col += 2;
                continue;
            }
            if (i + 2 == nextStart) {
                int end = raw.offsetByCodePoints(nextStart, spans.get(next)[1] - spans.get(next)[0]);
                if (lit.length() > 0) {
                    parts.add(new Expr.Literal(start, new Value.Text(lit.toString())));
                    lit.setLength(0);
                }
                parts.add(fragment(raw.substring(nextStart, end), new Pos(start.file(), line, col + 2), token));
                for (; i <= end; i++) {
                    if (raw.charAt(i) == '\n') {
                        line++;
                        col = 1;
                    } else col++;
                }
                i = end;
                next++;
                nextStart = next < spans.size() ? raw.offsetByCodePoints(0, spans.get(next)[0]) : -1;
                continue;
            }
            lit.append(c);
            if (c == '\n') {
                line++;
                col = 1;
            } else col++;
        }
        if (parts.isEmpty()) return new Expr.Literal(start, new Value.Text(lit.toString()));
        if (lit.length() > 0) parts.add(new Expr.Literal(start, new Value.Text(lit.toString())));
        return new Expr.Interpolated(start, List.copyOf(parts));
    }

    /** The expression of one `${...}`, at its place in the file and one level deeper than its string. */
    private Expr fragment(String text, Pos at, Token string) {
        int depth = parsed.depthAt().applyAsInt(string.getTokenIndex()) + 1;
        AstBuilder sub = new AstBuilder(new Positions(at.file(), at.line(), at.col(), depth), problems);
        Parsing.Result<InterpolationContext> fragment = Parsing.interpolation(text, sub.positions);
        if (!fragment.errors().isEmpty()) {
            problems.addAll(fragment.errors());
            return new Expr.Literal(at, Value.Null.NULL);
        }
        sub.parsed = fragment;
        return sub.expr(fragment.tree().expr());
    }

    /** Numbers up to 100 digits: enough for any count, and converting a million digits would take seconds. */
    private Expr number(Pos pos, String digits) {
        if (digits.length() > 100) {
            problem(pos, "number " + shorten(digits) + " has more than 100 digits", "write a smaller number");
            return new Expr.Literal(pos, Value.Null.NULL);
        }
        return new Expr.Literal(pos, new Value.Num(new BigDecimal(digits)));
    }

    /** A grammar alternative this builder does not know: the grammar changed and the builder was not told. */
    private static IllegalStateException unbuilt(ParserRuleContext ctx) {
        return new IllegalStateException(
                "no AST for grammar alternative " + ctx.getClass().getSimpleName() + ": extend AstBuilder");
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
