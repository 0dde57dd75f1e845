package io.runbook.schema;

import io.runbook.schema.SchemaSnapshot.Column;
import io.runbook.schema.SchemaSnapshot.Constraint;
import io.runbook.schema.SchemaSnapshot.EnumType;
import io.runbook.schema.SchemaSnapshot.Extension;
import io.runbook.schema.SchemaSnapshot.Function;
import io.runbook.schema.SchemaSnapshot.Index;
import io.runbook.schema.SchemaSnapshot.Policy;
import io.runbook.schema.SchemaSnapshot.Schema;
import io.runbook.schema.SchemaSnapshot.Sequence;
import io.runbook.schema.SchemaSnapshot.Table;
import io.runbook.schema.SchemaSnapshot.Trigger;
import io.runbook.schema.SchemaSnapshot.View;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The catalog queries behind {@link SchemaSnapshot#capture}. PostgreSQL 12 or later. */
final class SchemaCapture {
    private SchemaCapture() {}

    /** Not a member of an extension: {@code pg_depend} has no 'e' row for it. */
    private static String notInExtension(String catalog, String oid) {
        return "not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog." + catalog
                + "'::pg_catalog.regclass and d.objid = " + oid + " and d.deptype = 'e')";
    }

    /** The oids of the captured tables (ordinary, partitioned, foreign), for the queries of their parts. */
    private static final String TABLE_OIDS = "select c.oid from pg_catalog.pg_class c"
            + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = any (?) and c.relkind in ('r', 'p', 'f') and " + notInExtension("pg_class", "c.oid");

    /** Tables, views and materialized views: what indexes and triggers hang on. */
    private static final String RELATION_OIDS = "select c.oid from pg_catalog.pg_class c"
            + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = any (?) and c.relkind in ('r', 'p', 'f', 'v', 'm') and "
            + notInExtension("pg_class", "c.oid");

    static SchemaSnapshot capture(Connection c, List<String> wanted, Set<String> excludedByDefault)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        String searchPath = null;
        if (autoCommit) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set transaction isolation level repeatable read, read only");
            }
        } else {
            searchPath = string(c, "select pg_catalog.current_setting('search_path')");
        }
        try {
            // names outside pg_catalog come out schema-qualified, whatever the session's search_path
            string(c, "select pg_catalog.set_config('search_path', '', true)");
            int version = Integer.parseInt(string(c, "select pg_catalog.current_setting('server_version_num')"));
            return read(c, wanted, excludedByDefault, version);
        } finally {
            if (autoCommit) {
                c.rollback();
                c.setAutoCommit(true);
            } else {
                try (PreparedStatement ps =
                        c.prepareStatement("select pg_catalog.set_config('search_path', ?, true)")) {
                    ps.setString(1, searchPath);
                    ps.execute();
                }
            }
        }
    }

    private static SchemaSnapshot read(Connection c, List<String> wanted, Set<String> excluded, int version)
            throws SQLException {
        List<Schema> schemas = schemas(c, wanted, excluded);
        Array names = c.createArrayOf("text", schemas.stream().map(Schema::name).toArray());
        Map<Long, TableParts> tables = tables(c, names);
        columns(c, names, tables);
        constraints(c, names, tables);
        policies(c, names, tables);
        List<Table> tableList = new ArrayList<>();
        for (TableParts t : tables.values()) tableList.add(t.build());
        tableList.sort(Comparator.comparing(Table::schema).thenComparing(Table::name));
        return new SchemaSnapshot(
                SchemaSnapshot.FORMAT,
                schemas,
                extensions(c),
                enums(c, names),
                sequences(c, names),
                tableList,
                indexes(c, names),
                triggers(c, names, version),
                views(c, names),
                functions(c, names, version));
    }

    private static List<Schema> schemas(Connection c, List<String> wanted, Set<String> excluded) throws SQLException {
        String sql = "select n.nspname, pg_catalog.pg_get_userbyid(n.nspowner),"
                + " coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))::text[] from pg_catalog.pg_namespace n ";
        List<Schema> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                wanted == null || wanted.isEmpty()
                        ? sql + "where not (n.nspname = any (?)) and n.nspname !~ '^pg_(toast_)?temp_'"
                        : sql + "where n.nspname = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", (wanted == null || wanted.isEmpty() ? excluded : wanted).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Schema(rs.getString(1), rs.getString(2), sortedArray(rs, 3)));
            }
        }
        out.sort(Comparator.comparing(Schema::name));
        return out;
    }

    private static List<Extension> extensions(Connection c) throws SQLException {
        List<Extension> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select x.extname, x.extversion, n.nspname from pg_catalog.pg_extension x"
                        + " join pg_catalog.pg_namespace n on n.oid = x.extnamespace")) {
            while (rs.next()) out.add(new Extension(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
        out.sort(Comparator.comparing(Extension::name));
        return out;
    }

    private static List<EnumType> enums(Connection c, Array schemas) throws SQLException {
        List<EnumType> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select n.nspname, t.typname,"
                + " array(select e.enumlabel::text from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder),"
                + " pg_catalog.pg_get_userbyid(t.typowner)"
                + " from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace"
                + " where t.typtype = 'e' and n.nspname = any (?) and " + notInExtension("pg_type", "t.oid"))) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new EnumType(rs.getString(1), rs.getString(2), array(rs, 3), rs.getString(4)));
            }
        }
        out.sort(Comparator.comparing(EnumType::schema).thenComparing(EnumType::name));
        return out;
    }

    private static List<Sequence> sequences(Connection c, Array schemas) throws SQLException {
        List<Sequence> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, null), s.seqstart, s.seqincrement,"
                        + " s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
                        + " (select d.refobjid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(a.attname)"
                        + "    from pg_catalog.pg_depend d join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid"
                        + "   where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and d.objid = c.oid"
                        + "     and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass and d.deptype = 'a'),"
                        + " pg_catalog.pg_get_userbyid(c.relowner),"
                        + " coalesce(c.relacl, pg_catalog.acldefault('s', c.relowner))::text[]"
                        + " from pg_catalog.pg_sequence s join pg_catalog.pg_class c on c.oid = s.seqrelid"
                        + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                        + " where n.nspname = any (?) and " + notInExtension("pg_class", "c.oid")
                        // identity columns' sequences are part of the column
                        + " and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                        + "                 and d.objid = c.oid and d.deptype = 'i')")) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Sequence(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getLong(7),
                            rs.getLong(8),
                            rs.getBoolean(9),
                            rs.getString(10),
                            rs.getString(11),
                            sortedArray(rs, 12)));
                }
            }
        }
        out.sort(Comparator.comparing(Sequence::schema).thenComparing(Sequence::name));
        return out;
    }

    /** A table while its parts are read. */
    private static final class TableParts {
        final String[] head = new String[7];
        boolean unlogged;
        boolean rowSecurity;
        boolean forceRowSecurity;
        List<String> grants;
        final List<Column> columns = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();
        final List<Policy> policies = new ArrayList<>();

        Table build() {
            constraints.sort(Comparator.comparing(Constraint::name));
            policies.sort(Comparator.comparing(Policy::name));
            return new Table(
                    head[0],
                    head[1],
                    head[2],
                    unlogged,
                    head[3],
                    head[4],
                    head[5],
                    rowSecurity,
                    forceRowSecurity,
                    head[6],
                    grants,
                    columns,
                    constraints,
                    policies);
        }
    }

    private static Map<Long, TableParts> tables(Connection c, Array schemas) throws SQLException {
        Map<Long, TableParts> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select c.oid, n.nspname, c.relname,"
                + " case c.relkind when 'p' then 'partitioned table' when 'f' then 'foreign table' else 'table' end,"
                + " c.relpersistence = 'u',"
                + " (select i.inhparent::pg_catalog.regclass::text from pg_catalog.pg_inherits i where i.inhrelid = c.oid and c.relispartition),"
                + " case when c.relispartition then pg_catalog.pg_get_expr(c.relpartbound, c.oid) end,"
                + " case when c.relkind = 'p' then pg_catalog.pg_get_partkeydef(c.oid) end,"
                + " c.relrowsecurity, c.relforcerowsecurity, pg_catalog.pg_get_userbyid(c.relowner),"
                + " coalesce(c.relacl, pg_catalog.acldefault('r', c.relowner))::text[]"
                + " from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                + " where c.oid in (" + TABLE_OIDS + ")")) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableParts t = new TableParts();
                    t.head[0] = rs.getString(2);
                    t.head[1] = rs.getString(3);
                    t.head[2] = rs.getString(4);
                    t.unlogged = rs.getBoolean(5);
                    t.head[3] = rs.getString(6);
                    t.head[4] = rs.getString(7);
                    t.head[5] = rs.getString(8);
                    t.rowSecurity = rs.getBoolean(9);
                    t.forceRowSecurity = rs.getBoolean(10);
                    t.head[6] = rs.getString(11);
                    t.grants = sortedArray(rs, 12);
                    out.put(rs.getLong(1), t);
                }
            }
        }
        return out;
    }

    private static void columns(Connection c, Array schemas, Map<Long, TableParts> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), not a.attnotnull,"
                        + " case when a.attgenerated = '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end,"
                        + " case a.attidentity when 'a' then 'always' when 'd' then 'by default' end,"
                        + " case when a.attgenerated <> '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end,"
                        + " case when a.attcollation <> t.typcollation then"
                        + "   (select pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)"
                        + "      from pg_catalog.pg_collation co join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace"
                        + "     where co.oid = a.attcollation) end"
                        + " from pg_catalog.pg_attribute a join pg_catalog.pg_type t on t.oid = a.atttypid"
                        + " left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
                        + " where a.attrelid in (" + TABLE_OIDS + ") and a.attnum > 0 and not a.attisdropped"
                        + " order by a.attrelid, a.attnum")) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.get(rs.getLong(1))
                            .columns
                            .add(new Column(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getBoolean(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8)));
                }
            }
        }
    }

    private static void constraints(Connection c, Array schemas, Map<Long, TableParts> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select k.conrelid, k.conname,"
                + " case k.contype when 'p' then 'primary key' when 'u' then 'unique' when 'f' then 'foreign key'"
                + "   when 'c' then 'check' when 'x' then 'exclusion' when 't' then 'trigger' else k.contype::text end,"
                + " pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(k.oid), ' NOT VALID$', ''), k.convalidated"
                + " from pg_catalog.pg_constraint k"
                + " where k.conrelid in (" + TABLE_OIDS + ") and k.conparentid = 0 and k.conislocal"
                + " and k.contype <> 'n'")) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.get(rs.getLong(1))
                            .constraints
                            .add(new Constraint(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
    }

    private static void policies(Connection c, Array schemas, Map<Long, TableParts> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select p.polrelid, p.polname,"
                + " case p.polcmd when '*' then 'all' when 'r' then 'select' when 'a' then 'insert'"
                + "   when 'w' then 'update' when 'd' then 'delete' else p.polcmd::text end,"
                + " p.polpermissive,"
                + " array(select case when r.oid = 0 then 'public' else pg_catalog.pg_get_userbyid(r.oid)::text end"
                + "         from pg_catalog.unnest(p.polroles) as r(oid) order by 1),"
                + " pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)"
                + " from pg_catalog.pg_policy p where p.polrelid in (" + TABLE_OIDS + ")")) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.get(rs.getLong(1))
                            .policies
                            .add(new Policy(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getBoolean(4),
                                    array(rs, 5),
                                    rs.getString(6),
                                    rs.getString(7)));
                }
            }
        }
    }

    private static List<Index> indexes(Connection c, Array schemas) throws SQLException {
        List<Index> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select n.nspname, ic.relname, tc.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisvalid"
                        + " from pg_catalog.pg_index i"
                        + " join pg_catalog.pg_class ic on ic.oid = i.indexrelid"
                        + " join pg_catalog.pg_class tc on tc.oid = i.indrelid"
                        + " join pg_catalog.pg_namespace n on n.oid = ic.relnamespace"
                        + " where i.indrelid in (" + RELATION_OIDS + ") and not ic.relispartition")) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Index(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        out.sort(Comparator.comparing(Index::schema).thenComparing(Index::name));
        return out;
    }

    private static List<Trigger> triggers(Connection c, Array schemas, int version) throws SQLException {
        List<Trigger> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("select n.nspname, tc.relname, g.tgname, pg_catalog.pg_get_triggerdef(g.oid),"
                        + " case g.tgenabled when 'O' then 'origin' when 'A' then 'always' when 'R' then 'replica'"
                        + "   when 'D' then 'disabled' else g.tgenabled::text end"
                        + " from pg_catalog.pg_trigger g"
                        + " join pg_catalog.pg_class tc on tc.oid = g.tgrelid"
                        + " join pg_catalog.pg_namespace n on n.oid = tc.relnamespace"
                        + " where g.tgrelid in (" + RELATION_OIDS + ") and not g.tgisinternal"
                        + (version >= 130000 ? " and g.tgparentid = 0" : ""))) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Trigger(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        out.sort(Comparator.comparing(Trigger::schema)
                .thenComparing(Trigger::table)
                .thenComparing(Trigger::name));
        return out;
    }

    private static List<View> views(Connection c, Array schemas) throws SQLException {
        List<View> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("select n.nspname, c.relname, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid),"
                        + " pg_catalog.pg_get_userbyid(c.relowner),"
                        + " coalesce(c.relacl, pg_catalog.acldefault('r', c.relowner))::text[]"
                        + " from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                        + " where n.nspname = any (?) and c.relkind in ('v', 'm') and "
                        + notInExtension("pg_class", "c.oid"))) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new View(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getBoolean(3),
                            rs.getString(4),
                            rs.getString(5),
                            sortedArray(rs, 6)));
                }
            }
        }
        out.sort(Comparator.comparing(View::schema).thenComparing(View::name));
        return out;
    }

    private static List<Function> functions(Connection c, Array schemas, int version) throws SQLException {
        String body = version >= 140000
                ? "pg_catalog.md5(coalesce(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc))"
                : "pg_catalog.md5(p.prosrc)";
        List<Function> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("select n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes),"
                        + " case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate'"
                        + "   when 'w' then 'window function' else p.prokind::text end,"
                        + " pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid), l.lanname,"
                        + " case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,"
                        + " p.proisstrict, p.prosecdef, coalesce(p.proconfig, '{}')::text[], " + body + ","
                        + " pg_catalog.pg_get_userbyid(p.proowner),"
                        + " coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))::text[]"
                        + " from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace"
                        + " join pg_catalog.pg_language l on l.oid = p.prolang"
                        + " where n.nspname = any (?) and " + notInExtension("pg_proc", "p.oid"))) {
            ps.setArray(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Function(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getBoolean(9),
                            rs.getBoolean(10),
                            array(rs, 11),
                            rs.getString(12),
                            rs.getString(13),
                            sortedArray(rs, 14)));
                }
            }
        }
        out.sort(Comparator.comparing(Function::schema)
                .thenComparing(Function::name)
                .thenComparing(Function::argumentTypes));
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> array(ResultSet rs, int column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) return List.of();
        Object[] values = (Object[]) a.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) out.add(v == null ? "" : v.toString());
        return out;
    }

    private static List<String> sortedArray(ResultSet rs, int column) throws SQLException {
        List<String> out = new ArrayList<>(array(rs, column));
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
