package io.runbook.lint;

import java.util.List;
import java.util.Locale;

/**
 * A table (or type) name as a statement wrote it. Tables are matched by their last part, so
 * public.orders and orders are the same table: a runbook seldom has two tables of one name.
 */
record Name(String key, String shown) {
    static Name of(List<String> parts, String shown) { return new Name(parts.get(parts.size() - 1), shown); }

    /** From a name JSqlParser kept as written, e.g. public."Orders". */
    static Name parse(String written) {
        Toks t = Toks.of(written);
        Toks.NameAt n = t.name(0);
        return n != null ? n.name() : new Name(written.toLowerCase(Locale.ROOT), written);
    }

    @Override public String toString() { return shown; }
}
