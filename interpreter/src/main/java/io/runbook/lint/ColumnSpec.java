package io.runbook.lint;

import io.runbook.sql.SqlTokens.Kind;
import java.util.Locale;
import java.util.Set;

/**
 * What the constraints of a column definition (the tokens after its type) mean for an existing table: a value
 * per row (volatileWhy), a DEFAULT, NOT NULL, an index built for PRIMARY KEY or UNIQUE. Both analysers read
 * column definitions with this, so they agree.
 */
record ColumnSpec(String volatileWhy, boolean hasDefault, boolean notNull, boolean unique) {

    /** Words that end a column's type and start its constraints in a column definition. */
    static final Set<String> CONSTRAINT_WORDS = Set.of(
            "CONSTRAINT",
            "NOT",
            "NULL",
            "DEFAULT",
            "CHECK",
            "REFERENCES",
            "PRIMARY",
            "UNIQUE",
            "GENERATED",
            "COLLATE",
            "COMPRESSION",
            "STORAGE");

    /**
     * Functions PostgreSQL marks volatile that people put in defaults. now(), current_timestamp,
     * statement_timestamp() and friends are stable: since PostgreSQL 11 such a default costs no rewrite.
     */
    static final Set<String> VOLATILE = Set.of(
            "random",
            "random_normal",
            "clock_timestamp",
            "gen_random_uuid",
            "uuid_generate_v1",
            "uuid_generate_v1mc",
            "uuid_generate_v4",
            "uuidv4",
            "uuidv7",
            "nextval",
            "timeofday",
            "setseed");

    /** From the column specs JSqlParser keeps as text. */
    static ColumnSpec of(TypeName type, String specs) {
        Toks t = Toks.of(specs);
        return read(t, type, 0, t.size());
    }

    /** The constraints in tokens [typeEnd, b) of a column of the given type. */
    static ColumnSpec read(Toks t, TypeName type, int typeEnd, int b) {
        int d = t.depth(typeEnd);
        boolean notNull = false;
        boolean unique = false;
        for (int i = typeEnd; i < b && i < t.size(); i++) {
            if (t.depth(i) != d) continue;
            if (t.words(i, "NOT", "NULL") || t.words(i, "PRIMARY", "KEY")) notNull = true;
            if (t.word(i, "PRIMARY") || t.word(i, "UNIQUE")) unique = true;
        }
        int def = t.find(typeEnd, b, d, "DEFAULT");
        int defEnd = b;
        if (def >= 0) {
            for (int i = def + 1; i < b; i++) {
                if (t.depth(i) == d
                        && t.kind(i) == Kind.WORD
                        && CONSTRAINT_WORDS.contains(t.raw(i).toUpperCase(Locale.ROOT))
                        && !(i == def + 1 && t.word(i, "NULL"))) {
                    defEnd = i;
                    break;
                }
            }
        }
        boolean hasDefault = def >= 0 && !(defEnd == def + 2 && t.word(def + 1, "NULL"));
        return new ColumnSpec(volatileWhy(t, type, typeEnd, b, def, defEnd), hasDefault, notNull, unique);
    }

    private static String volatileWhy(Toks t, TypeName type, int typeEnd, int b, int def, int defEnd) {
        if (type.isSerial())
            return "its type " + type.base() + " takes a default from a sequence (nextval), a new value for every row";
        int g = t.find(typeEnd, b, t.depth(typeEnd), "GENERATED");
        if (g >= 0) {
            int end = Math.min(b, t.size());
            for (int i = g; i < end; i++) {
                if (t.word(i, "IDENTITY")) return "an identity column takes a new sequence value for every row";
                if (t.word(i, "STORED")) return "a stored generated column is computed and written for every row";
            }
        }
        if (def < 0) return null;
        String fn = volatileCall(t, def + 1, defEnd);
        return fn == null ? null : "its DEFAULT calls " + fn + "(), which is volatile: a new value for every row";
    }

    /** The first volatile function called in tokens [from, to), or null. */
    static String volatileCall(Toks t, int from, int to) {
        for (int i = from; i < to; i++) {
            if (t.kind(i) == Kind.WORD && t.is(i + 1, Kind.LPAREN) && VOLATILE.contains(t.ident(i))) return t.ident(i);
        }
        return null;
    }
}
