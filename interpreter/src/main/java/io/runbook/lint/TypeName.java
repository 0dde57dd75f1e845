package io.runbook.lint;

import io.runbook.sql.SqlTokens.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A column type, normalised so that spellings compare equal: integer/int/int4, character varying/varchar,
 * timestamp with time zone/timestamptz. mods are the numbers in parentheses (length, precision, scale).
 */
record TypeName(String base, List<Integer> mods, boolean array, String shown) {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("int", "integer"),
            Map.entry("int4", "integer"),
            Map.entry("int8", "bigint"),
            Map.entry("int2", "smallint"),
            Map.entry("character varying", "varchar"),
            Map.entry("char varying", "varchar"),
            Map.entry("character", "char"),
            Map.entry("bpchar", "char"),
            Map.entry("bool", "boolean"),
            Map.entry("float8", "double precision"),
            Map.entry("float4", "real"),
            Map.entry("decimal", "numeric"),
            Map.entry("timestamp with time zone", "timestamptz"),
            Map.entry("timestamp without time zone", "timestamp"),
            Map.entry("time with time zone", "timetz"),
            Map.entry("time without time zone", "time"),
            Map.entry("bit varying", "varbit"),
            Map.entry("serial4", "serial"),
            Map.entry("serial8", "bigserial"),
            Map.entry("serial2", "smallserial"));

    /** Reads a type from tokens [from, to). */
    static TypeName read(Toks t, int from, int to) {
        StringBuilder base = new StringBuilder();
        List<Integer> mods = new ArrayList<>();
        boolean array = false;
        for (int i = from; i < to && i < t.size(); i++) {
            if (t.is(i, Kind.LPAREN)) {
                int close = Math.min(t.close(i), to);
                for (int j = i + 1; j < close; j++) {
                    if (t.is(j, Kind.NUMBER)) {
                        try {
                            mods.add(Integer.parseInt(t.raw(j)));
                        } catch (NumberFormatException e) {
                            mods.add(-1);
                        }
                    }
                }
                i = close;
            } else if (t.op(i, "[") || t.word(i, "ARRAY")) {
                array = true;
            } else if (t.op(i, "]") || t.is(i, Kind.NUMBER) && array) {
                // array bounds are ignored by PostgreSQL
            } else if (t.op(i, ".")) {
                base.append('.');
            } else if (t.isIdent(i)) {
                if (base.length() > 0 && base.charAt(base.length() - 1) != '.') base.append(' ');
                base.append(t.ident(i));
            }
        }
        String b = base.toString();
        if (b.startsWith("pg_catalog.")) b = b.substring("pg_catalog.".length());
        b = ALIASES.getOrDefault(b, b);
        return new TypeName(b, List.copyOf(mods), array, shown(t, from, Math.min(to, t.size())));
    }

    /** The type as written, spaced the usual way: varchar(20), numeric(10, 2), double precision, int[]. */
    private static String shown(Toks t, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            boolean word = t.isIdent(i) || t.is(i, Kind.NUMBER);
            if (i > from
                    && word
                    && (t.isIdent(i - 1)
                            || t.is(i - 1, Kind.NUMBER)
                            || t.is(i - 1, Kind.COMMA)
                            || t.is(i - 1, Kind.RPAREN))) sb.append(' ');
            sb.append(t.raw(i));
        }
        return sb.toString();
    }

    static TypeName parse(String written) {
        Toks t = Toks.of(written);
        return read(t, 0, t.size());
    }

    boolean isSerial() {
        return !array && (base.equals("serial") || base.equals("bigserial") || base.equals("smallserial"));
    }

    /**
     * Whether changing a column from old to this type keeps the stored bytes (PostgreSQL then skips the
     * table rewrite): the same type, a longer or unlimited varchar, varchar to text, a numeric with more
     * precision and the same scale, a longer varbit, cidr to inet, xml to text.
     */
    boolean keepsBytesFrom(TypeName old) {
        if (array != old.array) return false;
        if (base.equals(old.base) && mods.equals(old.mods)) return true;
        boolean wider = mods.isEmpty() || (!old.mods.isEmpty() && mods.get(0) >= old.mods.get(0));
        return switch (old.base) {
            case "varchar" -> base.equals("text") || (base.equals("varchar") && wider);
            case "text" -> base.equals("varchar") && mods.isEmpty();
            case "numeric" ->
                base.equals("numeric")
                        && (mods.isEmpty()
                                || (!old.mods.isEmpty()
                                        && mods.get(0) >= old.mods.get(0)
                                        && scale(mods) == scale(old.mods)));
            case "varbit" -> base.equals("varbit") && wider;
            case "cidr" -> base.equals("inet") && mods.isEmpty();
            case "xml" -> base.equals("text");
            default -> false;
        };
    }

    /** Whether some old type could reach this one without a rewrite (used when the old type is unknown). */
    boolean cheapTargetForSome() {
        return !array
                && switch (base) {
                    case "text", "varchar", "numeric", "varbit", "inet" -> true;
                    default -> false;
                };
    }

    private static int scale(List<Integer> mods) {
        return mods.size() > 1 ? mods.get(1) : 0;
    }

    @Override
    public String toString() {
        return shown;
    }
}
