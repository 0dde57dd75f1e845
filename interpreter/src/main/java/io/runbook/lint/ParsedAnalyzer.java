package io.runbook.lint;

import io.runbook.lint.Change.ConstraintKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;

/**
 * The primary analyser: JSqlParser (PostgreSQL dialect) parses the statement and the changes are read from
 * its tree. What the tree keeps only as text (column types, DEFAULT expressions) is read with the token
 * stream, and so are the positions findings point to. Returns null when JSqlParser does not accept the
 * statement, or its tree does not line up with the tokens; the token analyser then takes over.
 */
final class ParsedAnalyzer {
    private ParsedAnalyzer() {}

    /** One daemon thread for JSqlParser's parse timeout, shared by every parse. */
    private static final ExecutorService PARSER_THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread th = new Thread(r, "runbook-lint-jsqlparser");
        th.setDaemon(true);
        return th;
    });

    private static final long TIMEOUT_MS = 5000;

    /** The JSqlParser tree of a statement, or null when it does not parse (or parses as "unsupported"). */
    static Statement parse(String sql) {
        try {
            Statement st = CCJSqlParserUtil.parse(
                    sql,
                    PARSER_THREAD,
                    p -> p.withDialect(AbstractJSqlParser.Dialect.POSTGRESQL).withTimeOut(TIMEOUT_MS));
            return st == null || st instanceof UnsupportedStatement ? null : st;
        } catch (JSQLParserException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * The changes of a parsed statement. Only the statements whose tree tells more than their tokens are read
     * from the tree (CREATE TABLE, CREATE INDEX, ALTER TABLE, DROP TABLE, TRUNCATE, DELETE, UPDATE); for the others
     * JSqlParser keeps nothing the rules need (a DO body, REINDEX, LOCK, ...) and the tokens are read.
     */
    static List<Change> analyze(Statement st, Toks t) {
        List<Change> out = new ArrayList<>();
        if (st instanceof CreateTable ct) {
            List<Change.Column> columns = new ArrayList<>();
            if (ct.getColumnDefinitions() != null) {
                for (ColumnDefinition cd : ct.getColumnDefinitions()) {
                    columns.add(new Change.Column(
                            ident(cd.getColumnName()),
                            TypeName.parse(cd.getColDataType().toString())));
                }
            }
            out.add(new Change.CreateTable(0, table(ct.getTable()), columns));
        } else if (st instanceof CreateIndex ci) {
            int conc = find(t, "CONCURRENTLY");
            if (ci.isConcurrently() != (conc >= 0)) return null;
            String index = ci.getIndex() == null || ci.getIndex().getName() == null
                    ? null
                    : ident(ci.getIndex().getName());
            out.add(new Change.CreateIndex(
                    conc >= 0 ? t.start(conc) : 0, table(ci.getTable()), ci.isConcurrently(), index));
        } else if (st instanceof Alter al) {
            if (!alter(al, t, out)) return null;
        } else if (st instanceof Drop d && "TABLE".equalsIgnoreCase(d.getType())) {
            List<Name> names = new ArrayList<>();
            for (Table tb : d.getNames() != null ? d.getNames() : List.of(d.getName())) names.add(table(tb));
            out.add(new Change.DropTable(0, names));
        } else if (st instanceof Truncate tr) {
            List<Name> names = new ArrayList<>();
            for (Table tb : tr.getTables() != null ? tr.getTables() : List.of(tr.getTable())) names.add(table(tb));
            out.add(new Change.BulkChange(0, "TRUNCATE", names));
            int cascade = find(t, "CASCADE");
            if (cascade >= 0) out.add(new Change.TruncateCascade(t.start(cascade), names));
        } else if (!(st instanceof Delete) && !(st instanceof Update)) {
            return TokenAnalyzer.analyze(t);
        }
        if (st instanceof Delete del && del.getWhere() == null) {
            out.add(new Change.BulkChange(
                    mainKeyword(t, "DELETE"), "DELETE without WHERE", List.of(table(del.getTable()))));
        } else if (st instanceof Update up && up.getWhere() == null) {
            out.add(new Change.BulkChange(
                    mainKeyword(t, "UPDATE"), "UPDATE without WHERE", List.of(table(up.getTable()))));
        }
        // Data-modifying CTEs (WITH d AS (DELETE ...)) are found in the token stream, for any statement.
        List<Change> nested = new ArrayList<>();
        TokenAnalyzer.dataChanges(t, nested);
        for (Change c : nested) if (t.depth(indexAt(t, c.at())) > 0) out.add(c);
        return out;
    }

    /** ALTER TABLE: each AlterExpression lines up with one comma-separated clause of the token stream. */
    private static boolean alter(Alter al, Toks t, List<Change> out) {
        if (!t.word(1, "TABLE")) return true;
        TokenAnalyzer.AlterTable at = TokenAnalyzer.alterTable(t);
        List<AlterExpression> exprs = al.getAlterExpressions() == null ? List.of() : al.getAlterExpressions();
        if (at == null || at.clauses().size() - 1 != exprs.size()) return false;
        Name table = table(al.getTable());
        for (int c = 0; c < exprs.size(); c++) {
            int a = at.clauses().get(c);
            int b = TokenAnalyzer.clauseEnd(at.clauses(), c);
            List<Change> clause = alterExpression(exprs.get(c), t, a, b, table);
            out.addAll(clause != null ? clause : TokenAnalyzer.alterClause(t, a, b, table));
        }
        return true;
    }

    /** The changes of one ALTER TABLE clause from its tree, or null to read the clause from its tokens. */
    private static List<Change> alterExpression(AlterExpression e, Toks t, int a, int b, Name table) {
        int at = t.start(a);
        switch (e.getOperation()) {
            case ADD -> {
                if (e.getColDataTypeList() != null && !e.getColDataTypeList().isEmpty()) {
                    List<Change> out = new ArrayList<>();
                    for (AlterExpression.ColumnDataType cd : e.getColDataTypeList()) {
                        TypeName type = TypeName.parse(cd.getColDataType().toString());
                        ColumnSpec spec = ColumnSpec.of(
                                type, cd.getColumnSpecs() == null ? "" : String.join(" ", cd.getColumnSpecs()));
                        out.add(new Change.AddColumn(
                                at,
                                table,
                                ident(cd.getColumnName()),
                                type,
                                spec.volatileWhy(),
                                spec.hasDefault(),
                                spec.notNull(),
                                spec.unique()));
                    }
                    return out;
                }
                Index idx = e.getIndex();
                if (idx == null) return null;
                int kindAt = t.word(a + 1, "CONSTRAINT") ? a + 3 : a + 1;
                ConstraintKind kind = idx instanceof ForeignKeyIndex
                        ? ConstraintKind.FOREIGN_KEY
                        : idx instanceof CheckConstraint
                                ? ConstraintKind.CHECK
                                : TokenAnalyzer.constraintKind(t, kindAt);
                boolean usingIndex = t.hasPair(a, b, 0, "USING", "INDEX");
                boolean notValid = idx.getConstraintAttributes() != null
                        && idx.getConstraintAttributes().isNotValid();
                String notNull = null;
                if (idx instanceof CheckConstraint cc
                        && unwrap(cc.getExpression()) instanceof IsNullExpression isNull
                        && isNull.isNot()
                        && isNull.getLeftExpression() instanceof Column col) {
                    notNull = ident(col.getColumnName());
                }
                // JSqlParser drops the name of some constraints (UNIQUE, PRIMARY KEY): take it from the tokens then.
                String name = idx.getName() != null
                        ? ident(idx.getName())
                        : t.word(a + 1, "CONSTRAINT") ? t.ident(a + 2) : null;
                return List.of(new Change.AddConstraint(at, table, name, kind, notValid, notNull, usingIndex));
            }
            case ALTER -> {
                if (t.hasPair(a, b, 0, "DROP", "NOT")) return null; // DROP NOT NULL: read from the tokens
                List<Change> out = new ArrayList<>();
                if (e.getColDataTypeList() != null) {
                    for (AlterExpression.ColumnDataType cd : e.getColDataTypeList()) {
                        if (cd.isWithType())
                            out.add(new Change.AlterColumnType(
                                    at,
                                    table,
                                    ident(cd.getColumnName()),
                                    TypeName.parse(cd.getColDataType().toString())));
                    }
                }
                if (e.getColumnSetNotNullList() != null) {
                    for (AlterExpression.ColumnSetNotNull nn : e.getColumnSetNotNullList())
                        out.add(new Change.SetNotNull(at, table, ident(nn.getColumnName())));
                }
                return out;
            }
            case DROP -> {
                if (e.getColumnName() != null && e.getConstraintName() == null)
                    return List.of(new Change.DropColumn(at, table, ident(e.getColumnName())));
                return e.getConstraintName() != null ? List.of() : null;
            }
            case RENAME -> {
                if (e.getColumnOldName() == null || e.getColumnName() == null) return null;
                return List.of(
                        new Change.Rename(at, "TABLE", table, ident(e.getColumnOldName()), ident(e.getColumnName())));
            }
            case RENAME_TABLE -> {
                return e.getNewTableName() == null
                        ? null
                        : List.of(new Change.Rename(
                                at,
                                "TABLE",
                                table,
                                null,
                                Name.parse(e.getNewTableName()).key()));
            }
            default -> {
                // VALIDATE CONSTRAINT, DETACH PARTITION ... CONCURRENTLY and the other keyword clauses are kept
                // as text by JSqlParser: read them from the tokens.
                return null;
            }
        }
    }

    /** CHECK ((x IS NOT NULL)): the expression inside redundant parentheses. */
    private static Expression unwrap(Expression e) {
        while (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) e = list.get(0);
        return e;
    }

    private static Name table(Table tb) {
        return tb == null ? new Name(null, "?", "?") : Name.parse(tb.getFullyQualifiedName());
    }

    private static String ident(String written) {
        return Name.parse(written).key();
    }

    private static int find(Toks t, String word) {
        for (int i = 0; i < t.size(); i++) if (t.word(i, word) && t.depth(i) == 0) return i;
        return -1;
    }

    /** Offset of the statement's own DELETE/UPDATE keyword (after a WITH list, at depth 0). */
    private static int mainKeyword(Toks t, String word) {
        int k = find(t, word);
        return k >= 0 ? t.start(k) : 0;
    }

    private static int indexAt(Toks t, int offset) {
        for (int i = 0; i < t.size(); i++) if (t.start(i) == offset) return i;
        return 0;
    }
}
