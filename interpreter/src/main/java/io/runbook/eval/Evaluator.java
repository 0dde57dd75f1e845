package io.runbook.eval;

import io.runbook.ast.Expr;
import io.runbook.ast.Expr.BinaryOp;
import io.runbook.ast.Module;
import io.runbook.ast.Value;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Evaluates expressions; for guards it also explains a failure as expected vs actual. */
public final class Evaluator {
    private final Map<String, Module.FunctionDef> functions;
    private final QueryRunner queries;
    private final Map<String, String> env;

    public Evaluator(Map<String, Module.FunctionDef> functions, QueryRunner queries, Map<String, String> env) {
        this.functions = functions;
        this.queries = queries;
        this.env = env;
    }

    /** The result of a guard: passed or not, with what was expected and what was found. */
    public record Outcome(boolean passed, String expected, String actual) {}

    /** Evaluates a condition, explaining the first part that made it false. */
    public Outcome test(Expr e, Scope scope) {
        if (e instanceof Expr.Binary b && b.op().isComparison()) {
            Value l = eval(b.left(), scope);
            Value r = eval(b.right(), scope);
            boolean ok = compare(b, l, r);
            return new Outcome(
                    ok, Describe.expr(b.left()) + " " + b.op().symbol + " " + Value.quoted(r), Value.quoted(l));
        }
        if (e instanceof Expr.Between b) {
            Value v = eval(b.value(), scope);
            Value lo = eval(b.low(), scope);
            Value hi = eval(b.high(), scope);
            boolean ok = order(b, v, lo) >= 0 && order(b, v, hi) <= 0;
            return new Outcome(
                    ok,
                    Describe.expr(b.value()) + " between " + Value.quoted(lo) + " and " + Value.quoted(hi),
                    Value.quoted(v));
        }
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.AND) {
            Outcome l = test(b.left(), scope);
            return l.passed() ? test(b.right(), scope) : l;
        }
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.OR) {
            Outcome l = test(b.left(), scope);
            if (l.passed()) return l;
            Outcome r = test(b.right(), scope);
            return r.passed()
                    ? r
                    : new Outcome(false, l.expected() + " or " + r.expected(), l.actual() + " and " + r.actual());
        }
        if (e instanceof Expr.Not n) {
            Outcome inner = test(n.operand(), scope);
            return new Outcome(!inner.passed(), "not (" + inner.expected() + ")", inner.actual());
        }
        Value v = eval(e, scope);
        return new Outcome(truth(e, v), Describe.expr(e) + " to be true", Value.quoted(v));
    }

    public Value eval(Expr e, Scope scope) {
        if (e instanceof Expr.Literal l) return l.value();
        if (e instanceof Expr.Variable v) {
            Value val = scope.get(v.name());
            if (val == null) {
                throw new EvalException(
                        v.pos(),
                        "'" + v.name() + "' has no value in this run",
                        "it is set by a `let` in a phase that did not run (see --from/--only)");
            }
            return val;
        }
        if (e instanceof Expr.Negate n) return negate(n, eval(n.operand(), scope));
        if (e instanceof Expr.Not n) return Value.Bool.of(!truth(n.operand(), eval(n.operand(), scope)));
        if (e instanceof Expr.Binary b) return binary(b, scope);
        if (e instanceof Expr.Between b) {
            Value v = eval(b.value(), scope);
            return Value.Bool.of(order(b, v, eval(b.low(), scope)) >= 0 && order(b, v, eval(b.high(), scope)) <= 0);
        }
        if (e instanceof Expr.Call c) return call(c, scope);
        if (e instanceof Expr.Query q) {
            return q.kind() == Expr.QueryKind.SCALAR
                    ? queries.scalar(q.sql(), scope)
                    : Value.Num.of(queries.count(q.sql(), scope));
        }
        StringBuilder sb = new StringBuilder();
        for (Expr p : ((Expr.Interpolated) e).parts()) sb.append(eval(p, scope).display());
        return new Value.Text(sb.toString());
    }

    public boolean truth(Expr at, Value v) {
        if (v instanceof Value.Bool b) return b.value();
        throw new EvalException(
                at.pos(),
                "expected true or false, got " + v.typeName() + " " + Value.quoted(v),
                "compare it, e.g. `expect x == 5` or `expect count $$...$$ > 0`");
    }

    private Value call(Expr.Call c, Scope scope) {
        List<Value> args = new ArrayList<>(c.args().size());
        for (Expr a : c.args()) args.add(eval(a, scope));
        if (Builtins.has(c.name())) return Builtins.call(c.name(), args, env);
        Module.FunctionDef def = functions.get(c.name());
        Scope local = new Scope(null);
        for (int i = 0; i < def.params().size(); i++) {
            Module.FunctionParam p = def.params().get(i);
            local.set(p.name(), i < args.size() ? args.get(i) : eval(p.defaultValue(), local));
        }
        return eval(def.body(), local);
    }

    private Value binary(Expr.Binary b, Scope scope) {
        if (b.op() == BinaryOp.AND) {
            return Value.Bool.of(truth(b.left(), eval(b.left(), scope)) && truth(b.right(), eval(b.right(), scope)));
        }
        if (b.op() == BinaryOp.OR) {
            return Value.Bool.of(truth(b.left(), eval(b.left(), scope)) || truth(b.right(), eval(b.right(), scope)));
        }
        Value l = eval(b.left(), scope);
        Value r = eval(b.right(), scope);
        if (b.op().isComparison()) return Value.Bool.of(compare(b, l, r));
        return arithmetic(b, l, r);
    }

    private Value arithmetic(Expr.Binary b, Value l, Value r) {
        if (b.op() == BinaryOp.ADD && (l instanceof Value.Text || r instanceof Value.Text)) {
            return new Value.Text(l.display() + r.display());
        }
        if (l instanceof Value.Num a && r instanceof Value.Num c) {
            return new Value.Num(
                    switch (b.op()) {
                        case ADD -> a.value().add(c.value());
                        case SUB -> a.value().subtract(c.value());
                        case MUL -> a.value().multiply(c.value());
                        default -> {
                            if (c.value().signum() == 0) throw new EvalException(b.pos(), "division by zero", null);
                            yield a.value().divide(c.value(), MathContext.DECIMAL64);
                        }
                    });
        }
        if (l instanceof Value.Dur a
                && r instanceof Value.Dur c
                && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
            return new Value.Dur(
                    b.op() == BinaryOp.ADD
                            ? a.value().plus(c.value())
                            : a.value().minus(c.value()));
        }
        if (l instanceof Value.Dur a
                && r instanceof Value.Num n
                && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)) {
            return new Value.Dur(scale(b, a.value(), n.value(), b.op() == BinaryOp.MUL));
        }
        if (l instanceof Value.Num n && r instanceof Value.Dur a && b.op() == BinaryOp.MUL) {
            return new Value.Dur(scale(b, a.value(), n.value(), true));
        }
        throw new EvalException(
                b.pos(),
                "cannot apply " + b.op().symbol + " to " + l.typeName() + " " + Value.quoted(l) + " and " + r.typeName()
                        + " " + Value.quoted(r),
                "+ - * / work on numbers and durations; + also joins text");
    }

    private static Duration scale(Expr at, Duration d, BigDecimal n, boolean multiply) {
        BigDecimal ms = BigDecimal.valueOf(d.toMillis());
        if (!multiply && n.signum() == 0) throw new EvalException(at.pos(), "division by zero", null);
        BigDecimal out = multiply ? ms.multiply(n) : ms.divide(n, MathContext.DECIMAL64);
        return Duration.ofMillis(out.longValue());
    }

    private Value negate(Expr.Negate n, Value v) {
        if (v instanceof Value.Num num) return new Value.Num(num.value().negate());
        if (v instanceof Value.Dur d) return new Value.Dur(d.value().negated());
        throw new EvalException(n.pos(), "cannot negate " + v.typeName() + " " + Value.quoted(v), null);
    }

    private boolean compare(Expr.Binary b, Value l, Value r) {
        if (l instanceof Value.Null || r instanceof Value.Null) {
            boolean same = l instanceof Value.Null && r instanceof Value.Null;
            return switch (b.op()) {
                case EQ -> same;
                case NE -> !same;
                default -> false;
            };
        }
        if (b.op() == BinaryOp.EQ || b.op() == BinaryOp.NE) {
            boolean eq = l instanceof Value.Bool || r instanceof Value.Bool ? l.equals(r) : order(b, l, r) == 0;
            return b.op() == BinaryOp.EQ ? eq : !eq;
        }
        int c = order(b, l, r);
        return switch (b.op()) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
    }

    /** Orders two values; text that reads as a number compares with numbers (SQL results often arrive as text). */
    private int order(Expr at, Value l, Value r) {
        if (l instanceof Value.Num a && r instanceof Value.Num b)
            return a.value().compareTo(b.value());
        if (l instanceof Value.Dur a && r instanceof Value.Dur b)
            return a.value().compareTo(b.value());
        if (l instanceof Value.Text a && r instanceof Value.Text b)
            return a.value().compareTo(b.value());
        if (l instanceof Value.Text a && r instanceof Value.Num b && number(a) != null)
            return number(a).compareTo(b.value());
        if (l instanceof Value.Num a && r instanceof Value.Text b && number(b) != null)
            return a.value().compareTo(number(b));
        if (l instanceof Value.Bool a && r instanceof Value.Bool b) return Boolean.compare(a.value(), b.value());
        throw new EvalException(
                at.pos(),
                "cannot compare " + l.typeName() + " " + Value.quoted(l) + " with " + r.typeName() + " "
                        + Value.quoted(r),
                "compare like with like: numbers with numbers, text with text, durations with durations (e.g. 500ms)");
    }

    private static BigDecimal number(Value.Text t) {
        try {
            return new BigDecimal(t.value().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
