package io.runbook.parse;

import io.runbook.ast.Durations;
import io.runbook.ast.Expr;
import io.runbook.ast.Value;
import java.util.stream.Collectors;

/**
 * Prints an expression as a compact S-expression, so tests can state the shape of an AST in one
 * string: {@code a + b * c} is {@code (+ a (* b c))}. Literals: numbers as written, text in double
 * quotes, durations in their normal form (5s, 2min), true/false/null; calls as {@code f(x, y)}.
 */
final class Sexp {
    private Sexp() {}

    static String of(Expr e) {
        if (e instanceof Expr.Literal l) return value(l.value());
        if (e instanceof Expr.Variable v) return v.name();
        if (e instanceof Expr.Negate n) return "(neg " + of(n.operand()) + ")";
        if (e instanceof Expr.Not n) return "(not " + of(n.operand()) + ")";
        if (e instanceof Expr.Binary b) return "(" + b.op().symbol + " " + of(b.left()) + " " + of(b.right()) + ")";
        if (e instanceof Expr.Between b)
            return "(between " + of(b.value()) + " " + of(b.low()) + " " + of(b.high()) + ")";
        if (e instanceof Expr.Call c)
            return c.name() + "(" + c.args().stream().map(Sexp::of).collect(Collectors.joining(", ")) + ")";
        if (e instanceof Expr.Query q)
            return "(" + q.kind().name().toLowerCase(java.util.Locale.ROOT) + " $$"
                    + q.sql().text() + "$$)";
        if (e instanceof Expr.Interpolated i) {
            return "(str " + i.parts().stream().map(Sexp::of).collect(Collectors.joining(" ")) + ")";
        }
        throw new IllegalArgumentException(String.valueOf(e));
    }

    static String value(Value v) {
        if (v instanceof Value.Text t) return "\"" + t.value() + "\"";
        if (v instanceof Value.Dur d) return d.value() == null ? "<null duration>" : Durations.format(d.value());
        if (v instanceof Value.Num n) return n.value().toPlainString();
        return v.display();
    }
}
