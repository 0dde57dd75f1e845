package io.runbook.ast;

import java.math.BigDecimal;
import java.time.Duration;

/** A runtime value: what expressions evaluate to and what params, lets and query results hold. */
public sealed interface Value {
    /** How the value reads in messages, echo and string interpolation. */
    String display();

    String typeName();

    record Num(BigDecimal value) implements Value {
        public static Num of(long v) {
            return new Num(BigDecimal.valueOf(v));
        }

        public String display() {
            return value.stripTrailingZeros().scale() <= 0
                    ? value.toBigInteger().toString()
                    : value.stripTrailingZeros().toPlainString();
        }

        public String typeName() {
            return "number";
        }
    }

    record Text(String value) implements Value {
        public String display() {
            return value;
        }

        public String typeName() {
            return "text";
        }
    }

    record Bool(boolean value) implements Value {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        public static Bool of(boolean b) {
            return b ? TRUE : FALSE;
        }

        public String display() {
            return Boolean.toString(value);
        }

        public String typeName() {
            return "bool";
        }
    }

    record Dur(Duration value) implements Value {
        public String display() {
            return Durations.format(value);
        }

        public String typeName() {
            return "duration";
        }
    }

    record Null() implements Value {
        public static final Null NULL = new Null();

        public String display() {
            return "null";
        }

        public String typeName() {
            return "null";
        }
    }

    /** A value as it appears quoted in a message: text in quotes, the rest as is. */
    static String quoted(Value v) {
        return v instanceof Text t ? "\"" + t.value() + "\"" : v.display();
    }
}
