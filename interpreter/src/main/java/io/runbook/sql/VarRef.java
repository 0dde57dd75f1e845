package io.runbook.sql;

/**
 * A psql variable reference inside a statement. start/end are relative to
 * {@link SqlStatement#text()} and cover the whole reference, e.g. {@code :'name'}.
 */
public record VarRef(int start, int end, String name, Kind kind) {

    /**
     * How the value is interpolated: as-is, as a string literal, as an identifier, or (TEST,
     * :{?name}) as TRUE or FALSE for whether the variable is defined.
     */
    public enum Kind {
        RAW,
        LITERAL,
        IDENTIFIER,
        TEST
    }

    /** The reference as written in the source: {@code :name}, {@code :'name'} or {@code :"name"}. */
    public String written() {
        return switch (kind) {
            case RAW -> ":" + name;
            case LITERAL -> ":'" + name + "'";
            case IDENTIFIER -> ":\"" + name + "\"";
            case TEST -> ":{?" + name + "}";
        };
    }
}
