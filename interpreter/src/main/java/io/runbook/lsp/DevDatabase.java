package io.runbook.lsp;

import io.runbook.db.ConnectionSettings;
import io.runbook.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development database a workspace names (setting runbook.database, or RUNBOOK_LSP_DB): its tables and columns,
 * read once and again after each save, for completion and hover inside SQL bodies. Read-only; a database that cannot
 * be reached only means no SQL completion.
 */
final class DevDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(DevDatabase.class);

    record Column(String name, String type) {}

    record Table(String schema, String name, String kind, List<Column> columns) {
        String qualified() {
            return schema + "." + name;
        }
    }

    private static final String QUERY = """
            select n.nspname, c.relname, c.relkind::text, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
            from pg_catalog.pg_class c
            join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relkind in ('r', 'v', 'm', 'p', 'f')
              and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
            order by n.nspname, c.relname, a.attnum""";

    private final String url;
    private final Map<String, String> env;
    private volatile List<Table> tables;

    DevDatabase(String url, Map<String, String> env) {
        this.url = url;
        this.env = env;
    }

    /** Something may have changed the schema: read it again when next asked. */
    void refresh() {
        tables = null;
    }

    List<Table> tables() {
        List<Table> t = tables;
        if (t == null) {
            t = read();
            tables = t;
        }
        return t;
    }

    Table table(String name) {
        for (Table t : tables()) if (t.name().equals(name) || t.qualified().equals(name)) return t;
        return null;
    }

    private List<Table> read() {
        ConnectionSettings settings = ConnectionSettings.resolve(url, env, System.getProperty("user.name"));
        try (Database db = Database.open(settings, "runbook lsp");
                Connection c = db.connection()) {
            c.setReadOnly(true);
            Map<String, Table> out = new LinkedHashMap<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(QUERY)) {
                while (rs.next()) {
                    String key = rs.getString(1) + "." + rs.getString(2);
                    Table t = out.computeIfAbsent(key, k -> {
                        try {
                            return new Table(
                                    rs.getString(1), rs.getString(2), kind(rs.getString(3)), new ArrayList<>());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    if (rs.getString(4) != null) t.columns().add(new Column(rs.getString(4), rs.getString(5)));
                }
            }
            return List.copyOf(out.values());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("runbook lsp: cannot read tables from the development database: {}", e.getMessage());
            return List.of();
        }
    }

    private static String kind(String relkind) {
        return switch (relkind) {
            case "v" -> "view";
            case "m" -> "materialized view";
            case "f" -> "foreign table";
            default -> "table";
        };
    }
}
