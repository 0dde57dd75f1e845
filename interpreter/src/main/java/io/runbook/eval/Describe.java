package io.runbook.eval;

import io.runbook.ast.Expr;
import io.runbook.ast.Value;
import java.util.stream.Collectors;

/** Short, one-line renderings of expressions for guard messages and plans. */
public final class Describe {
    private static final int MAX_SQL = 70;

    private Describe() {}

    public static String expr(Expr e) {
        if (e instanceof Expr.Literal l) return Value.quoted(l.value());
        if (e instanceof Expr.Variable v) return v.name();
        if (e instanceof Expr.Negate n) return "-" + expr(n.operand());
        if (e instanceof Expr.Not n)
            return "not " + (precedence(n.operand()) < 2 ? "(" + expr(n.operand()) + ")" : expr(n.operand()));
        if (e instanceof Expr.Binary b)
            return operand(b.left(), b, false) + " " + b.op().symbol + " " + operand(b.right(), b, true);
        if (e instanceof Expr.Between b)
            return expr(b.value()) + " between " + expr(b.low()) + " and " + expr(b.high());
        if (e instanceof Expr.Call c)
            return c.name() + "(" + c.args().stream().map(Describe::expr).collect(Collectors.joining(", ")) + ")";
        if (e instanceof Expr.Query q)
            return (q.kind() == Expr.QueryKind.SCALAR ? "scalar" : "count") + " $$ "
                    + sql(q.sql().text()) + " $$";
        Expr.Interpolated i = (Expr.Interpolated) e;
        return "\""
                + i.parts().stream()
                        .map(p -> p instanceof Expr.Literal l ? l.value().display() : "${" + expr(p) + "}")
                        .collect(Collectors.joining())
                + "\"";
    }

    /** A child of a binary operator, in parentheses where precedence (or left-association) needs them. */
    private static String operand(Expr child, Expr.Binary parent, boolean right) {
        int c = precedence(child);
        int p = precedence(parent);
        boolean parens = c < p || (right && c == p && c >= 4);
        return parens ? "(" + expr(child) + ")" : expr(child);
    }

    private static int precedence(Expr e) {
        if (e instanceof Expr.Binary b) {
            return switch (b.op()) {
                case OR -> 0;
                case AND -> 1;
                case EQ, NE, LT, LE, GT, GE -> 3;
                case ADD, SUB -> 4;
                case MUL, DIV -> 5;
            };
        }
        if (e instanceof Expr.Not) return 2;
        if (e instanceof Expr.Between) return 3;
        return 9;
    }

    /**
     * A keyset batch's header: `over accounts by id size 10000`, the size as written, or `size auto`, and
     * `parallel 2` when it runs ranges at once.
     */
    public static String keyset(io.runbook.ast.Step.Keyset k) {
        return "over " + k.relation() + " by " + k.key() + " size " + (k.size() == null ? "auto" : expr(k.size()))
                + (k.parallel() == null ? "" : " parallel " + expr(k.parallel()));
    }

    /** SQL on one line, shortened. */
    public static String sql(String sql) {
        String one = sql.strip().replaceAll("\\s+", " ");
        return one.length() <= MAX_SQL ? one : one.substring(0, MAX_SQL - 3) + "...";
    }
}
