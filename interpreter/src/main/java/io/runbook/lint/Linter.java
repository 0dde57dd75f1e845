package io.runbook.lint;

import io.runbook.ast.Expr;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
import io.runbook.parse.Program;
import io.runbook.source.Pos;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import io.runbook.sql.SqlStatement;
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
    private final Map<String, StatementAnalyzer.Source> statements = new LinkedHashMap<>();
    private final Map<String, Integer> fileOrder = new LinkedHashMap<>();
    private Knowledge known = new Knowledge();

    private Linter(Program program) { this.program = program; }

    public static LintReport lint(Program program) { return new Linter(program).run(); }

    // ------------------------------------------------------------------ walk

    private enum BlockKind { PREFLIGHT, STEPS, VERIFY, ROLLBACK }

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
            Knowledge before = known.copy();
            steps(p.rollback(), new Block(p, BlockKind.ROLLBACK, p.transactional(), p.transactional() ? p.rollback() : null, allows));
            known = before;
            if (p.verify().isEmpty() && hasSql(p.steps())) {
                add(Rule.PHASE_WITHOUT_VERIFY, Rule.PHASE_WITHOUT_VERIFY.severity, p.pos(),
                        "phase \"" + p.name() + "\" has no verify block: nothing checks its changes before they are committed",
                        "add `verify { expect ... }` with what must hold after the phase; a failed expectation rolls the phase back",
                        Scope.of(allows));
            }
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt((Finding f) -> fileOrder.getOrDefault(f.pos().file().name(), Integer.MAX_VALUE))
                .thenComparingInt(f -> f.pos().line()).thenComparingInt(f -> f.pos().col())
                .thenComparing(f -> f.rule().id));
        int parsed = 0, tokens = 0, none = 0;
        for (StatementAnalyzer.Source s : statements.values()) {
            switch (s) {
                case PARSER -> parsed++;
                case TOKENS -> tokens++;
                case NONE -> none++;
            }
        }
        return new LintReport(List.copyOf(sorted), new LintReport.Stats(statements.size(), parsed, tokens, none));
    }

    private void steps(List<Step> steps, Block block) {
        Steps.walk(steps, block.phase(), Steps.Block.STEPS, at -> {
            if (at.step() instanceof Step.Sql sql) sql(sql, block);
        });
    }

    private static boolean hasSql(List<Step> steps) {
        return Steps.all(steps, null, Steps.Block.STEPS).stream().anyMatch(at -> at.step() instanceof Step.Sql);
    }

    /** A SQL source as it stands in its file: text starts at offset base of file. */
    private record Src(SourceFile file, int base, String text, List<SqlStatement> statements) {
        Pos pos(int offsetInText) { return file.posAt(base + offsetInText); }
    }

    /** What a statement's findings need to know about where it runs. */
    private record Where(Block block, boolean transactional, Object tx, boolean guarded, Src src, int stmtStart, Scope scope,
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
            SqlText s = in.sql();
            src = new Src(s.file(), s.offset(), s.text(), program.statements(s));
        } else {
            Program.SqlScript script = program.script((Step.FileRef) step.source());
            if (script == null) return;
            src = new Src(script.file(), 0, script.file().text(), script.statements());
            wrapped = script.unwrapped();
        }
        fileOrder.putIfAbsent(src.file().name(), fileOrder.size());
        boolean transactional = block.transactional() || wrapped;
        Object stepTx = block.transactional() ? block.tx() : wrapped ? step : null;
        boolean guarded = step.guards().stream().anyMatch(g -> mentions(g, Step.AFFECTED));

        List<StatementAnalyzer.Analysis> analyses = new ArrayList<>();
        for (SqlStatement st : src.statements()) {
            StatementAnalyzer.Analysis a = StatementAnalyzer.analyze(st.text());
            analyses.add(a);
            statements.putIfAbsent(src.file().name() + ":" + (src.base() + st.start()), a.source());
        }
        Comments comments = comments(src, analyses);
        int first = src.statements().isEmpty() ? src.text().length() : src.statements().get(0).start();
        List<Allow> stepAllows = new ArrayList<>();
        for (Comments.Comment c : comments.list()) if (c.allow() != null && c.offset() < first) stepAllows.add(c.allow());
        stepAllows.addAll(runbookAllows(step.pos().file(), step.pos().line()));
        for (Comments.Comment c : comments.list()) if (c.allow() != null) checkAllow(c.allow());
        Scope scope = new Scope(comments, stepAllows, block.allows());

        for (int i = 0; i < src.statements().size(); i++) {
            SqlStatement st = src.statements().get(i);
            Object tx = stepTx != null ? stepTx : new Object();
            Where where = new Where(block, transactional, tx, guarded, src, st.start(), scope, List.of(src.pos(st.start()).line()));
            for (Change c : analyses.get(i).changes()) {
                if (c instanceof Change.DoBlock d) doBlock(st.text(), d, where);
                else apply(c, where);
            }
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
        if (change instanceof Change.CreateTable c) {
            Map<String, TypeName> cols = new HashMap<>();
            for (Change.Column col : c.columns()) cols.put(col.name(), col.type());
            known.created.put(c.table().key(), cols);
            known.columns.put(c.table().key(), new HashMap<>(cols));
        } else if (change instanceof Change.CreateIndex c) {
            if (c.concurrently()) {
                concurrently("CREATE INDEX CONCURRENTLY", pos, w);
            } else if (existing(c.table())) {
                add(Rule.CREATE_INDEX_NOT_CONCURRENTLY, pos, w,
                        "CREATE INDEX on existing table " + c.table() + " without CONCURRENTLY: writes to " + c.table() + " are blocked until the index is built",
                        "use CREATE INDEX CONCURRENTLY in a `no transaction` phase (a failed build leaves an INVALID index: drop it and run again)");
            }
        } else if (change instanceof Change.Concurrently c) {
            concurrently(c.what(), pos, w);
        } else if (change instanceof Change.AddConstraint c) {
            addConstraint(c, pos, w);
        } else if (change instanceof Change.ValidateConstraint c) {
            String key = c.table().key() + "." + c.name();
            String column = known.checkColumn.get(key);
            if (column != null) known.notNullChecked.computeIfAbsent(c.table().key(), k -> new HashSet<>()).add(column);
            Object addedIn = known.addedNotValidIn.get(key);
            if (addedIn != null && addedIn == w.tx() && w.transactional()) {
                add(Rule.CONSTRAINT_NOT_VALID, pos, w,
                        "VALIDATE CONSTRAINT " + c.name() + " in the transaction that added it NOT VALID: the lock ADD CONSTRAINT took is still held while every row is checked",
                        "validate it in a later phase, after the ADD CONSTRAINT ... NOT VALID has committed");
            }
        } else if (change instanceof Change.AddColumn c) {
            if (c.volatileWhy() != null && existing(c.table())) {
                add(Rule.VOLATILE_DEFAULT, pos, w,
                        "ADD COLUMN " + c.column() + " to existing table " + c.table() + ": " + c.volatileWhy() + ", so the whole table is rewritten under an ACCESS EXCLUSIVE lock",
                        "add the column without that default, then ALTER COLUMN ... SET DEFAULT for new rows and fill existing rows in batches");
            }
            known.columns.computeIfAbsent(c.table().key(), k -> new HashMap<>()).put(c.column(), c.type());
        } else if (change instanceof Change.AlterColumnType c) {
            alterType(c, pos, w);
        } else if (change instanceof Change.SetNotNull c) {
            Set<String> checked = known.notNullChecked.getOrDefault(c.table().key(), Set.of());
            if (existing(c.table()) && !checked.contains(c.column())) {
                add(Rule.SET_NOT_NULL, pos, w,
                        "SET NOT NULL on " + c.table() + "." + c.column() + ": every row is checked under an ACCESS EXCLUSIVE lock (reads and writes wait)",
                        "first ADD CONSTRAINT ... CHECK (" + c.column() + " IS NOT NULL) NOT VALID and VALIDATE it in an earlier phase; SET NOT NULL then skips the scan (PostgreSQL 12+)");
            }
        } else if (change instanceof Change.DropTable c) {
            List<Name> old = c.tables().stream().filter(this::existing).toList();
            if (!old.isEmpty() && dropsForGood(b)) {
                String names = old.stream().map(Name::toString).collect(Collectors.joining(", "));
                add(Rule.DROP_WITHOUT_ROLLBACK, pos, w,
                        "DROP TABLE " + names + " in phase \"" + b.phase().name() + "\", which has no rollback block: `runbook rollback` cannot bring " + (old.size() == 1 ? "it" : "them") + " back",
                        "add a rollback block that recreates " + (old.size() == 1 ? "the table" : "the tables") + " (rows come back only from a backup), or rename now and drop in a later release");
            }
            for (Name n : c.tables()) {
                known.created.remove(n.key());
                known.columns.remove(n.key());
            }
        } else if (change instanceof Change.DropColumn c) {
            if (existing(c.table()) && dropsForGood(b)) {
                add(Rule.DROP_WITHOUT_ROLLBACK, pos, w,
                        "DROP COLUMN " + c.column() + " of " + c.table() + " in phase \"" + b.phase().name() + "\", which has no rollback block: `runbook rollback` cannot bring it back",
                        "add a rollback block that adds the column back (its values come back only from a backup), or stop using it now and drop it in a later release");
            }
            Map<String, TypeName> cols = known.columns.get(c.table().key());
            if (cols != null) cols.remove(c.column());
        } else if (change instanceof Change.AddEnumValue c) {
            if (w.transactional()) {
                add(Rule.ADD_ENUM_VALUE_IN_TRANSACTION, pos, w,
                        "ALTER TYPE " + c.type() + " ADD VALUE inside a transaction: fails on PostgreSQL < 12 (cannot run inside a transaction block), and on 12+ the new value cannot be used before COMMIT",
                        "put it in a `no transaction` phase (required before PostgreSQL 12) and use the new value only in later phases");
            }
        } else if (change instanceof Change.Rename c) {
            rename(c, pos, w);
        } else if (change instanceof Change.BulkChange c) {
            List<Name> old = c.tables().stream().filter(this::existing).toList();
            if (!w.guarded() && (c.tables().isEmpty() || !old.isEmpty())) {
                String on = old.isEmpty() ? "" : (c.what().equals("TRUNCATE") ? " " : " on ") + old.stream().map(Name::toString).collect(Collectors.joining(", "));
                boolean truncate = c.what().equals("TRUNCATE");
                add(Rule.UNGUARDED_BULK_CHANGE, pos, w,
                        c.what() + on + (truncate ? " empties the table" : c.what().startsWith("DELETE") ? " deletes every row" : " updates every row")
                                + ", and the step has no `expect affected` guard",
                        truncate ? "check the row count in a preceding `expect count`/`expect scalar`, or use DELETE with `expect affected` (TRUNCATE reports 0 affected rows)"
                                : "add `expect affected == N` (or `<= N`) to the sql step: a surprising row count then rolls the phase back");
            }
        } else if (change instanceof Change.Unanalysed c) {
            add(Rule.UNANALYSED, pos, w, "statement not analysed: " + c.why(),
                    "review it by hand; `-- runbook:allow unanalysed REASON` records that you did");
        }
    }

    /** DROP in a phase's steps or verify, when the phase has no rollback block. */
    private static boolean dropsForGood(Block b) {
        return b.phase() != null && (b.kind() == BlockKind.STEPS || b.kind() == BlockKind.VERIFY) && !b.phase().hasRollback();
    }

    private void concurrently(String what, Pos pos, Where w) {
        if (!w.transactional()) return;
        boolean inDo = w.lines().size() > 1;
        add(Rule.CONCURRENTLY_IN_TRANSACTION, pos, w,
                what + " inside a transaction" + (inDo ? " (a DO block always runs in one)" : "") + ": PostgreSQL refuses it, so the phase would fail",
                inDo ? "run it as a statement of its own in a `no transaction` phase, not inside a DO block"
                        : "put it in a phase declared `phase \"...\" no transaction { ... }` (and not in a BEGIN/COMMIT-wrapped file)");
    }

    private void addConstraint(Change.AddConstraint c, Pos pos, Where w) {
        String key = c.table().key() + "." + c.name();
        if (c.name() != null) {
            if (c.notValid()) known.addedNotValidIn.put(key, w.tx());
            if (c.notNullColumn() != null) known.checkColumn.put(key, c.notNullColumn());
        }
        if (c.notNullColumn() != null && !c.notValid()) {
            known.notNullChecked.computeIfAbsent(c.table().key(), k -> new HashSet<>()).add(c.notNullColumn());
        }
        if (c.kind() == Change.ConstraintKind.OTHER || c.notValid() || !existing(c.table())) return;
        String what = c.kind() == Change.ConstraintKind.FOREIGN_KEY ? "FOREIGN KEY" : "CHECK";
        String named = c.name() == null ? "" : " " + c.name();
        String why = c.kind() == Change.ConstraintKind.FOREIGN_KEY
                ? "every row is checked while writes to " + c.table() + " and the referenced table are blocked (SHARE ROW EXCLUSIVE lock)"
                : "every row is checked under an ACCESS EXCLUSIVE lock (reads and writes of " + c.table() + " wait)";
        add(Rule.CONSTRAINT_NOT_VALID, pos, w,
                "ADD " + what + named + " on existing table " + c.table() + " without NOT VALID: " + why,
                "add it NOT VALID, then ALTER TABLE " + c.table() + " VALIDATE CONSTRAINT " + (c.name() == null ? "NAME" : c.name())
                        + " in a later phase (validating blocks no writes)" + (c.name() == null ? "; name the constraint so it can be validated" : ""));
    }

    private void alterType(Change.AlterColumnType c, Pos pos, Where w) {
        Map<String, TypeName> cols = known.columns.computeIfAbsent(c.table().key(), k -> new HashMap<>());
        TypeName old = cols.get(c.column());
        cols.put(c.column(), c.type());
        if (!existing(c.table())) return;
        String fix = "add a new column, fill it in batches and move the application over; or accept the lock in a maintenance window and allow this with the reason";
        String what = "ALTER COLUMN " + c.column() + " TYPE " + c.type() + " on existing table " + c.table();
        if (old != null) {
            if (c.type().keepsBytesFrom(old)) return;
            add(Rule.ALTER_COLUMN_TYPE, Severity.WARNING, pos, what + " (was " + old + "): rewrites the table and its indexes under an ACCESS EXCLUSIVE lock", fix, w.scope().at(w.lines()));
        } else if (c.type().cheapTargetForSome()) {
            add(Rule.ALTER_COLUMN_TYPE, Severity.INFO, pos, what + ": rewrites the table under an ACCESS EXCLUSIVE lock unless the old type is binary-compatible (e.g. varchar(n) to a longer varchar or text); the runbook does not show the old type",
                    "make sure the old type is binary-compatible with " + c.type() + "; else " + fix, w.scope().at(w.lines()));
        } else {
            add(Rule.ALTER_COLUMN_TYPE, Severity.WARNING, pos, what + ": rewrites the table and its indexes under an ACCESS EXCLUSIVE lock", fix, w.scope().at(w.lines()));
        }
    }

    private void rename(Change.Rename c, Pos pos, Where w) {
        if (!existing(c.table())) {
            if (c.column() == null) {
                Map<String, TypeName> cols = known.created.remove(c.table().key());
                known.created.put(c.newName(), cols == null ? new HashMap<>() : cols);
            } else {
                Map<String, TypeName> cols = known.columns.get(c.table().key());
                if (cols != null && cols.containsKey(c.column())) cols.put(c.newName(), cols.remove(c.column()));
            }
            return;
        }
        String what = c.column() == null
                ? "RENAME " + c.kind() + " " + c.table() + " TO " + c.newName()
                : "RENAME COLUMN " + c.column() + " TO " + c.newName() + " on " + c.table();
        add(Rule.RENAME, pos, w, what + ": application code still using the old name breaks as soon as this commits",
                "expand and contract: add the new name alongside the old (a synced column, or a view), move the application over, drop the old name in a later release");
    }

    private boolean existing(Name table) { return !known.created.containsKey(table.key()); }

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
            add(Rule.SUPPRESSION_WITHOUT_REASON, Rule.SUPPRESSION_WITHOUT_REASON.severity, a.pos(),
                    "runbook:allow " + written + " gives no reason, so it suppresses nothing",
                    "say why the rule does not apply here: runbook:allow " + (written.isEmpty() ? "RULE" : written) + " REASON", Scope.At.NONE);
        }
        for (String r : a.rules()) {
            if (Rule.byId(r) == null) {
                add(Rule.SUPPRESSION_UNKNOWN_RULE, Rule.SUPPRESSION_UNKNOWN_RULE.severity, a.pos(),
                        "runbook:allow names unknown rule '" + r + "', so it suppresses nothing",
                        "use one of: " + java.util.Arrays.stream(Rule.values()).filter(Rule::suppressible).map(x -> x.id).collect(Collectors.joining(", ")),
                        Scope.At.NONE);
            }
        }
    }

    /**
     * `# runbook:allow RULE reason` (or `--`) lines directly above a line of the runbook file: above a phase they
     * cover the whole phase, above a sql step the whole step. Read line by line: the runbook grammar skips
     * comments, so the AST does not have them.
     */
    private List<Allow> runbookAllows(SourceFile file, int line) {
        List<Allow> out = new ArrayList<>();
        for (int l = line - 1; l >= 1; l--) {
            String text = file.line(l);
            String s = text.strip();
            int marker = text.length() - text.stripLeading().length();
            String body;
            if (s.startsWith("#")) body = s.substring(1);
            else if (s.startsWith("--")) body = s.substring(2);
            else break;
            Allow a = Allow.parse(body, new Pos(file, l, marker + 1));
            if (a != null) {
                out.add(a);
                checkAllow(a);
            }
        }
        return out;
    }

    /** The comments of a SQL source, with the allow directives among them. */
    private static Comments comments(Src src, List<StatementAnalyzer.Analysis> analyses) {
        List<Comments.Comment> list = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= src.statements().size(); i++) {
            SqlStatement st = i < src.statements().size() ? src.statements().get(i) : null;
            int to = st == null ? src.text().length() : st.start();
            gap(src, from, to, list);
            if (st == null) break;
            Toks t = analyses.get(i).tokens();
            for (SqlTokens.Token c : t.comments) list.add(Comments.comment(src, st.start() + c.start(), st.start() + c.end()));
            for (Change c : analyses.get(i).changes()) {
                if (c instanceof Change.DoBlock d && d.bodyStart() >= 0) {
                    for (SqlTokens.Token bc : Toks.of(st.text().substring(d.bodyStart(), d.bodyEnd())).comments) {
                        list.add(Comments.comment(src, st.start() + d.bodyStart() + bc.start(), st.start() + d.bodyStart() + bc.end()));
                    }
                }
            }
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

    /** Comments between statements (the stretch also holds semicolons and a file's BEGIN/COMMIT wrapper). */
    private static void gap(Src src, int from, int to, List<Comments.Comment> list) {
        if (to <= from) return;
        for (SqlTokens.Token t : SqlTokens.of(src.text().substring(from, to))) {
            if (t.kind() == SqlTokens.Kind.COMMENT) list.add(Comments.comment(src.file(), src.base(), from + t.start(), from + t.end()));
        }
    }

    /** Which allows can cover a finding: those of its statement's lines, its step, its phase. */
    private record Scope(Comments comments, List<Allow> step, List<Allow> phase) {
        static At of(List<Allow> phase) { return new At(List.of(), phase); }

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

        static Comment comment(Src src, int from, int to) { return comment(src.file(), src.base(), from, to); }

        static Comment comment(SourceFile file, int base, int from, int to) {
            String text = file.text();
            int abs = base + from;
            Pos pos = file.posAt(abs);
            boolean standalone = text.substring(abs - (pos.col() - 1), abs).isBlank();
            Allow allow = Allow.parse(Allow.commentBody(text.substring(abs, base + to)), pos);
            return new Comment(abs, pos.line(), file.posAt(base + to).line(), standalone, allow);
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

    // ------------------------------------------------------------------ what the runbook created so far

    private static final class Knowledge {
        /** Tables created by the runbook's own SQL so far (by Name.key), with their column types. */
        Map<String, Map<String, TypeName>> created = new HashMap<>();
        /** Column types seen for any table (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE). */
        Map<String, Map<String, TypeName>> columns = new HashMap<>();
        /** Columns with a validated CHECK (col IS NOT NULL), per table. */
        Map<String, Set<String>> notNullChecked = new HashMap<>();
        /** "table.constraint" of CHECK (col IS NOT NULL) constraints, to their column. */
        Map<String, String> checkColumn = new HashMap<>();
        /** "table.constraint" added NOT VALID, to the transaction that added it. */
        Map<String, Object> addedNotValidIn = new HashMap<>();

        Knowledge copy() {
            Knowledge k = new Knowledge();
            created.forEach((t, c) -> k.created.put(t, new HashMap<>(c)));
            columns.forEach((t, c) -> k.columns.put(t, new HashMap<>(c)));
            notNullChecked.forEach((t, c) -> k.notNullChecked.put(t, new HashSet<>(c)));
            k.checkColumn.putAll(checkColumn);
            k.addedNotValidIn.putAll(addedNotValidIn);
            return k;
        }
    }
}
