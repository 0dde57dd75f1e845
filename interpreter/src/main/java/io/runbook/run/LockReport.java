package io.runbook.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Who holds or waits for locks in this database right now (pg_locks / pg_stat_activity), for the operator. */
public final class LockReport {
    /**
     * Sessions with an open transaction or waiting for a lock, those holding relation locks first, oldest
     * transaction first: when a lock wait gave up, the one that held it is among them (its wait is over, so
     * pg_blocking_pids cannot name it any more). ACCESS SHARE counts: a plain SELECT in an open transaction is
     * what most often keeps an ALTER waiting.
     */
    private static final String SQL = """
            select a.pid, coalesce(nullif(a.application_name, ''), '-') as app, a.usename, a.state,
                   coalesce(to_char(now() - a.xact_start, 'HH24:MI:SS'), '-') as xact_age,
                   coalesce(to_char(now() - a.query_start, 'HH24:MI:SS'), '-') as query_age,
                   coalesce((select string_agg(distinct upper(regexp_replace(regexp_replace(l.mode, 'Lock$', ''), '([a-z])([A-Z])', '\\1 \\2', 'g'))
                                                  || ' on ' || c.oid::regclass::text, ', ')
                             from pg_locks l join pg_class c on c.oid = l.relation
                             where l.pid = a.pid and l.locktype = 'relation' and l.granted
                               and c.relnamespace <> 'pg_catalog'::regnamespace and c.relkind not in ('i', 'I')), '') as holds,
                   coalesce(array_to_string(pg_blocking_pids(a.pid), ','), '') as blocked_by,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 80) as query
            from pg_stat_activity a
            where a.datname = current_database() and a.pid <> pg_backend_pid() and a.backend_type = 'client backend'
              and (a.xact_start is not null or cardinality(pg_blocking_pids(a.pid)) > 0)
            order by exists (select from pg_locks l where l.pid = a.pid and l.locktype = 'relation' and l.granted) desc,
                     a.xact_start nulls last
            limit 10""";

    private LockReport() {}

    /** The relation locks above ACCESS SHARE this session's open transaction holds, in the user's words. */
    private static final String HELD = """
            select upper(regexp_replace(regexp_replace(l.mode, 'Lock$', ''), '([a-z])([A-Z])', '\\1 \\2', 'g')) || ' on ' || c.oid::regclass::text
            from pg_locks l join pg_class c on c.oid = l.relation
            where l.pid = pg_backend_pid() and l.locktype = 'relation' and l.granted and l.mode <> 'AccessShareLock'
              and c.relnamespace <> 'pg_catalog'::regnamespace and c.relkind not in ('i', 'I')
            order by c.oid::regclass::text""";

    /**
     * What the session's open transaction locks above ACCESS SHARE ("ACCESS EXCLUSIVE on items"), for the
     * shell's prompt: readers queue behind these while a person thinks. Empty outside a transaction.
     */
    public static List<String> heldBy(Session session) {
        if (session.txState() != Session.TxState.OPEN) return List.of();
        // Straight on the connection: a typed BEGIN leaves JDBC in autocommit, where no savepoint can be set,
        // and a read of pg_locks in a healthy transaction does not fail.
        List<String> out = new ArrayList<>();
        try (Statement s = session.connection().createStatement();
                ResultSet rs = s.executeQuery(HELD)) {
            while (rs.next()) out.add(rs.getString(1));
        } catch (SQLException e) {
            return List.of();
        }
        return out;
    }

    /** One line a session with an open transaction or waiting for a lock; empty when there is none. */
    static List<String> lines(Connection c) {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(SQL)) {
            while (rs.next()) {
                String holds = rs.getString("holds");
                String blocked = rs.getString("blocked_by");
                out.add("pid " + rs.getInt("pid") + " (" + rs.getString("app") + ", " + rs.getString("usename") + ", "
                        + rs.getString("state") + ", transaction open " + rs.getString("xact_age")
                        + ", last query started " + rs.getString("query_age") + " ago)"
                        + (holds.isEmpty() ? "" : " holds " + holds)
                        + (blocked.isEmpty() ? "" : ", waits for pid " + blocked) + ": " + rs.getString("query"));
            }
        } catch (SQLException e) {
            out.add("(cannot read pg_locks: " + e.getMessage() + ")");
        }
        return out;
    }
}
