package io.runbook.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The record of every run in the target database: runs, phases and steps. It has a connection of its
 * own, in autocommit, so it never holds a transaction open (CREATE INDEX CONCURRENTLY waits for every
 * open transaction); only "phase applied" of a transactional phase is written on the runner's connection,
 * inside the phase's transaction, so the phase and its record commit together or not at all.
 */
public final class Journal {
    /** Jackson only where the journal is read back (reports): a run writes its params with json_object. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Connection connection;
    private final String schema;
    /** The phases' detail column: absent from a journal older than version 3 that a reader finds (it migrates nothing). */
    private String detail = "p.detail";
    /** The server pid of the session holding the runbook's lock (the one that runs the phases), once taken. */
    private Integer lockPid;
    /** That session and the lock's key, until the run's end releases the lock. */
    private Connection lockHolder;

    private long lockedKey;

    /** Who holds the runbook's lock: another runner; ending when it has no unfinished run. */
    public record Holder(int pid, String clientHost, String operator, Instant since, boolean ending) {}

    public record RunInfo(
            String command,
            String runbook,
            String file,
            String checksum,
            Map<String, String> params,
            String osUser,
            String clientHost,
            String clientVersion,
            boolean allowChanged,
            String target) {}

    /** The latest journal row for one phase. */
    public record PhaseRecord(
            long id,
            long runId,
            String phase,
            String status,
            boolean transactional,
            String checksum,
            String source,
            Instant started,
            Instant finished,
            String osUser,
            String dbUser,
            String detail) {
        public boolean done() {
            return status.equals("applied") || status.equals("baseline") || status.equals("marked_done");
        }

        /**
         * A `no transaction` phase left half-way, which the operator must decide on before it runs again: its
         * runner stopped without saying how far it got (started), or it failed after some statements committed
         * (partial: the detail says which).
         */
        public boolean interrupted() {
            return status.equals("started") || status.equals("partial");
        }

        /** A `no transaction` phase that failed with nothing of it committed: a run runs it again, as if it never ran. */
        public boolean failedClean() {
            return status.equals("failed");
        }

        /** "applied in run #3 at ... by alice": how a done phase came to be done. */
        public String describe() {
            String how = switch (status) {
                case "baseline" -> "marked applied by baseline";
                case "marked_done" -> "marked done";
                default -> "applied";
            };
            return how + " in run #" + runId + " at " + finished + " by " + osUser;
        }
    }

    public record StepRecord(
            String phase,
            String block,
            int index,
            String kind,
            String label,
            Instant started,
            Instant finished,
            String status,
            Long affected,
            Integer statements,
            String expected,
            String actual,
            String answer,
            String answeredBy,
            String sqlState,
            String message) {}

    public Journal(Connection connection, String schema) {
        this.connection = connection;
        this.schema = quoteIdent(schema);
    }

    public String schema() {
        return schema;
    }

    /**
     * For the commands that only read (status, report, plan --db): the journal as it is, or {@code null} when the
     * database has none. Creates and migrates nothing; a journal newer than this release is an error, as in
     * {@link #ensure()}. The journal tables a reader needs exist since version 1.
     */
    public static Journal existing(Connection connection, String schema) throws SQLException {
        Journal journal = new Journal(connection, schema);
        int found = JournalSchema.found(connection, journal.schema);
        if (found == 0) return null;
        if (found < 3) journal.detail = "null::text";
        if (found > JournalSchema.VERSION) {
            throw new SQLException(
                    "the journal in schema " + journal.schema + " is version " + found + ", newer than this runbook ("
                            + JournalSchema.VERSION + "): upgrade runbook",
                    "55000");
        }
        return journal;
    }

    /** Creates the journal on first use, or migrates an older one; the server ends its work if the runner dies. */
    public void ensure() throws SQLException {
        JournalSchema.ensure(connection, schema);
    }

    /** The lock on the journal's own connection: for commands that run no phases (baseline). */
    public Holder tryLock(String runbook, String operator, String host) throws SQLException {
        return tryLock(connection, runbook, operator, host);
    }

    /**
     * A session-level advisory lock keyed on the runbook's name, taken on `holder`: the session that runs
     * the phases. It dies with that session, so a killed runner never leaves it behind, yet ending any
     * other connection cannot free it while the run goes on, and a statement still running on the server
     * after its runner died (an orphan) keeps it, so no second run overlaps it. Returns null when taken,
     * else who holds it.
     *
     * <p>A holder with no unfinished run is a runner that has just ended (its session is still going away on the
     * server) or one about to write its run row: for that one the lock is waited for, at most
     * {@link #ENDING_HOLDER_WAIT}, rather than refused at once.
     */
    public Holder tryLock(Connection holder, String runbook, String operator, String host) throws SQLException {
        long key = lockKey(runbook);
        // One round trip. The session is named after its operator in the same statement: a runner refused in the
        // instant before the holder has written its run row can still say who holds the lock.
        try (PreparedStatement ps = holder.prepareStatement(
                "select set_config('application_name', left(?, 63), false), pg_try_advisory_lock(?), pg_backend_pid()")) {
            ps.setString(1, "runbook: " + operator + "@" + host);
            ps.setLong(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(2)) {
                    locked(holder, key, rs.getInt(3));
                    return null;
                }
            }
        }
        Holder h = holder(key);
        if (!h.ending()) return h;
        if (waitForEnding(holder, key)) return null;
        return holder(key); // still held after the wait: by whom now
    }

    /** How long a runner waits for the lock of a runner that has just ended: its session's end on the server. */
    static final String ENDING_HOLDER_WAIT = "2s";

    /** Waits (on the server, no polling) for the lock while the ending holder's session goes away; false on timeout. */
    private boolean waitForEnding(Connection holder, long key) throws SQLException {
        boolean auto = holder.getAutoCommit();
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("set local lock_timeout = '" + ENDING_HOLDER_WAIT + "'");
            try (ResultSet rs = s.executeQuery("select pg_advisory_lock(" + key + "), pg_backend_pid()")) {
                rs.next();
                locked(holder, key, rs.getInt(2));
            }
            holder.commit(); // a session-level lock outlives the transaction it was taken in
            return true;
        } catch (SQLException e) {
            holder.rollback();
            if ("55P03".equals(e.getSQLState())) return false; // lock_not_available: still held
            throw e;
        } finally {
            holder.setAutoCommit(auto);
        }
    }

    private void locked(Connection holder, long key, int pid) {
        lockHolder = holder;
        lockedKey = key;
        lockPid = pid;
    }

    /** Who holds the lock now; ending when that session has no unfinished run (it ended, or has not started yet). */
    private Holder holder(long key) throws SQLException {
        String sql =
                "select l.pid, coalesce(r.client_host, substring(a.application_name from '^runbook: .*@(.*)$'), host(a.client_addr), 'local'),"
                        + " coalesce(r.os_user, substring(a.application_name from '^runbook: (.*)@'), a.usename),"
                        + " coalesce(r.started, a.backend_start), r.id is null from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                        + " left join " + schema + ".runs r on r.backend_pid = l.pid and r.finished is null"
                        + " where l.locktype = 'advisory' and l.granted and l.classid = ?::int8::oid and l.objid = ?::int8::oid and l.objsubid = 1"
                        + " order by r.id desc nulls last limit 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return new Holder(0, "?", "?", Instant.now(), true);
                return new Holder(
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getBoolean(5));
            }
        }
    }

    /**
     * Releases the runbook's lock at the end of a run, before the session closes: the server frees a closed
     * session's locks a moment after its client has gone, and the next runner must not find this one's lock
     * there. Quiet when the session is gone (its lock went with it); bounded when the server does not answer.
     */
    private void unlock() {
        Connection holder = lockHolder;
        if (holder == null) return;
        lockHolder = null;
        try {
            int before = holder.getNetworkTimeout();
            holder.setNetworkTimeout(Runnable::run, UNLOCK_TIMEOUT_MS);
            try (Statement s = holder.createStatement()) {
                s.execute("select pg_advisory_unlock(" + lockedKey + ")");
            } finally {
                holder.setNetworkTimeout(Runnable::run, before);
            }
        } catch (SQLException ignored) {
            // the session is gone or busy: the server frees the lock when it ends
        }
    }

    private static final int UNLOCK_TIMEOUT_MS = 2000;

    static long lockKey(String runbook) {
        byte[] h = sha256Bytes("runbook lock: " + runbook);
        long k = 0;
        for (int i = 0; i < 8; i++) k = (k << 8) | (h[i] & 0xff);
        return k;
    }

    public long startRun(RunInfo info) throws SQLException {
        String sql = "insert into " + schema
                + ".runs (command, runbook, file, checksum, params, os_user, db_user, client_host,"
                + " client_version, backend_pid, allow_changed, target) values (?, ?, ?, ?, json_object(?::text[], ?::text[]), ?, current_user, ?, ?,"
                + " coalesce(?, pg_backend_pid()), ?, ?)"
                + " returning id";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, info.command());
            ps.setString(2, info.runbook());
            ps.setString(3, info.file());
            ps.setString(4, info.checksum());
            ps.setArray(
                    5, connection.createArrayOf("text", info.params().keySet().toArray()));
            ps.setArray(
                    6, connection.createArrayOf("text", info.params().values().toArray()));
            ps.setString(7, info.osUser());
            ps.setString(8, info.clientHost());
            ps.setString(9, info.clientVersion());
            // the pid of the session holding the lock: a refused runner finds the holder's run by it
            ps.setObject(10, lockPid, java.sql.Types.INTEGER);
            ps.setBoolean(11, info.allowChanged());
            ps.setString(12, info.target());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Records the run's end, and releases the runbook's lock if this journal took it: the run is over. Both go in one
     * statement on the session holding the lock when it is idle (the usual end); else, or when that fails, the end is
     * recorded on the journal's connection and the lock released on its own, as {@link #unlock()} says.
     */
    public void finishRun(long runId, int exitCode, String outcome) throws SQLException {
        String update =
                "update " + schema + ".runs set finished = clock_timestamp(), exit_code = ?, outcome = ? where id = ?";
        if (endOnHolder(update, runId, exitCode, outcome)) return;
        try (PreparedStatement ps = connection.prepareStatement(update)) {
            ps.setInt(1, exitCode);
            ps.setString(2, outcome);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
        unlock();
    }

    /**
     * The run's end row and the lock's release, in one autocommitted statement on the lock's session: only when no
     * transaction is open there (one left open would take the end row with it when the session closes). Bounded as
     * {@link #unlock()} is; false when not done, and then the lock is still held.
     */
    private boolean endOnHolder(String update, long runId, int exitCode, String outcome) {
        Connection holder = lockHolder;
        if (holder == null) return false;
        try {
            if (holder.isClosed() || holder.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE)
                return false;
            int before = holder.getNetworkTimeout();
            holder.setNetworkTimeout(Runnable::run, UNLOCK_TIMEOUT_MS);
            try (PreparedStatement ps =
                    holder.prepareStatement("with ended as (" + update + ") select pg_advisory_unlock(?)")) {
                ps.setInt(1, exitCode);
                ps.setString(2, outcome);
                ps.setLong(3, runId);
                ps.setLong(4, lockedKey);
                ps.executeQuery().close();
            } finally {
                holder.setNetworkTimeout(Runnable::run, before);
            }
            lockHolder = null;
            return true;
        } catch (SQLException e) {
            return false; // the journal's own connection records the end; the lock is released on its own, or goes with
            // the session
        }
    }

    /** The latest record of each phase of a runbook, by phase name. */
    public Map<String, PhaseRecord> phases(String runbook) throws SQLException {
        String sql =
                "select distinct on (p.phase) p.id, p.run_id, p.phase, p.status, p.transactional, p.checksum, p.source, p.started,"
                        + " p.finished, r.os_user, r.db_user, " + detail + " from " + schema + ".phases p join "
                        + schema
                        + ".runs r on r.id = p.run_id"
                        + " where p.runbook = ? order by p.phase, p.id desc";
        Map<String, PhaseRecord> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, runbook);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PhaseRecord r = phaseRecord(rs);
                    out.put(r.phase(), r);
                }
            }
        }
        return out;
    }

    private static PhaseRecord phaseRecord(ResultSet rs) throws SQLException {
        return new PhaseRecord(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getBoolean(5),
                rs.getString(6),
                rs.getString(7),
                instant(rs.getTimestamp(8)),
                instant(rs.getTimestamp(9)),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12));
    }

    /**
     * Records a phase's state, with what is known of it in words (detail: what a failed `no transaction` phase
     * left; else null). For the "applied" record of a transactional phase, pass the runner's connection: the
     * insert then commits with the phase.
     */
    public void recordPhase(
            Connection on,
            long runId,
            String runbook,
            String phase,
            String status,
            boolean transactional,
            String checksum,
            String source,
            Instant started,
            String detail)
            throws SQLException {
        String sql = "insert into " + schema
                + ".phases (run_id, runbook, phase, status, transactional, checksum, source, started, detail)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = (on == null ? connection : on).prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, runbook);
            ps.setString(3, phase);
            ps.setString(4, status);
            ps.setBoolean(5, transactional);
            ps.setString(6, checksum);
            ps.setString(7, source);
            ps.setTimestamp(8, started == null ? null : Timestamp.from(started));
            ps.setString(9, detail);
            ps.executeUpdate();
        }
    }

    public void recordStep(long runId, StepRecord s) throws SQLException {
        recordStep(connection, runId, s);
    }

    /** A step row written on `on`: the runner's connection, inside the transaction it belongs to. */
    public void recordStep(Connection on, long runId, StepRecord s) throws SQLException {
        String sql = "insert into " + schema
                + ".steps (run_id, phase, block, step_index, kind, label, started, finished, status,"
                + " affected, statements, expected, actual, answer, answered_by, sqlstate, message)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = on.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, s.phase());
            ps.setString(3, s.block());
            ps.setInt(4, s.index());
            ps.setString(5, s.kind());
            ps.setString(6, s.label());
            ps.setTimestamp(7, Timestamp.from(s.started()));
            ps.setTimestamp(8, Timestamp.from(s.finished()));
            ps.setString(9, s.status());
            ps.setObject(10, s.affected());
            ps.setObject(11, s.statements());
            ps.setString(12, s.expected());
            ps.setString(13, s.actual());
            ps.setString(14, s.answer());
            ps.setString(15, s.answeredBy());
            ps.setString(16, s.sqlState());
            ps.setString(17, s.message());
            ps.executeUpdate();
        }
    }

    /**
     * The labels (`... [from, to)`) of the keyset batch ranges journaled as committed in a phase since that phase was
     * last applied, rolled back, baselined or marked done: what an interrupted batch need not do again. Ranges run
     * at once (`parallel`) commit out of key order, so every one is listed, not only the newest.
     */
    public List<String> finishedRanges(String runbook, String phase, String labelPrefix) throws SQLException {
        String sql = "select s.label from " + schema + ".steps s join " + schema + ".runs r on r.id = s.run_id"
                + sinceApplied() + " and starts_with(s.label, ?) and s.actual is not null order by s.id";
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = sinceApplied(sql, runbook, phase)) {
            ps.setString(5, labelPrefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** One batch of a phase: how many of its ranges (or rounds) committed, their rows, and whether it is keyed. */
    public record BatchTally(String batch, long committed, long rows, boolean keyset) {}

    /**
     * What each batch of a phase committed since the phase was last applied (the ranges {@link #finishedRanges}
     * lists, and the rounds of a batch without a key), in the order the batches began.
     */
    public List<BatchTally> committedBatches(String runbook, String phase) throws SQLException {
        String batch = "regexp_replace(coalesce(s.label, 'batch'), ' \\[[^\\[]*\\)$', '')";
        String sql = "select " + batch + ", count(*), coalesce(sum(s.affected), 0), bool_and(s.actual is not null)"
                + " from " + schema + ".steps s join " + schema + ".runs r on r.id = s.run_id" + sinceApplied()
                + " group by 1 order by min(s.id)";
        List<BatchTally> out = new ArrayList<>();
        try (PreparedStatement ps = sinceApplied(sql, runbook, phase)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new BatchTally(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4)));
            }
        }
        return out;
    }

    /** Batch rows of a phase committed since it was last applied, rolled back, baselined or marked done. */
    private String sinceApplied() {
        return " where r.runbook = ? and s.phase = ? and s.block = 'phase' and s.kind = 'batch' and s.status = 'ok'"
                + " and s.run_id > coalesce((select max(p.run_id) from " + schema + ".phases p"
                + " where p.runbook = ? and p.phase = ? and p.status not in ('started', 'failed', 'partial')), 0)";
    }

    private PreparedStatement sinceApplied(String sql, String runbook, String phase) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        ps.setString(1, runbook);
        ps.setString(2, phase);
        ps.setString(3, runbook);
        ps.setString(4, phase);
        return ps;
    }

    public void saveSnapshot(long runId, String runbook, String name, String json) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into " + schema + ".snapshots (run_id, runbook, name, schema) values (?, ?, ?, ?::json)")) {
            ps.setLong(1, runId);
            ps.setString(2, runbook);
            ps.setString(3, name);
            ps.setString(4, json);
            ps.executeUpdate();
        }
    }

    public String loadSnapshot(String runbook, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select schema::text from " + schema
                + ".snapshots where runbook = ? and name = ? order by id desc limit 1")) {
            ps.setString(1, runbook);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ------------------------------------------------------------------ reading back, for status and reports

    public record RunRow(
            long id,
            String command,
            String runbook,
            String file,
            String checksum,
            Map<String, String> params,
            String osUser,
            String dbUser,
            String clientHost,
            String clientVersion,
            boolean allowChanged,
            Instant started,
            Instant finished,
            String outcome,
            Integer exitCode,
            String target) {}

    public RunRow run(long id) throws SQLException {
        String sql =
                "select id, command, runbook, file, checksum, params::text, os_user, db_user, client_host, client_version,"
                        + " allow_changed, started, finished, outcome, exit_code, target from " + schema
                        + ".runs where id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                @SuppressWarnings("unchecked")
                Map<String, String> params = Json.MAPPER.readValue(rs.getString(6), LinkedHashMap.class);
                Instant finished = instant(rs.getTimestamp(13));
                String outcome = finished == null ? unfinished(id) : rs.getString(14);
                return new RunRow(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        params,
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        rs.getBoolean(11),
                        instant(rs.getTimestamp(12)),
                        finished,
                        outcome,
                        (Integer) rs.getObject(15),
                        rs.getString(16));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("journal run " + id + " has unreadable params: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the run has not finished and its runner's session is still on the server (it is running now). */
    public boolean running(long runId) throws SQLException {
        String sql =
                "select exists (select 1 from " + schema + ".runs r join pg_stat_activity a on a.pid = r.backend_pid"
                        + " and a.backend_start <= r.started where r.id = ? and r.finished is null)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** What is known of a run without an outcome: it is running now, or its runner stopped without saying how. */
    private String unfinished(long runId) throws SQLException {
        return running(runId)
                ? "still running: its session is active on the server"
                : "unfinished: the runner stopped without recording an outcome (killed, or its connection was lost);"
                        + " the server rolled back the transaction of any phase under way";
    }

    /** The newest run of a runbook, or null. */
    public Long latestRun(String runbook) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("select max(id) from " + schema + ".runs where runbook = ?")) {
            ps.setString(1, runbook);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        }
    }

    public List<PhaseRecord> phasesOfRun(long runId) throws SQLException {
        String sql =
                "select p.id, p.run_id, p.phase, p.status, p.transactional, p.checksum, p.source, p.started, p.finished,"
                        + " r.os_user, r.db_user, " + detail + " from " + schema + ".phases p join " + schema
                        + ".runs r on r.id = p.run_id"
                        + " where p.run_id = ? order by p.id";
        List<PhaseRecord> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(phaseRecord(rs));
            }
        }
        return out;
    }

    public List<StepRecord> steps(long runId) throws SQLException {
        String sql =
                "select phase, block, step_index, kind, label, started, finished, status, affected, statements, expected, actual,"
                        + " answer, answered_by, sqlstate, message from " + schema
                        + ".steps where run_id = ? order by id";
        List<StepRecord> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepRecord(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getInt(3),
                            rs.getString(4),
                            rs.getString(5),
                            instant(rs.getTimestamp(6)),
                            instant(rs.getTimestamp(7)),
                            rs.getString(8),
                            (Long) rs.getObject(9),
                            (Integer) rs.getObject(10),
                            rs.getString(11),
                            rs.getString(12),
                            rs.getString(13),
                            rs.getString(14),
                            rs.getString(15),
                            rs.getString(16)));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static String sha256(String text) {
        return java.util.HexFormat.of().formatHex(sha256Bytes(text)); // lower case, as before
    }

    private static byte[] sha256Bytes(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
