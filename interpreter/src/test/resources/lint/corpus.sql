-- The lint corpus: dangerous and safe statements, judged for a large, busy PostgreSQL 15 table that the
-- runbook did not create (orders, customers, users, bookings, measurements, sales_summary, domain email,
-- enum status, legacy). LintCorpusTest runs every case as its own runbook and prints the counts.
--
-- A case starts with `-- case EXPECT [options]`: EXPECT is `safe` (no warning or error may be reported) or the
-- rules that must be reported, comma-separated, and nothing else. Options: no-transaction (a `no transaction`
-- phase), no-rollback (the phase has no rollback block), batch (the statement is a `batch` step), pg=N
-- (--pg-version N). `-- phase [no-transaction]` starts a later phase of the same case. The `--` line under
-- the header says why.

-- ============================================================ dangerous

-- case create-index-not-concurrently
-- SHARE lock on orders for the whole build: every INSERT/UPDATE/DELETE waits.
CREATE INDEX orders_customer_idx ON orders (customer_id);

-- case create-index-not-concurrently
-- the same, unique, schema-qualified, partial.
CREATE UNIQUE INDEX IF NOT EXISTS orders_ref_key ON ONLY public.orders USING btree (ref) WHERE ref IS NOT NULL;

-- case constraint-not-valid
-- SHARE ROW EXCLUSIVE on orders and customers while every row is checked.
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);

-- case constraint-not-valid
-- ACCESS EXCLUSIVE while every row is checked.
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);

-- case constraint-not-valid
-- validating in the transaction that added it NOT VALID keeps ADD's lock through the scan.
ALTER TABLE orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_qty_positive;

-- case constraint-builds-index
-- ADD PRIMARY KEY builds the index under ACCESS EXCLUSIVE (pg_locks: orders AccessExclusiveLock + ShareLock).
ALTER TABLE orders ADD PRIMARY KEY (id);

-- case constraint-builds-index
-- ADD UNIQUE builds the index under ACCESS EXCLUSIVE.
ALTER TABLE orders ADD CONSTRAINT orders_ref_unique UNIQUE (ref);

-- case constraint-builds-index
-- an exclusion constraint builds its index under ACCESS EXCLUSIVE, and cannot be added USING INDEX.
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);

-- case constraint-builds-index
-- a new column with UNIQUE: an index over every row, built under ACCESS EXCLUSIVE.
ALTER TABLE orders ADD COLUMN external_ref text UNIQUE;

-- case drop-index-not-concurrently
-- ACCESS EXCLUSIVE on orders: waits for every running query and blocks all behind it.
DROP INDEX orders_customer_idx;

-- case drop-index-not-concurrently
-- several at once, schema-qualified.
DROP INDEX IF EXISTS public.orders_a_idx, orders_b_idx CASCADE;

-- case reindex-not-concurrently
-- SHARE on orders (writes wait), ACCESS EXCLUSIVE on the index (queries planning with it wait).
REINDEX INDEX orders_customer_idx;

-- case reindex-not-concurrently
-- every index of the table, same locks.
REINDEX TABLE orders;

-- case reindex-not-concurrently no-transaction
-- every table of the schema, one after the other.
REINDEX SCHEMA public;

-- case table-rewrite no-transaction
-- VACUUM FULL rewrites orders under ACCESS EXCLUSIVE.
VACUUM FULL orders;

-- case table-rewrite no-transaction
-- the same, written with options.
VACUUM (FULL, ANALYZE, VERBOSE) orders;

-- case table-rewrite
-- CLUSTER rewrites orders under ACCESS EXCLUSIVE (pg_locks: AccessExclusiveLock).
CLUSTER orders USING orders_customer_idx;

-- case table-rewrite no-transaction
-- every table clustered before.
CLUSTER;

-- case refresh-not-concurrently
-- ACCESS EXCLUSIVE on the view while its query runs: every read of it waits.
REFRESH MATERIALIZED VIEW sales_summary;

-- case lock-table
-- ACCESS EXCLUSIVE by default: reads and writes wait until COMMIT.
LOCK TABLE orders;

-- case lock-table
-- SHARE blocks writes until COMMIT.
LOCK orders IN SHARE MODE;

-- case alter-column-type
-- to varchar(50) from a type the runbook does not show: a shrink or another type is checked and rewritten.
ALTER TABLE users ALTER COLUMN name TYPE varchar(50);

-- case alter-column-type
-- shrinking a varchar(100) the runbook added: every value checked, table rewritten (pg_locks: AccessExclusiveLock + rewrite).
ALTER TABLE users ADD COLUMN nickname varchar(100);
-- phase
ALTER TABLE users ALTER COLUMN nickname TYPE varchar(20);

-- case alter-column-type
-- int to bigint rewrites the table and its indexes under ACCESS EXCLUSIVE.
ALTER TABLE orders ALTER COLUMN id SET DATA TYPE bigint;

-- case not-null-column-without-default
-- fails on a table with rows ("column contains null values"); inserts that do not name it fail after.
ALTER TABLE orders ADD COLUMN region text NOT NULL;

-- case drop-not-null
-- instant, but readers may not expect NULL and the way back scans under ACCESS EXCLUSIVE.
ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;

-- case set-not-null
-- every row checked under ACCESS EXCLUSIVE.
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;

-- case domain-constraint
-- every column of type email checked under SHARE (pg_locks: ShareLock on each table using it).
ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');

-- case domain-constraint
-- the same scan for NOT NULL.
ALTER DOMAIN email SET NOT NULL;

-- case domain-constraint
-- on PostgreSQL 15 validating a domain constraint still takes SHARE on every table using it (pg_locks).
ALTER DOMAIN email VALIDATE CONSTRAINT email_has_at;

-- case detach-partition-not-concurrently
-- ACCESS EXCLUSIVE on the partitioned table and the partition.
ALTER TABLE measurements DETACH PARTITION measurements_2020;

-- case truncate-cascade,unguarded-bulk-change
-- empties every table with a foreign key to orders, unnamed here.
TRUNCATE orders CASCADE;

-- case volatile-default
-- a volatile default: a value per row, the table rewritten under ACCESS EXCLUSIVE.
ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();

-- case volatile-default
-- bigserial: nextval for every row, rewritten.
ALTER TABLE orders ADD COLUMN seq bigserial;

-- case volatile-default pg=10
-- before PostgreSQL 11 any default rewrites the table.
ALTER TABLE orders ADD COLUMN priority int DEFAULT 0;

-- case add-enum-value-in-transaction pg=11
-- PostgreSQL 11 refuses ADD VALUE inside a transaction block.
ALTER TYPE status ADD VALUE 'archived';

-- case add-enum-value-in-transaction
-- the new value is used before the transaction that added it commits: PostgreSQL refuses.
ALTER TYPE status ADD VALUE 'archived';
UPDATE orders SET status = 'archived' WHERE closed_at < now() - interval '1 year';

-- case rename
-- running application instances still use the old name.
ALTER TABLE orders RENAME COLUMN note TO remark;

-- case rename
-- the same for the table.
ALTER TABLE orders RENAME TO purchases;

-- case unguarded-bulk-change
-- every row deleted, nothing checks the count.
DELETE FROM orders;

-- case unguarded-bulk-change batch
-- a batch whose UPDATE has no WHERE never makes progress towards `affected == 0`.
UPDATE orders SET total = 0

-- case concurrently-in-transaction
-- a DO block always runs in a transaction: PostgreSQL refuses.
DO $$ BEGIN CREATE INDEX CONCURRENTLY orders_c_idx ON orders (c); END $$;

-- case constraint-not-valid
-- inside a DO block too.
DO $$ BEGIN ALTER TABLE orders ADD CONSTRAINT orders_customer_fk2 FOREIGN KEY (customer_id) REFERENCES customers (id); END $$;

-- case drop-without-rollback no-rollback
-- gone for good: the phase has no way back.
ALTER TABLE orders DROP COLUMN legacy_code;

-- case drop-without-rollback no-rollback
-- the same for a table.
DROP TABLE legacy;

-- case create-index-not-concurrently
-- audit.orders is new; public.orders is not: schemas are told apart.
CREATE TABLE audit.orders (id bigint, customer_id bigint);
CREATE INDEX audit_orders_customer_idx ON public.orders (customer_id);

-- ============================================================ safe

-- case safe no-transaction
-- CONCURRENTLY: writes go on during the build.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);

-- case safe
-- a table the runbook created: nobody uses it yet.
CREATE TABLE order_notes (id bigint PRIMARY KEY, order_id bigint, body text);
CREATE INDEX order_notes_order_idx ON order_notes (order_id);
ALTER TABLE order_notes ADD CONSTRAINT order_notes_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE order_notes ADD COLUMN created_at timestamptz NOT NULL;

-- case safe
-- a materialized view created earlier in the same file and transaction (16 false positives in one real migration directory).
CREATE MATERIALIZED VIEW daily_totals AS SELECT date_trunc('day', created_at) AS day, sum(total) AS total FROM orders GROUP BY 1;
CREATE UNIQUE INDEX daily_totals_day ON daily_totals (day);
REFRESH MATERIALIZED VIEW daily_totals;

-- case safe
-- NOT VALID now, VALIDATE in a later phase (SHARE UPDATE EXCLUSIVE: writes go on).
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
-- phase
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;

-- case safe
-- SET NOT NULL after a validated CHECK (col IS NOT NULL) skips the scan.
ALTER TABLE orders ADD CONSTRAINT orders_customer_nn CHECK (customer_id IS NOT NULL) NOT VALID;
-- phase
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_nn;
-- phase
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;

-- case safe no-transaction
-- the index built concurrently, then the constraint takes it over with a brief lock.
CREATE UNIQUE INDEX CONCURRENTLY orders_ref_idx ON orders (ref);
-- phase
ALTER TABLE orders ADD CONSTRAINT orders_ref_unique UNIQUE USING INDEX orders_ref_idx;

-- case safe no-transaction
-- the same for a primary key.
CREATE UNIQUE INDEX CONCURRENTLY orders_id_idx ON orders (id);
-- phase
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_idx;

-- case safe no-transaction
-- CONCURRENTLY: no lock that blocks queries.
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;

-- case safe no-transaction
-- CONCURRENTLY (PostgreSQL 12+).
REINDEX INDEX CONCURRENTLY orders_customer_idx;

-- case safe no-transaction
-- the same for a table.
REINDEX TABLE CONCURRENTLY orders;

-- case safe no-transaction
-- plain VACUUM: SHARE UPDATE EXCLUSIVE, reads and writes go on.
VACUUM (ANALYZE) orders;

-- case safe
-- EXCLUSIVE on the view: reads go on (pg_locks: no AccessExclusiveLock).
REFRESH MATERIALIZED VIEW CONCURRENTLY sales_summary;

-- case safe
-- SHARE UPDATE EXCLUSIVE lets reads and writes through (keeps out other DDL and VACUUM).
LOCK TABLE orders IN SHARE UPDATE EXCLUSIVE MODE;

-- case safe
-- widening a varchar the runbook added: no rewrite, no scan (pg_locks: AccessExclusiveLock only, instant).
ALTER TABLE users ADD COLUMN display_name varchar(20);
-- phase
ALTER TABLE users ALTER COLUMN display_name TYPE varchar(100);

-- case safe
-- a NOT NULL column with a constant default: instant since PostgreSQL 11.
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';

-- case safe
-- a stable default (now()) is evaluated once: no rewrite.
ALTER TABLE orders ADD COLUMN imported_at timestamptz DEFAULT now();

-- case safe
-- a nullable column without default: catalog only.
ALTER TABLE orders ADD COLUMN note2 text;

-- case safe
-- NOT VALID on a domain: new values are checked, old rows are not scanned (pg_locks: no table locked).
ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID;

-- case safe
-- a domain the runbook created: no column uses it yet.
CREATE DOMAIN positive_amount AS numeric(12, 2);
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);

-- case safe no-transaction
-- CONCURRENTLY (PostgreSQL 14+).
ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;

-- case safe
-- a table the runbook created, emptied without CASCADE.
CREATE TABLE staging_orders (LIKE orders);
TRUNCATE staging_orders;

-- case safe
-- ADD VALUE in a transaction works on 12+ when the value is not used before COMMIT.
ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived';

-- case safe no-transaction
-- added outside a transaction, used in a later phase.
ALTER TYPE status ADD VALUE 'archived';
-- phase
UPDATE orders SET status = 'archived' WHERE closed_at < now() - interval '1 year';

-- case safe
-- a WHERE: not a bulk change.
DELETE FROM orders WHERE id = 42;

-- case safe batch
-- a batch that walks the rows in small transactions.
UPDATE orders SET region = 'eu' WHERE id IN (SELECT id FROM orders WHERE region IS NULL LIMIT 5000)

-- case safe
-- the schema-qualified table the runbook created.
CREATE TABLE audit.orders (id bigint, customer_id bigint);
CREATE INDEX audit_orders_customer_idx ON audit.orders (customer_id);
ALTER TABLE audit.orders ADD PRIMARY KEY (id);

-- case safe
-- an index on a table the runbook created, dropped again.
CREATE TABLE import_rows (id bigint, batch int);
CREATE INDEX import_rows_batch_idx ON import_rows (batch);
DROP INDEX import_rows_batch_idx;

-- case safe
-- setting a default: catalog only, applies to new rows.
ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0;

-- case safe
-- dropping a constraint: catalog only.
ALTER TABLE orders DROP CONSTRAINT orders_total_positive;

-- case safe
-- comments, grants, ANALYZE: no lock that blocks reads or writes.
COMMENT ON TABLE orders IS 'customer orders';
GRANT SELECT ON orders TO reporting;
ANALYZE orders;

-- case safe
-- a phase with a rollback block may drop: the way back exists.
DROP TABLE legacy;

-- case safe
-- inserting rows: row locks only.
INSERT INTO order_archive (id, total) SELECT id, total FROM orders WHERE closed_at < '2020-01-01';

-- case safe
-- renaming a table the runbook created.
CREATE TABLE orders_new (id bigint);
ALTER TABLE orders_new RENAME TO orders_next;
CREATE INDEX orders_next_id ON orders_next (id);
