package io.runbook.lint;

import io.runbook.ast.Expr;
import io.runbook.ast.Module;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
import io.runbook.parse.Program;
import io.runbook.source.Pos;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.SqlStream;
import io.runbook.sql.SqlTokens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lints the SQL a checked runbook will run, in the order it runs: the preflight, then each phase's steps and
 * verify block; each rollback block sees the state after its phase, and what it does is forgotten afterwards.
 * Along the way it remembers what the runbook itself created (tables, their column types, validated
 * NOT NULL checks), so a rule about "existing" tables leaves the runbook's own new tables alone.
 */
public final class Linter {
    private final Program program;
    private final List<Finding> findings = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private final Set<Pos> allowsChecked = new HashSet<>();
    /** Who understood each statement, by where it stands: file:line:col read from a stream, else file and offset. */
    private final Map<String, StatementAnalyzer.Source> statements = new LinkedHashMap<>();

    private final Map<Long, StatementAnalyzer.Source> inlineStatements = new HashMap<>();
    private final Map<String, Integer> fileOrder = new LinkedHashMap<>();
    private final Rules rules;
    /** The runbook file's comments alone on their line, by line: where `# runbook:allow` is read from. */
    private final Map<SourceFile, Map<Integer, Module.Comment>> commentLines = new HashMap<>();

    private Linter(Program program, int pgVersion) {
        this.program = program;
        this.rules = new Rules(pgVersion);
        Map<Integer, Module.Comment> lines = new HashMap<>();
        for (Module.Comment c : program.main().comments()) lines.put(c.pos().line(), c);
        commentLines.put(program.main().file(), lines);
    }

    /** Lints for the PostgreSQL version the runbook declares (see PgVersion), else 15. */
    public static LintReport lint(Program program) {
        return lint(program, null);
    }

    /** pgVersion: the major version rules that depend on it assume; null for the runbook's own or 15. */
    public static LintReport lint(Program program, Integer pgVersion) {
        return new Linter(program, pgVersion != null ? pgVersion : PgVersion.declared(program.runbook())).run();
    }

    // ------------------------------------------------------------------ walk

    private enum BlockKind {
        PREFLIGHT,
        STEPS,
        VERIFY,
        ROLLBACK
    }

    /** Where steps run: their phase (null in the preflight), whether in one transaction (tx), and the allows above the phase. */
    private record Block(Phase phase, BlockKind kind, boolean transactional, Object tx, List<Allow> allows) {}

    private LintReport run() {
        Runbook rb = program.runbook();
        SourceFile main = program.main().file();
        fileOrder.put(main.name(), 0);
        steps(rb.preflight(), new Block(null, BlockKind.PREFLIGHT, true, "preflight", List.of()));
        for (Phase p : rb.phases()) {
            List<Allow> allows = runbookAllows(main, p.pos().line());
            Object tx = p.transactional() ? p : null;
            steps(p.steps(), new Block(p, BlockKind.STEPS, p.transactional(), tx, allows));
            steps(p.verify(), new Block(p, BlockKind.VERIFY, p.transactional(), tx, allows));
            Knowledge before = rules.known.copy();
            steps(
                    p.rollback(),
                    new Block(
                            p, BlockKind.ROLLBACK, p.transactional(), p.transactional() ? p.rollback() : null, allows));
            rules.known = before;
            if (p.verify().isEmpty() && hasSql(p.steps())) {
                add(
                        Rule.PHASE_WITHOUT_VERIFY,
                        Rule.PHASE_WITHOUT_VERIFY.severity,
                        p.pos(),
                        "phase \"" + p.name()
                                + "\" has no verify block: nothing checks its changes before they are committed",
                        "add `verify { expect ... }` with what must hold after the phase; a failed expectation rolls the phase back",
                        Scope.of(allows));
            }
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt(
                        (Finding f) -> fileOrder.getOrDefault(f.pos().file().name(), Integer.MAX_VALUE))
                .thenComparingInt(f -> f.pos().line())
                .thenComparingInt(f -> f.pos().col())
                .thenComparing(f -> f.rule().id));
        int parsed = 0, screened = 0, tokens = 0, none = 0;
        List<StatementAnalyzer.Source> sources = new ArrayList<>(statements.values());
        sources.addAll(inlineStatements.values());
        for (StatementAnalyzer.Source s : sources) {
            switch (s) {
                case PARSER -> parsed++;
                case SCREENED -> screened++;
                case TOKENS -> tokens++;
                case NONE -> none++;
            }
        }
        return new LintReport(
                List.copyOf(sorted), new LintReport.Stats(sources.size(), parsed, screened, tokens, none));
    }

    private void steps(List<Step> steps, Block block) {
        Steps.walk(steps, block.phase(), Steps.Block.STEPS, at -> {
            if (at.step() instanceof Step.Sql sql) sql(sql, block);
            else if (at.step() instanceof Step.Batch batch) batch(batch, block);
        });
    }

    private static boolean hasSql(List<Step> steps) {
        return Steps.all(steps, null, Steps.Block.STEPS).stream()
                .anyMatch(at -> at.step() instanceof Step.Sql || at.step() instanceof Step.Batch);
    }

    /**
     * A SQL source as it stands in its file: text starts at offset base of file, or, read from a stream (origin
     * not null), where origin says.
     */
    private record Src(SourceFile file, int base, String text, List<SqlStatement> statements, SqlText origin) {
        Src(SourceFile file, int base, String text, List<SqlStatement> statements) {
            this(file, base, text, statements, null);
        }

        static Src streamed(SqlText origin, List<SqlStatement> statements) {
            return new Src(origin.file(), 0, origin.text(), statements, origin);
        }

        Pos pos(int offsetInText) {
            return origin != null ? origin.posAt(offsetInText) : file.posAt(base + offsetInText);
        }

        /** Nothing but blanks before offset on its line (in the file, not only in this text). */
        boolean lineBlankBefore(int offset) {
            int ls = text.lastIndexOf('\n', offset - 1) + 1;
            if (!text.substring(ls, offset).isBlank()) return false;
            if (ls > 0) return true;
            if (origin != null) return origin.col() == 1;
            String all = file.text();
            int abs = base;
            return all.substring(all.lastIndexOf('\n', abs - 1) + 1, abs).isBlank();
        }
    }

    /** What a statement's findings need to know about where it runs. */
    private record Where(
            Block block,
            boolean transactional,
            Object tx,
            boolean guarded,
            Src src,
            int stmtStart,
            Scope scope,
            List<Integer> lines) {
        Where inner(int offset, int line) {
            List<Integer> l = new ArrayList<>(lines);
            l.add(0, line);
            return new Where(block, true, tx, guarded, src, offset, scope, List.copyOf(l));
        }
    }

    private void sql(Step.Sql step, Block block) {
        Src src;
        boolean wrapped = false;
        if (step.source() instanceof Step.Inline in) {
            src = inline(in.sql());
        } else {
            Program.SqlScript script = program.script((Step.FileRef) step.source());
            if (script == null) return;
            wrapped = script.unwrapped();
            boolean transactional = block.transactional() || wrapped;
            Object stepTx = block.transactional() ? block.tx() : wrapped ? step : null;
            boolean guarded = step.guards().stream().anyMatch(g -> mentions(g, Step.AFFECTED));
            file(script, step.pos(), block, transactional, stepTx, guarded);
            return;
        }
        boolean transactional = block.transactional() || wrapped;
        Object stepTx = block.transactional() ? block.tx() : wrapped ? step : null;
        boolean guarded = step.guards().stream().anyMatch(g -> mentions(g, Step.AFFECTED));
        statements(src, step.pos(), block, transactional, stepTx, guarded);
    }

    /**
     * A SQL file (and the files it includes), read through the same stream that runs it: never held whole. A
     * statement is linted once the item after it is read, so that an allow trailing it on its line is known.
     */
    private void file(Program.SqlScript script, Pos stepPos, Block block, boolean tx, Object stepTx, boolean guarded) {
        fileOrder.putIfAbsent(script.file().name(), fileOrder.size());
        List<Allow> stepAllows = new ArrayList<>();
        boolean first = true;
        SqlStream.Statement held = null;
        Src lead = null;
        Src gap = null;
        try (SqlStream in = SqlStream.open(script.file(), n -> "", true)) {
            in.keepGaps();
            for (SqlStream.Item item = in.next(); item != null; item = in.next()) {
                if (item instanceof SqlStream.Gap g) {
                    gap = Src.streamed(g.text(), List.of());
                    List<Comments.Comment> found = new ArrayList<>();
                    gap(gap, 0, gap.text().length(), found);
                    for (Comments.Comment c : found) {
                        if (c.allow() == null) continue;
                        checkAllow(c.allow());
                        if (first) stepAllows.add(c.allow()); // above the file's first statement: the whole step
                    }
                    continue;
                }
                if (held != null) streamed(held, lead, gap, stepAllows, block, tx, stepTx, guarded);
                held = null;
                if (item instanceof SqlStream.Statement st) {
                    if (first) stepAllows.addAll(runbookAllows(stepPos.file(), stepPos.line()));
                    // A file's own BEGIN ... COMMIT gives way to the phase's transaction: they are not linted.
                    if (!(first && script.unwrapped())) held = st;
                    first = false;
                    lead = gap;
                }
                gap = null;
            }
            if (held != null && !script.unwrapped()) streamed(held, lead, gap, stepAllows, block, tx, stepTx, guarded);
        } catch (java.io.IOException e) {
            // The checker read the file already and reported what is wrong with it.
        }
    }

    /** One statement of a SQL file, with the comments around it that can hold its allows. */
    private void streamed(
            SqlStream.Statement st,
            Src lead,
            Src after,
            List<Allow> stepAllows,
            Block block,
            boolean transactional,
            Object stepTx,
            boolean guarded) {
        SqlStatement sql = st.statement();
        Src src = Src.streamed(st.origin(), List.of(sql));
        Toks toks = Toks.of(sql.text());
        List<Comments.Comment> list = new ArrayList<>();
        if (lead != null && lead.file() == src.file()) gap(lead, 0, lead.text().length(), list);
        List<Comments.Comment> own = inner(src, sql, toks);
        for (Comments.Comment c : own) if (c.allow() != null) checkAllow(c.allow());
        list.addAll(own);
        if (after != null && after.file() == src.file())
            gap(after, 0, after.text().length(), list);
        Scope scope = new Scope(new Comments(List.copyOf(list)), stepAllows, block.allows());
        statement(src, sql, toks, scope, block, transactional, stepTx, guarded);
    }

    /**
     * A batch runs its statement again and again, each time in a transaction of its own (the checker allows it
     * only in a `no transaction` phase). Its `until` condition is not an `expect affected` guard.
     */
    private void batch(Step.Batch step, Block block) {
        statements(inline(step.sql()), step.pos(), block, true, null, false);
    }

    /** An inline SQL block, split as the program split it already. */
    private Src inline(SqlText s) {
        return new Src(s.file(), s.offset(), s.text(), program.statements(s));
    }

    /** Lints the statements of one step's SQL. stepTx: the transaction they share, null when each is its own. */
    private void statements(Src src, Pos stepPos, Block block, boolean transactional, Object stepTx, boolean guarded) {
        fileOrder.putIfAbsent(src.file().name(), fileOrder.size());

        List<Toks> toks = new ArrayList<>();
        for (SqlStatement st : src.statements()) toks.add(Toks.of(st.text()));
        Comments comments = comments(src, toks);
        int first = src.statements().isEmpty()
                ? src.text().length()
                : src.statements().get(0).start();
        List<Allow> stepAllows = new ArrayList<>();
        for (Comments.Comment c : comments.list())
            if (c.allow() != null && c.offset() < first) stepAllows.add(c.allow());
        stepAllows.addAll(runbookAllows(stepPos.file(), stepPos.line()));
        for (Comments.Comment c : comments.list()) if (c.allow() != null) checkAllow(c.allow());
        Scope scope = new Scope(comments, stepAllows, block.allows());

        for (int i = 0; i < src.statements().size(); i++) {
            statement(src, src.statements().get(i), toks.get(i), scope, block, transactional, stepTx, guarded);
        }
    }

    private void statement(
            Src src,
            SqlStatement st,
            Toks toks,
            Scope scope,
            Block block,
            boolean transactional,
            Object stepTx,
            boolean guarded) {
        Object tx = stepTx != null ? stepTx : new Object();
        Pos at = src.pos(st.start());
        Where where = new Where(block, transactional, tx, guarded, src, st.start(), scope, List.of(at.line()));
        // analysed only now: whether it needs the parser depends on what the statements before it created
        StatementAnalyzer.Analysis a = StatementAnalyzer.analyze(toks, rules::touchesExisting);
        if (src.origin() != null)
            statements.putIfAbsent(at.file().name() + ":" + at.line() + ":" + at.col(), a.source());
        else // a number, not a text: this runs for every statement of every step
        inlineStatements.putIfAbsent(
                    ((long) fileOrder.get(src.file().name()) << 32) | (src.base() + st.start()), a.source());
        literals(toks, where);
        for (Change c : a.changes()) {
            if (c instanceof Change.DoBlock d) doBlock(st.text(), d, where);
            else apply(c, where);
        }
    }

    /** The statements inside a DO block run in the DO's transaction, whatever the phase. */
    private void doBlock(String statement, Change.DoBlock d, Where where) {
        DoBody.Result body = DoBody.read(statement, d);
        for (Change c : body.unanalysed()) apply(c, where);
        for (DoBody.Inner in : body.statements()) {
            int offset = where.stmtStart() + in.offset();
            Where inner = where.inner(offset, where.src().pos(offset).line());
            for (Change c : StatementAnalyzer.analyze(in.text()).changes()) {
                if (c instanceof Change.DoBlock) continue;
                apply(c, inner);
            }
        }
    }

    private static boolean mentions(Expr e, String name) {
        return e.tree().anyMatch(x -> x instanceof Expr.Variable v && v.name().equals(name));
    }

    // ------------------------------------------------------------------ rules

    private void apply(Change change, Where w) {
        Pos pos = w.src().pos(w.stmtStart() + change.at());
        Block b = w.block();
        Rules.Ctx ctx = new Rules.Ctx(
                w.transactional(),
                w.tx(),
                w.guarded(),
                b.phase() == null ? null : b.phase().name(),
                dropsForGood(b),
                w.lines().size() > 1,
                b.kind() == BlockKind.ROLLBACK);
        rules.apply(change, ctx, sink(pos, w));
    }

    private Rules.Sink sink(Pos pos, Where w) {
        return (rule, severity, message, fix) ->
                add(rule, severity, pos, message, fix, w.scope().at(w.lines()));
    }

    /** String literals naming an enum value that was added earlier in the same transaction. */
    private void literals(Toks t, Where w) {
        if (rules.known.enumValuesIn.isEmpty()) return;
        Rules.Ctx ctx = new Rules.Ctx(w.transactional(), w.tx(), w.guarded(), null, false, false, false);
        for (int i = 0; i < t.size(); i++) {
            if (t.is(i, io.runbook.sql.SqlTokens.Kind.STRING)) {
                rules.literal(TokenAnalyzer.literal(t.raw(i)), ctx, sink(w.src().pos(w.stmtStart() + t.start(i)), w));
            }
        }
    }

    /** DROP in a phase's steps or verify, when the phase has no rollback block. */
    private static boolean dropsForGood(Block b) {
        return b.phase() != null
                && (b.kind() == BlockKind.STEPS || b.kind() == BlockKind.VERIFY)
                && !b.phase().hasRollback();
    }

    // ------------------------------------------------------------------ suppression

    private void add(Rule rule, Pos pos, Where w, String message, String fix) {
        add(rule, rule.severity, pos, message, fix, w.scope().at(w.lines()));
    }

    private void add(Rule rule, Severity severity, Pos pos, String message, String fix, Scope.At at) {
        Finding f = new Finding(rule, severity, pos, message, fix, null);
        if (rule.suppressible()) {
            Allow allow = at.match(rule);
            if (allow != null) f = f.suppressedBy(allow);
        }
        if (reported.add(rule.id + "@" + pos + ":" + message)) findings.add(f);
        fileOrder.putIfAbsent(pos.file().name(), fileOrder.size());
    }

    /** An allow without a reason, or naming an unknown rule, is a finding of its own (once). */
    private void checkAllow(Allow a) {
        if (!allowsChecked.add(a.pos())) return;
        String written = String.join(",", a.rules());
        if (!a.hasReason()) {
            add(
                    Rule.SUPPRESSION_WITHOUT_REASON,
                    Rule.SUPPRESSION_WITHOUT_REASON.severity,
                    a.pos(),
                    "runbook:allow " + written + " gives no reason, so it suppresses nothing",
                    "say why the rule does not apply here: runbook:allow " + (written.isEmpty() ? "RULE" : written)
                            + " REASON",
                    Scope.At.NONE);
        }
        for (String r : a.rules()) {
            if (Rule.byId(r) == null) {
                add(
                        Rule.SUPPRESSION_UNKNOWN_RULE,
                        Rule.SUPPRESSION_UNKNOWN_RULE.severity,
                        a.pos(),
                        "runbook:allow names unknown rule '" + r + "', so it suppresses nothing",
                        "use one of: "
                                + java.util.Arrays.stream(Rule.values())
                                        .filter(Rule::suppressible)
                                        .map(x -> x.id)
                                        .collect(Collectors.joining(", ")),
                        Scope.At.NONE);
            }
        }
    }

    /**
     * `# runbook:allow RULE reason` (or `--`) comments on the lines directly above a line of the runbook file: above
     * a phase they cover the whole phase, above a sql step the whole step. The comments come from the lexer (the
     * module keeps those alone on their line), so text inside strings and SQL blocks is never taken for one.
     */
    private List<Allow> runbookAllows(SourceFile file, int line) {
        List<Allow> out = new ArrayList<>();
        Map<Integer, Module.Comment> comments = commentLines.get(file);
        if (comments == null) return out;
        for (int l = line - 1; comments.containsKey(l); l--) {
            Module.Comment c = comments.get(l);
            String body =
                    c.text().startsWith("#") ? c.text().substring(1) : c.text().substring(2);
            Allow a = Allow.parse(body, c.pos());
            if (a != null) {
                out.add(a);
                checkAllow(a);
            }
        }
        return out;
    }

    /** The comments of a SQL source, with the allow directives among them. */
    private static Comments comments(Src src, List<Toks> toks) {
        List<Comments.Comment> list = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= src.statements().size(); i++) {
            SqlStatement st = i < src.statements().size() ? src.statements().get(i) : null;
            int to = st == null ? src.text().length() : st.start();
            gap(src, from, to, list);
            if (st == null) break;
            list.addAll(inner(src, st, toks.get(i)));
            from = st.end();
            if (st.copyData() != null) {
                // COPY data is not SQL: skip it and its terminating \. line
                gap(src, from, st.copyDataStart(), list);
                int dataEnd = st.copyDataStart() + st.copyData().length();
                int nl = src.text().indexOf('\n', dataEnd);
                from = nl < 0 ? src.text().length() : nl + 1;
            }
        }
        list.sort(Comparator.comparingInt(Comments.Comment::offset));
        return new Comments(List.copyOf(list));
    }

    /** The comments inside a statement, and inside the body of a DO block. */
    private static List<Comments.Comment> inner(Src src, SqlStatement st, Toks t) {
        List<Comments.Comment> list = new ArrayList<>();
        for (SqlTokens.Token c : t.comments)
            list.add(Comments.comment(src, st.start() + c.start(), st.start() + c.end()));
        Change.DoBlock d = t.word(0, "DO") ? TokenAnalyzer.doBlock(t) : null;
        if (d != null && d.bodyStart() >= 0) {
            for (SqlTokens.Token bc : Toks.of(st.text().substring(d.bodyStart(), d.bodyEnd())).comments) {
                list.add(Comments.comment(
                        src, st.start() + d.bodyStart() + bc.start(), st.start() + d.bodyStart() + bc.end()));
            }
        }
        return list;
    }

    /** Comments between statements (the stretch also holds semicolons and a file's BEGIN/COMMIT wrapper). */
    private static void gap(Src src, int from, int to, List<Comments.Comment> list) {
        if (to <= from || !mayHoldComment(src.text(), from, to)) return;
        for (SqlTokens.Token t : SqlTokens.of(src.text().substring(from, to))) {
            if (t.kind() == SqlTokens.Kind.COMMENT) list.add(Comments.comment(src, from + t.start(), from + t.end()));
        }
    }

    /** A comment starts with `--` or `/*`: a stretch without `-` and `/` (most often a blank or two) holds none. */
    private static boolean mayHoldComment(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '-' || c == '/') return true;
        }
        return false;
    }

    /** Which allows can cover a finding: those of its statement's lines, its step, its phase. */
    private record Scope(Comments comments, List<Allow> step, List<Allow> phase) {
        static At of(List<Allow> phase) {
            return new At(List.of(), phase);
        }

        At at(List<Integer> lines) {
            List<Allow> own = new ArrayList<>();
            for (int line : lines) own.addAll(comments.allowsFor(line));
            own.addAll(step);
            return new At(own, phase);
        }

        record At(List<Allow> own, List<Allow> phase) {
            static final At NONE = new At(List.of(), List.of());

            Allow match(Rule rule) {
                for (Allow a : own) if (a.covers(rule) && a.hasReason()) return a;
                for (Allow a : phase) if (a.covers(rule) && a.hasReason()) return a;
                return null;
            }
        }
    }

    /** The comments of one SQL source and the lines they occupy on their own. */
    private record Comments(List<Comment> list) {
        /** offset is in the file; standalone: nothing but whitespace before it on its line. */
        record Comment(int offset, int line, int endLine, boolean standalone, Allow allow) {}

        /** A comment at [from, to) of the source's text; offset orders it among the comments of one source. */
        static Comment comment(Src src, int from, int to) {
            Pos pos = src.pos(from);
            boolean standalone = src.lineBlankBefore(from);
            Allow allow = Allow.parse(Allow.commentBody(src.text().substring(from, to)), pos);
            return new Comment(src.base() + from, pos.line(), src.pos(to).line(), standalone, allow);
        }

        /** Allows that cover a statement starting on line: trailing on that line, or in the comment lines just above it. */
        List<Allow> allowsFor(int line) {
            Set<Integer> commentLines = new HashSet<>();
            for (Comment c : list) {
                if (c.standalone()) for (int l = c.line(); l <= c.endLine(); l++) commentLines.add(l);
            }
            int top = line;
            while (commentLines.contains(top - 1)) top--;
            List<Allow> out = new ArrayList<>();
            for (Comment c : list) {
                if (c.allow() == null) continue;
                boolean above = c.standalone() && c.line() >= top && c.line() < line;
                boolean trailing = !c.standalone() && c.line() == line;
                if (above || trailing) out.add(c.allow());
            }
            return out;
        }
    }
}
