package io.runbook.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.schema.SchemaSnapshot.Column;
import io.runbook.schema.SchemaSnapshot.Table;
import io.runbook.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a snapshot holds, read from a real database. */
class SchemaSnapshotTest {
    static TestDatabase db;
    static SchemaSnapshot snapshot;

    @BeforeAll
    static void create() throws SQLException {
        db = new TestDatabase(SchemaSnapshotTest.class);
        Scripts.run(db, """
                create schema app;
                create schema runbook;
                create table runbook.journal (id int);
                create extension citext schema app;
                create type app.status as enum ('new', 'done');
                alter type app.status add value 'doing' before 'done';
                create sequence app.invoice_no increment by 10;
                create table app."Orders" (
                  id bigint generated always as identity primary key,
                  no int not null default nextval('app.invoice_no'),
                  status app.status not null default 'new',
                  email app.citext,
                  code text collate "C",
                  total numeric(10, 2) check (total >= 0),
                  doubled numeric generated always as (total * 2) stored
                );
                alter table app."Orders" add column legacy int;
                alter table app."Orders" drop column legacy;
                create table app.items (id serial primary key, order_id bigint);
                alter table app.items add constraint items_order_fk foreign key (order_id) references app."Orders" (id) not valid;
                create index items_order_idx on app.items (order_id);
                alter table app.items enable row level security;
                create policy mine on app.items for select to postgres using (order_id > 0);
                create function app.touch() returns trigger language plpgsql as $$ begin return new; end $$;
                create trigger items_touch before update on app.items for each row execute function app.touch();
                create function app.add(a int, b int default 1) returns int language sql immutable strict as 'select a + b';
                create function app.twice(x int) returns int language sql begin atomic select x * 2; end;
                create view app.open_orders as select id from app."Orders" where status <> 'done';
                create materialized view app.totals as select count(*) as n from app."Orders";
                create table app.events (id int, at date) partition by range (at);
                create table app.events_2025 partition of app.events for values from ('2025-01-01') to ('2026-01-01');
                create index events_at_idx on app.events (at);
                grant select on app.items to public;
                """);
        try (Connection c = db.connect()) {
            snapshot = SchemaSnapshot.capture(c, List.of());
        }
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static Table table(String schema, String name) {
        return snapshot.tables().stream()
                .filter(t -> t.schema().equals(schema) && t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Column column(Table t, String name) {
        return t.columns().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void leavesOutSystemSchemasAndTheJournal() {
        assertThat(snapshot.schemas()).extracting(SchemaSnapshot.Schema::name).containsExactly("app", "public");
        assertThat(snapshot.tables()).noneMatch(t -> t.schema().equals("runbook"));
        assertThat(snapshot.format()).isEqualTo(SchemaSnapshot.FORMAT);
    }

    @Test
    void columnsInTableOrderWithQualifiedTypesDefaultsIdentityAndGenerated() {
        Table orders = table("app", "Orders");
        assertThat(orders.columns())
                .extracting(Column::name)
                .containsExactly("id", "no", "status", "email", "code", "total", "doubled");
        assertThat(column(orders, "id")).isEqualTo(new Column("id", "bigint", false, null, "always", null, null));
        assertThat(column(orders, "no").defaultValue()).isEqualTo("nextval('app.invoice_no'::regclass)");
        assertThat(column(orders, "status"))
                .isEqualTo(new Column("status", "app.status", false, "'new'::app.status", null, null, null));
        assertThat(column(orders, "email").type()).isEqualTo("app.citext");
        assertThat(column(orders, "code").collation()).isEqualTo("pg_catalog.\"C\"");
        assertThat(column(orders, "total"))
                .isEqualTo(new Column("total", "numeric(10,2)", true, null, null, null, null));
        assertThat(column(orders, "doubled").generated()).isEqualTo("(total * (2)::numeric)");
        assertThat(column(orders, "doubled").defaultValue()).isNull();
    }

    @Test
    void constraintsWithoutTheNotValidSuffix() {
        Table items = table("app", "items");
        assertThat(items.constraints())
                .containsExactly(
                        new SchemaSnapshot.Constraint(
                                "items_order_fk",
                                "foreign key",
                                "FOREIGN KEY (order_id) REFERENCES app.\"Orders\"(id)",
                                false),
                        new SchemaSnapshot.Constraint("items_pkey", "primary key", "PRIMARY KEY (id)", true));
        assertThat(table("app", "Orders").constraints())
                .extracting(SchemaSnapshot.Constraint::definition)
                .contains("CHECK ((total >= (0)::numeric))");
    }

    @Test
    void indexesWithValidityButNotPartitionsOfPartitionedIndexes() {
        assertThat(snapshot.indexes())
                .extracting(SchemaSnapshot.Index::name)
                .containsExactly("Orders_pkey", "events_at_idx", "items_order_idx", "items_pkey");
        assertThat(snapshot.indexes())
                .contains(new SchemaSnapshot.Index(
                        "app",
                        "items_order_idx",
                        "items",
                        "CREATE INDEX items_order_idx ON app.items USING btree (order_id)",
                        true));
    }

    @Test
    void partitionsAreTablesWithTheirParentAndBound() {
        assertThat(table("app", "events").kind()).isEqualTo("partitioned table");
        assertThat(table("app", "events").partitionKey()).isEqualTo("RANGE (at)");
        Table p = table("app", "events_2025");
        assertThat(p.partitionOf()).isEqualTo("app.events");
        assertThat(p.partitionBound()).isEqualTo("FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
    }

    @Test
    void enumValuesInSortOrder() {
        assertThat(snapshot.enums())
                .containsExactly(
                        new SchemaSnapshot.EnumType("app", "status", List.of("new", "doing", "done"), "postgres"));
    }

    @Test
    void sequencesWithOwnerColumnButNotIdentitySequences() {
        assertThat(snapshot.sequences())
                .extracting(SchemaSnapshot.Sequence::name)
                .containsExactly("invoice_no", "items_id_seq");
        SchemaSnapshot.Sequence serial = snapshot.sequences().get(1);
        assertThat(serial.ownedBy()).isEqualTo("app.items.id");
        assertThat(serial.type()).isEqualTo("integer");
        assertThat(snapshot.sequences().get(0).increment()).isEqualTo(10);
        assertThat(snapshot.sequences().get(0).ownedBy()).isNull();
    }

    @Test
    void functionsWithSignatureAndBodyHashButNotExtensionMembers() {
        assertThat(snapshot.functions())
                .extracting(f -> f.name() + "(" + f.argumentTypes() + ")")
                .containsExactly("add(integer, integer)", "touch()", "twice(integer)");
        SchemaSnapshot.Function add = snapshot.functions().get(0);
        assertThat(add.arguments()).isEqualTo("a integer, b integer DEFAULT 1");
        assertThat(add.volatility()).isEqualTo("immutable");
        assertThat(add.strict()).isTrue();
        assertThat(add.bodyMd5()).isEqualTo(db.scalar("select md5('select a + b')"));
        assertThat(snapshot.functions().get(2).bodyMd5()).hasSize(32); // a SQL-standard body
        assertThat(snapshot.extensions())
                .extracting(SchemaSnapshot.Extension::name)
                .contains("citext", "plpgsql");
        assertThat(snapshot.enums()).noneMatch(e -> e.name().equals("citext"));
    }

    @Test
    void viewsTriggersPoliciesAndGrants() {
        assertThat(snapshot.views())
                .extracting(v -> v.name() + " " + v.materialized())
                .containsExactly("open_orders false", "totals true");
        assertThat(snapshot.views().get(0).definition()).contains("FROM app.\"Orders\"");
        assertThat(snapshot.triggers()).extracting(SchemaSnapshot.Trigger::name).containsExactly("items_touch");
        assertThat(snapshot.triggers().get(0).enabled()).isEqualTo("origin");
        Table items = table("app", "items");
        assertThat(items.rowSecurity()).isTrue();
        assertThat(items.policies())
                .containsExactly(
                        new SchemaSnapshot.Policy("mine", "select", true, List.of("postgres"), "(order_id > 0)", null));
        assertThat(items.grants()).containsExactly("=r/postgres", "postgres=arwdDxt/postgres");
        assertThat(table("app", "Orders").grants())
                .containsExactly("postgres=arwdDxt/postgres"); // the owner's defaults
    }

    @Test
    void namedSchemasOnlyAndMissingOnesLeftOut() throws SQLException {
        try (Connection c = db.connect()) {
            SchemaSnapshot s = SchemaSnapshot.capture(c, List.of("runbook", "nope"));
            assertThat(s.schemas()).extracting(SchemaSnapshot.Schema::name).containsExactly("runbook");
            assertThat(s.tables()).extracting(Table::name).containsExactly("journal");
            SchemaSnapshot other = SchemaSnapshot.capture(c, List.of(), Set.of("app", "runbook"));
            assertThat(other.schemas()).extracting(SchemaSnapshot.Schema::name).containsExactly("public");
        }
    }

    @Test
    void leavesTheConnectionAsItWas() throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("set search_path = app, public");
            SchemaSnapshot.capture(c, List.of("app"));
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(string(s, "show search_path")).isEqualTo("app, public");

            c.setAutoCommit(false);
            s.execute("create table app.inside (id int)");
            SchemaSnapshot inside = SchemaSnapshot.capture(c, List.of("app"));
            assertThat(inside.tables()).extracting(Table::name).contains("inside"); // sees the open transaction
            assertThat(string(s, "show search_path")).isEqualTo("app, public");
            c.rollback();
        }
    }

    @Test
    void jsonRoundTripGivesAnEqualSnapshot() {
        String json = snapshot.toJson();
        assertThat(json).contains("\"format\" : 1").contains("\"Orders\"");
        SchemaSnapshot back = SchemaSnapshot.fromJson(json);
        assertThat(back).isEqualTo(snapshot);
        assertThat(SchemaDiff.between(snapshot, back).isEmpty()).isTrue();
        assertThat(SchemaSnapshot.fromJson("{\"format\": 1, \"later\": true}").tables())
                .isEmpty();
    }

    private static String string(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
