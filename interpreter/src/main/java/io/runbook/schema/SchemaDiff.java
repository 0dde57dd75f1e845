package io.runbook.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The differences between two {@link SchemaSnapshot}s, as one {@link Change} per object, in a stable order: by kind
 * of object (schemas, extensions, enums, sequences, tables, columns, constraints, indexes, triggers, policies, views,
 * functions), then by name. Read from {@code a} to {@code b}: {@code +} is in b only, {@code -} in a only, {@code ~}
 * in both but different.
 *
 * <pre>
 * + index public.orders_status_idx
 * - column public.students.language
 * ~ constraint public.t.t_check: CHECK ((a > 0)) -&gt; CHECK ((a > 1))
 * ~ column public.orders.status type: text -&gt; public.order_status; nullable: true -&gt; false
 * </pre>
 *
 * The columns, constraints, policies, indexes and triggers of a table (or view) that is itself added or removed are
 * not listed: the table's line stands for them.
 */
public record SchemaDiff(List<Change> changes) {

    public SchemaDiff {
        changes = List.copyOf(changes);
    }

    /** What happened to an object, going from a to b. */
    public enum Kind {
        ADDED("+"),
        REMOVED("-"),
        CHANGED("~");

        private final String sign;

        Kind(String sign) {
            this.sign = sign;
        }

        public String sign() {
            return sign;
        }
    }

    /**
     * One object that differs: {@code type} such as {@code table}, {@code column}, {@code index}; {@code name}
     * schema-qualified, with double quotes where the name needs them ({@code public."Users"."Email"}); {@code detail}
     * for a change, what changed ({@code type: integer -> bigint}), else empty.
     */
    public record Change(Kind kind, String type, String name, String detail) {
        /** The readable line: {@code + index public.orders_status_idx}. */
        public String line() {
            String s = kind.sign() + " " + type + " " + name;
            if (detail.isEmpty()) return s;
            return detail.startsWith(":") ? s + detail : s + " " + detail;
        }

        @Override
        public String toString() {
            return line();
        }
    }

    /** Attributes to leave out of the comparison: ownership and grants differ between servers for good reasons. */
    public record Options(boolean ignoreOwners, boolean ignoreGrants) {
        public static final Options DEFAULT = new Options(false, false);
    }

    public static SchemaDiff between(SchemaSnapshot a, SchemaSnapshot b) {
        return between(a, b, Options.DEFAULT);
    }

    public static SchemaDiff between(SchemaSnapshot a, SchemaSnapshot b, Options options) {
        Map<String, Obj> before = objects(a, options);
        Map<String, Obj> after = objects(b, options);
        Set<String> relationsBefore = relations(a);
        Set<String> relationsAfter = relations(b);
        TreeMap<Obj, Obj[]> all = new TreeMap<>(ORDER);
        for (Obj o : before.values()) all.computeIfAbsent(o, k -> new Obj[2])[0] = o;
        for (Obj o : after.values()) all.computeIfAbsent(o, k -> new Obj[2])[1] = o;
        List<Change> changes = new ArrayList<>();
        for (Obj[] pair : all.values()) {
            Obj x = pair[0];
            Obj y = pair[1];
            if (x == null || y == null) {
                Obj o = x == null ? y : x;
                // a child of a table (or view) that is itself added or removed: the table's line says it
                if (o.parent != null && !(relationsBefore.contains(o.parent) && relationsAfter.contains(o.parent)))
                    continue;
                changes.add(new Change(x == null ? Kind.ADDED : Kind.REMOVED, o.type, o.name, ""));
                continue;
            }
            String detail = compare(x, y);
            if (!detail.isEmpty()) changes.add(new Change(Kind.CHANGED, y.type, y.name, detail));
        }
        return new SchemaDiff(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** One line per change, in order. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(changes.size());
        for (Change c : changes) out.add(c.line());
        return out;
    }

    // ------------------------------------------------------------------ objects and their attributes

    /** The attribute whose change is shown without a label: the object's definition. */
    private static final String PRIMARY = "";
    /** Values longer than this are not shown: only that they changed. */
    private static final int LONGEST_SHOWN = 120;

    private static final Pattern SPACE = Pattern.compile("\\s+");
    /** A function's body: compared by md5, shown by its first 8 hex digits. */
    private static final String BODY = "body";

    /** A comparable object: rank orders the kinds, key the objects of a kind. */
    private static final class Obj {
        final int rank;
        final String type;
        final List<String> key;
        final String name;
        final String parent;
        final Map<String, Object> attrs = new LinkedHashMap<>();
        List<String> columnOrder;

        Obj(int rank, String type, List<String> key, String name, String parent) {
            this.rank = rank;
            this.type = type;
            this.key = key;
            this.name = name;
            this.parent = parent;
        }

        Obj put(String label, Object value) {
            attrs.put(label, value);
            return this;
        }
    }

    private static final Comparator<Obj> ORDER = (x, y) -> {
        int c = Integer.compare(x.rank, y.rank);
        for (int i = 0; c == 0 && i < Math.min(x.key.size(), y.key.size()); i++)
            c = x.key.get(i).compareTo(y.key.get(i));
        return c != 0 ? c : Integer.compare(x.key.size(), y.key.size());
    };

    private static Map<String, Obj> objects(SchemaSnapshot s, Options o) {
        List<Obj> list = new ArrayList<>();
        for (SchemaSnapshot.Schema n : s.schemas()) {
            list.add(owned(new Obj(0, "schema", List.of(n.name()), ident(n.name()), null), o, n.owner(), n.grants()));
        }
        for (SchemaSnapshot.Extension x : s.extensions()) {
            list.add(new Obj(1, "extension", List.of(x.name()), ident(x.name()), null)
                    .put("version", x.version())
                    .put("schema", x.schema()));
        }
        for (SchemaSnapshot.EnumType e : s.enums()) {
            list.add(owned(
                    new Obj(2, "enum", List.of(e.schema(), e.name()), qualified(e.schema(), e.name()), null)
                            .put("values", String.join(", ", e.values())),
                    o,
                    e.owner(),
                    null));
        }
        for (SchemaSnapshot.Sequence q : s.sequences()) {
            list.add(owned(
                    new Obj(3, "sequence", List.of(q.schema(), q.name()), qualified(q.schema(), q.name()), null)
                            .put("type", q.type())
                            .put("start", q.start())
                            .put("increment", q.increment())
                            .put("min", q.min())
                            .put("max", q.max())
                            .put("cache", q.cache())
                            .put("cycle", q.cycle())
                            .put("owned by", q.ownedBy()),
                    o,
                    q.owner(),
                    q.grants()));
        }
        for (SchemaSnapshot.Table t : s.tables()) {
            String table = qualified(t.schema(), t.name());
            String rel = relation(t.schema(), t.name());
            Obj obj = owned(
                    new Obj(4, t.kind(), List.of(t.schema(), t.name()), table, null)
                            .put("kind", t.kind())
                            .put("unlogged", t.unlogged())
                            .put("partition of", t.partitionOf())
                            .put("partition bound", t.partitionBound())
                            .put("partition key", t.partitionKey())
                            .put("row security", t.rowSecurity())
                            .put("force row security", t.forceRowSecurity()),
                    o,
                    t.owner(),
                    t.grants());
            obj.columnOrder =
                    t.columns().stream().map(SchemaSnapshot.Column::name).toList();
            list.add(obj);
            for (SchemaSnapshot.Column c : t.columns()) {
                list.add(new Obj(
                                5,
                                "column",
                                List.of(t.schema(), t.name(), c.name()),
                                table + "." + ident(c.name()),
                                rel)
                        .put("type", c.type())
                        .put("nullable", c.nullable())
                        .put("default", c.defaultValue())
                        .put("identity", c.identity())
                        .put("generated", c.generated())
                        .put("collation", c.collation()));
            }
            for (SchemaSnapshot.Constraint c : t.constraints()) {
                list.add(new Obj(
                                6,
                                "constraint",
                                List.of(t.schema(), t.name(), c.name()),
                                table + "." + ident(c.name()),
                                rel)
                        .put(PRIMARY, c.definition())
                        .put("validated", c.validated()));
            }
            for (SchemaSnapshot.Policy p : t.policies()) {
                list.add(new Obj(
                                9,
                                "policy",
                                List.of(t.schema(), t.name(), p.name()),
                                table + "." + ident(p.name()),
                                rel)
                        .put("command", p.command())
                        .put("permissive", p.permissive())
                        .put("roles", new TreeSet<>(p.roles()))
                        .put("using", p.using())
                        .put("with check", p.withCheck()));
            }
        }
        for (SchemaSnapshot.Index i : s.indexes()) {
            list.add(new Obj(
                            7,
                            "index",
                            List.of(i.schema(), i.name()),
                            qualified(i.schema(), i.name()),
                            relation(i.schema(), i.table()))
                    .put(PRIMARY, i.definition())
                    .put("valid", i.valid()));
        }
        for (SchemaSnapshot.Trigger g : s.triggers()) {
            list.add(new Obj(
                            8,
                            "trigger",
                            List.of(g.schema(), g.table(), g.name()),
                            qualified(g.schema(), g.table()) + "." + ident(g.name()),
                            relation(g.schema(), g.table()))
                    .put(PRIMARY, g.definition())
                    .put("enabled", g.enabled()));
        }
        for (SchemaSnapshot.View v : s.views()) {
            list.add(owned(
                    new Obj(
                                    10,
                                    v.materialized() ? "materialized view" : "view",
                                    List.of(v.schema(), v.name()),
                                    qualified(v.schema(), v.name()),
                                    null)
                            .put(PRIMARY, v.definition())
                            .put("materialized", v.materialized()),
                    o,
                    v.owner(),
                    v.grants()));
        }
        for (SchemaSnapshot.Function f : s.functions()) {
            list.add(owned(
                    new Obj(
                                    11,
                                    f.kind(),
                                    List.of(f.schema(), f.name(), f.argumentTypes()),
                                    qualified(f.schema(), f.name()) + "(" + f.argumentTypes() + ")",
                                    null)
                            .put("kind", f.kind())
                            .put("arguments", f.arguments())
                            .put("returns", f.result())
                            .put("language", f.language())
                            .put("volatility", f.volatility())
                            .put("strict", f.strict())
                            .put("security definer", f.securityDefiner())
                            .put("config", String.join(", ", f.config()))
                            .put(BODY, f.bodyMd5()),
                    o,
                    f.owner(),
                    f.grants()));
        }
        Map<String, Obj> out = new LinkedHashMap<>();
        for (Obj obj : list) out.put(obj.rank + "\u0000" + String.join("\u0000", obj.key), obj);
        return out;
    }

    private static Obj owned(Obj obj, Options o, String owner, List<String> grants) {
        if (!o.ignoreOwners()) obj.put("owner", owner);
        if (!o.ignoreGrants() && grants != null) obj.put("grants", new TreeSet<>(grants));
        return obj;
    }

    private static Set<String> relations(SchemaSnapshot s) {
        Set<String> out = new HashSet<>();
        for (SchemaSnapshot.Table t : s.tables()) out.add(relation(t.schema(), t.name()));
        for (SchemaSnapshot.View v : s.views()) out.add(relation(v.schema(), v.name()));
        return out;
    }

    private static String relation(String schema, String name) {
        return schema + "\u0000" + name;
    }

    // ------------------------------------------------------------------ comparing and showing

    private static String compare(Obj x, Obj y) {
        List<String> parts = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>(x.attrs.keySet());
        labels.addAll(y.attrs.keySet());
        for (String label : labels) {
            Object before = x.attrs.get(label);
            Object after = y.attrs.get(label);
            if (Objects.equals(before, after)) continue;
            parts.add(describe(label, before, after));
        }
        if (x.columnOrder != null && y.columnOrder != null) {
            List<String> common = new ArrayList<>(x.columnOrder);
            common.retainAll(y.columnOrder);
            List<String> after = new ArrayList<>(y.columnOrder);
            after.retainAll(x.columnOrder);
            if (!common.equals(after)) {
                parts.add("column order: " + names(common) + " -> " + names(after));
            }
        }
        return String.join("; ", parts);
    }

    @SuppressWarnings("unchecked")
    private static String describe(String label, Object before, Object after) {
        String prefix = label.equals(PRIMARY) ? ": " : label + ": ";
        if (before instanceof Set<?> || after instanceof Set<?>) {
            Set<String> b = before == null ? Set.of() : (Set<String>) before;
            Set<String> a = after == null ? Set.of() : (Set<String>) after;
            List<String> delta = new ArrayList<>();
            for (String s : a) if (!b.contains(s)) delta.add("+" + s);
            for (String s : b) if (!a.contains(s)) delta.add("-" + s);
            return prefix + String.join(", ", delta);
        }
        if (label.equals(BODY)) return "body: md5 " + abbreviate(before) + " -> " + abbreviate(after);
        String b = show(before);
        String a = show(after);
        if (b.length() > LONGEST_SHOWN || a.length() > LONGEST_SHOWN) {
            return label.equals(PRIMARY) ? ": definition changed" : label + " changed";
        }
        return prefix + b + " -> " + a;
    }

    private static String abbreviate(Object md5) {
        String s = show(md5);
        return s.length() > 8 ? s.substring(0, 8) : s;
    }

    private static String show(Object value) {
        if (value == null) return "(none)";
        String s = SPACE.matcher(value.toString()).replaceAll(" ").strip();
        return s.isEmpty() ? "(none)" : s;
    }

    private static String names(List<String> columns) {
        List<String> out = new ArrayList<>(columns.size());
        for (String c : columns) out.add(ident(c));
        return String.join(", ", out);
    }

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** The name as SQL would need it: plain when lower-case letters, digits and underscores, else double-quoted. */
    static String ident(String name) {
        return PLAIN.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String qualified(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }
}
