package io.runbook.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In the shell a person holds a transaction open by design: the prompt says what it locks, and an abandoned one ends. */
class ShellLocksTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        db = new TestDatabase(ShellLocksTest.class);
        db.execute("create table items (id int primary key, qty int); insert into items values (1, 10)");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void thePromptShowsLocksAboveAccessShareAndAnAbandonedTransactionHasATimeout() {
        try (ShellDriver sh = ShellDriver.start("--db", db.uri(), "--history=" + dir.resolve("history"))) {
            sh.prompt();
            assertThat(sh.line("show idle_in_transaction_session_timeout;")).contains("15min");
            sh.line("begin;");
            assertThat(sh.line("select * from items;")).as("ACCESS SHARE only").doesNotContain("holding");
            assertThat(sh.line("alter table items add column note text;"))
                    .contains("holding ACCESS EXCLUSIVE on items");
            assertThat(sh.line("rollback;")).doesNotContain("holding");
            sh.line("begin;");
            assertThat(sh.line("update items set qty = 11;")).contains("holding ROW EXCLUSIVE on items");
            sh.line("rollback;");
        }
    }
}
