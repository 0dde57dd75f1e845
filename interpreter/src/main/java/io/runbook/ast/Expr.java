package io.runbook.ast;

import io.runbook.source.Pos;
import io.runbook.source.SqlText;
import java.util.List;
import java.util.stream.Stream;

/** Expressions. Every node knows where it was written. */
public sealed interface Expr {
    Pos pos();

    /** The expressions directly inside this one, left to right. */
    default List<Expr> children() {
        if (this instanceof Negate n) return List.of(n.operand());
        if (this instanceof Not n) return List.of(n.operand());
        if (this instanceof Binary b) return List.of(b.left(), b.right());
        if (this instanceof Between b) return List.of(b.value(), b.low(), b.high());
        if (this instanceof Call c) return c.args();
        if (this instanceof Interpolated i) return i.parts();
        return List.of();
    }

    /** This expression and every one inside it, depth first, left to right. */
    default Stream<Expr> tree() {
        return Stream.concat(Stream.of(this), children().stream().flatMap(Expr::tree));
    }

    record Literal(Pos pos, Value value) implements Expr {}

    record Variable(Pos pos, String name) implements Expr {}

    record Negate(Pos pos, Expr operand) implements Expr {}

    record Not(Pos pos, Expr operand) implements Expr {}

    record Binary(Pos pos, BinaryOp op, Expr left, Expr right) implements Expr {}

    record Between(Pos pos, Expr value, Expr low, Expr high) implements Expr {}

    record Call(Pos pos, String name, List<Expr> args) implements Expr {}

    /** `scalar $$...$$` (exactly one row and column) or `count $$...$$` (number of rows). */
    record Query(Pos pos, QueryKind kind, SqlText sql) implements Expr {}

    /** A string with `${expr}` parts: literal text pieces and expressions, concatenated. */
    record Interpolated(Pos pos, List<Expr> parts) implements Expr {}

    enum QueryKind {
        SCALAR,
        COUNT
    }

    enum BinaryOp {
        ADD("+"),
        SUB("-"),
        MUL("*"),
        DIV("/"),
        EQ("=="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        AND("and"),
        OR("or");

        public final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }

        public boolean isComparison() {
            return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
        }
    }
}
