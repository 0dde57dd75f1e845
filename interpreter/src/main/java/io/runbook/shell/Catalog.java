package io.runbook.shell;

import io.runbook.run.Session;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Tables, views and their columns, read from the catalog for completion. Read lazily on the first Tab and
 * again after anything that may have changed the schema. Read in the shell's session, so a phase's
 * uncommitted tables complete too; inside a transaction under a savepoint, so a failure cannot hurt it.
 */
final class Catalog {
    record Table(String schema, String name, boolean visible, List<String> columns) {}

    private static final String QUERY = """
            select n.nspname, c.relname, pg_catalog.pg_table_is_visible(c.oid), a.attname
            from pg_catalog.pg_class c
            join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relkind in ('r', 'v', 'm', 'p', 'f')
              and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
            order by n.nspname, c.relname, a.attnum""";

    private List<Table> tables = List.of();
    private boolean stale = true;

    /** Something may have changed the schema: read it again at the next completion. */
    void invalidate() {
        stale = true;
    }

    /** The tables, read again if stale; the last known ones when the session cannot be asked now. */
    List<Table> tables(Session session) {
        if (stale && session.txState() != Session.TxState.FAILED) {
            try {
                tables = session.look(Catalog::read);
                stale = false;
            } catch (SQLException e) {
                // keep what we had: completion is a convenience
            }
        }
        return tables;
    }

    private static List<Table> read(Connection c) throws SQLException {
        Map<String, Table> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(QUERY)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                String name = rs.getString(2);
                Table t = out.get(schema + "." + name);
                if (t == null) {
                    t = new Table(schema, name, rs.getBoolean(3), new ArrayList<>());
                    out.put(schema + "." + name, t);
                }
                String col = rs.getString(4);
                if (col != null) t.columns().add(col);
            }
        }
        return List.copyOf(out.values());
    }

    /** Schemas that hold tables. */
    static List<String> schemas(List<Table> tables) {
        TreeSet<String> s = new TreeSet<>();
        for (Table t : tables) s.add(t.schema());
        return List.copyOf(s);
    }
}
