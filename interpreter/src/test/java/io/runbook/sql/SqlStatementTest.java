package io.runbook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlStatementTest {

    private static SqlStatement stmt(String sql) {
        SplitResult r = SqlSplitter.split(sql);
        assertThat(r.statements()).hasSize(1);
        return r.statements().get(0);
    }

    @Test
    void keywordIsFirstWordUpperCased() {
        assertThat(stmt("  create table t (x int)").keyword()).isEqualTo("CREATE");
        assertThat(stmt("/* c */ with x as (select 1) select * from x").keyword())
                .isEqualTo("WITH");
        assertThat(stmt("Begin").keyword()).isEqualTo("BEGIN");
        assertThat(stmt("((SELECT 1))").keyword()).isEqualTo("SELECT");
        assertThat(stmt(":cmd").keyword()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "BEGIN",
                "begin isolation level serializable",
                "START TRANSACTION",
                "COMMIT",
                "commit and chain",
                "END",
                "ROLLBACK",
                "ROLLBACK WORK",
                "ABORT",
                "COMMIT PREPARED 'tx1'",
                "ROLLBACK PREPARED 'tx1'",
                "PREPARE TRANSACTION 'tx1'"
            })
    void transactionControl(String sql) {
        assertThat(stmt(sql).isTransactionControl()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ROLLBACK TO SAVEPOINT s",
                "rollback to s",
                "ROLLBACK TRANSACTION TO SAVEPOINT s",
                "SAVEPOINT s",
                "RELEASE SAVEPOINT s",
                "PREPARE q AS SELECT 1",
                "START",
                "SELECT 'begin'",
                "BEGIN ATOMIC SELECT 1",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END"
            })
    void notTransactionControl(String sql) {
        assertThat(stmt(sql).isTransactionControl()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1",
                "(SELECT 1) UNION (SELECT 2)",
                "VALUES (1), (2)",
                "TABLE t",
                "SHOW search_path",
                "EXPLAIN ANALYZE INSERT INTO t VALUES (1)",
                "FETCH 10 FROM c",
                "CALL p(1)",
                "EXECUTE q(1)",
                "WITH x AS (SELECT 1) SELECT * FROM x",
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
                "WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d",
                "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x RETURNING id",
                "INSERT INTO t VALUES (1) RETURNING id",
                "INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET n = 2 RETURNING *",
                "UPDATE t SET n = 1 RETURNING n",
                "DELETE FROM t RETURNING *",
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING t.*",
                "COPY t TO STDOUT",
                "COPY (SELECT 1) TO stdout WITH (FORMAT csv)"
            })
    void returnsRows(String sql) {
        assertThat(stmt(sql).returnsRows()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "INSERT INTO t SELECT * FROM s",
                "INSERT INTO t VALUES (1)",
                "INSERT INTO t VALUES ('returning')",
                "UPDATE t SET note = 'x RETURNING y'",
                "UPDATE t SET \"returning\" = 1",
                "DELETE FROM t WHERE id IN (SELECT id FROM s)",
                "INSERT INTO t SELECT * FROM (WITH d AS (DELETE FROM s RETURNING *) SELECT * FROM d) q",
                "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
                "WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT 2) UPDATE t SET n = 1",
                "WITH d AS (DELETE FROM s RETURNING *) INSERT INTO t SELECT * FROM d",
                "SELECT * INTO new_t FROM t",
                "CREATE TABLE t (x int)",
                "SET search_path = x",
                "COPY t FROM STDIN",
                "COPY t TO '/tmp/t.csv'",
                "DO $$ BEGIN PERFORM 1; END $$"
            })
    void doesNotReturnRows(String sql) {
        assertThat(stmt(sql).returnsRows()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CREATE INDEX CONCURRENTLY i ON t (x)",
                "create unique index concurrently if not exists i on t (x)",
                "DROP INDEX CONCURRENTLY IF EXISTS i",
                "REINDEX INDEX CONCURRENTLY i",
                "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
                "REINDEX (CONCURRENTLY) TABLE t",
                "REINDEX DATABASE d",
                "REINDEX (VERBOSE) SCHEMA s",
                "VACUUM",
                "VACUUM (ANALYZE) t",
                "CREATE DATABASE d",
                "DROP DATABASE IF EXISTS d",
                "CREATE TABLESPACE ts LOCATION '/x'",
                "DROP TABLESPACE ts",
                "ALTER SYSTEM SET work_mem = '64MB'",
                "CLUSTER",
                "CLUSTER VERBOSE",
                "CLUSTER (VERBOSE)",
                "ALTER DATABASE d SET TABLESPACE ts",
                "DISCARD ALL",
                "ALTER TABLE p DETACH PARTITION c CONCURRENTLY"
            })
    void mustRunAlone(String sql) {
        assertThat(stmt(sql).mustRunAlone()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CREATE INDEX i ON t (x)",
                "DROP INDEX i",
                "REINDEX TABLE t",
                "ALTER TYPE mood ADD VALUE 'meh'",
                "CLUSTER t",
                "CLUSTER VERBOSE t USING i",
                "ANALYZE t",
                "ALTER DATABASE d SET work_mem = '1MB'",
                "ALTER TABLE p DETACH PARTITION c",
                "SELECT 'VACUUM'",
                "CREATE TABLE concurrently (x int)",
                "DISCARD PLANS"
            })
    void mayRunInATransaction(String sql) {
        assertThat(stmt(sql).mustRunAlone()).isFalse();
    }

    @Test
    void copyFromStdinIsRecognisedOnlyForCopy() {
        assertThat(stmt("COPY t (a) FROM STDIN WITH (FORMAT csv)").isCopyFromStdin())
                .isTrue();
        assertThat(stmt("COPY t FROM '/tmp/f'").isCopyFromStdin()).isFalse();
        assertThat(stmt("COPY (SELECT * FROM stdin) TO STDOUT").isCopyFromStdin())
                .isFalse();
        assertThat(stmt("SELECT * FROM stdin").isCopyFromStdin()).isFalse();
    }
}
