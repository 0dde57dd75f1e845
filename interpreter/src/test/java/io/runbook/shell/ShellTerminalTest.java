package io.runbook.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import io.runbook.testing.Tmux;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `runbook shell` in a real terminal: tmux runs it, send-keys types, capture-pane -e shows the screen with its colours. */
class ShellTerminalTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(ShellTerminalTest.class);

    @TempDir
    Path dir;

    @Test
    void promptTableResultAndColourInARealTerminal() {
        assumeTrue(Tmux.installed(), "tmux is not installed");
        db.execute("create table t_items (id int, name text); insert into t_items values (1, 'bolt'), (2, 'nut')");
        Path rb = Files.write(dir, "t.runbook", """
                runbook "t" {
                  phase "one" { sql $$ insert into t_items values (3, 'washer') $$ }
                }
                """);
        String command = Tmux.runbook(
                "shell",
                rb.toString(),
                "--db",
                db.uri(),
                "--history",
                dir.resolve("history").toString());
        try (Tmux tmux = Tmux.start("runbook-shell-test", "env TERM=xterm-256color " + command + "; sleep 60")) {
            String start = tmux.waitForColoured("[phase 1/1]=>", 30);
            assertThat(start).contains("runbook shell").contains("phase 1/1 \"one\"");
            tmux.type("select id, name from t_items order by id\\;");
            tmux.press("Enter");
            String pane = tmux.waitForColoured("(2 rows)", 30);
            String plain = pane.replaceAll("\u001b\\[[0-9;]*m", "");
            assertThat(plain).contains(" id | name").contains("  1 | bolt").contains("  2 | nut");
            assertThat(pane)
                    .as("colour: the prompt in bold, SQL keywords highlighted")
                    .contains("\u001b[");
            assertThat(pane).containsPattern("\u001b\\[[0-9;]*m(\u001b\\[[0-9;]*m)*select");

            tmux.type("next");
            tmux.press("Enter");
            tmux.waitForColoured("[phase 1/1]=*>", 30);
            tmux.type("next");
            tmux.press("Enter");
            tmux.waitForColoured("[done]=>", 30);
            tmux.type("quit");
            tmux.press("Enter");
            assertThat(db.scalar("select count(*) from t_items")).isEqualTo("3");
        }
    }
}
