package io.runbook.lint;

import java.util.List;
import java.util.Locale;

/**
 * A table (or type, index) name as a statement wrote it. schema is null when the name is not qualified;
 * the linter then takes it to be in public, the default search_path, so public.orders and orders are one
 * table while audit.orders is another.
 */
record Name(String schema, String key, String shown) {
    static final String DEFAULT_SCHEMA = "public";

    static Name of(List<String> parts, String shown) {
        String schema = parts.size() > 1 ? parts.get(parts.size() - 2) : null;
        return new Name(schema, parts.get(parts.size() - 1), shown);
    }

    /** From a name JSqlParser kept as written, e.g. public."Orders". */
    static Name parse(String written) {
        Toks t = Toks.of(written);
        Toks.NameAt n = t.name(0);
        return n != null ? n.name() : new Name(null, written.toLowerCase(Locale.ROOT), written);
    }

    /** schema.name, with public for an unqualified name: what tables are matched by. */
    String qualified() {
        return (schema == null ? DEFAULT_SCHEMA : schema) + "." + key;
    }

    /** The name `ALTER ... RENAME TO newName` gives: the same schema. */
    Name renamed(String newName) {
        return new Name(schema, newName, schema == null ? newName : schema + "." + newName);
    }

    @Override
    public String toString() {
        return shown;
    }
}
