package io.runbook.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Where `run` goes: never a guess, always said before anything changes; sockets, several hosts, services. */
class TargetTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(TargetTest.class);

    @TempDir
    Path dir;

    Path runbook;

    @BeforeEach
    void write() {
        db.reset();
        runbook = Files.write(dir, "t.runbook", """
                runbook "target" {
                  phase "one" {
                    sql $$ create table made_here (id int) $$
                  }
                }
                """);
    }

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("HOME", dir.toString());
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void runWithNoTargetOfAnyKindIsRefusedBeforeConnecting() {
        // PGPORT=1 and PGUSER name no database: connecting would fail with exit 3, not be refused with 2
        for (String command : new String[] {"run", "rollback", "baseline"}) {
            String[] args = command.equals("baseline")
                    ? new String[] {command, runbook.toString(), "--through", "one"}
                    : new String[] {command, runbook.toString(), "--yes"};
            Cli r = Cli.run(null, env("PGPORT", "1", "PGUSER", "postgres"), args);
            assertThat(r.exit).as(r.toString()).isEqualTo(2);
            assertThat(r.err)
                    .contains("no target database")
                    .contains("--db")
                    .contains("PGSERVICE")
                    .contains("nothing was run");
        }
    }

    @Test
    void theTargetIsPrintedBeforeAnythingChangesWithoutThePassword() {
        Cli r = Cli.run(
                null,
                env(),
                "run",
                runbook.toString(),
                "--yes",
                "--db",
                "postgresql://postgres:Sup3rS3cret@127.0.0.1:5432/" + db.name());
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out.lines().findFirst().orElse(""))
                .isEqualTo("target: postgres@127.0.0.1:5432/" + db.name() + " (from --db)");
        assertThat(r.all()).doesNotContain("Sup3rS3cret");
    }

    @Test
    void runOverAUnixDomainSocket() {
        String socketDir = db.scalar("select split_part(current_setting('unix_socket_directories'), ',', 1)")
                .strip();
        Cli r = Cli.run(
                null,
                env(),
                "run",
                runbook.toString(),
                "--yes",
                "--db",
                "postgresql:///" + db.name() + "?host=" + socketDir + "&user=postgres");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("target: postgres@" + socketDir + ":5432/" + db.name());
        assertThat(db.tableExists("made_here")).isTrue();
        // and PGHOST naming the directory, as libpq takes it
        Cli status = Cli.run(
                null,
                env("PGHOST", socketDir, "PGUSER", "postgres", "PGDATABASE", db.name()),
                "status",
                runbook.toString());
        assertThat(status.exit).as(status.toString()).isEqualTo(0);
        assertThat(status.out).contains("applied");
    }

    @Test
    void severalHostsWithADeadOneFirstStillConnect() {
        Cli r = Cli.run(
                null,
                env(),
                "run",
                runbook.toString(),
                "--yes",
                "--db",
                "postgresql://postgres@127.0.0.1:1,127.0.0.1:5432/" + db.name() + "?target_session_attrs=read-write");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(db.tableExists("made_here")).isTrue();
    }

    @Test
    void serviceFromPgServiceConf() {
        Path services = Files.write(
                dir,
                "services.conf",
                "[scratch]\nhost=127.0.0.1\nport=5432\nuser=postgres\ndbname=" + db.name() + "\n");
        Cli r = Cli.run(
                null,
                env("PGSERVICEFILE", services.toString()),
                "run",
                runbook.toString(),
                "--yes",
                "--db",
                "service=scratch");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("target: postgres@127.0.0.1:5432/" + db.name());
        assertThat(db.tableExists("made_here")).isTrue();

        Cli unknown = Cli.run(
                null,
                env("PGSERVICEFILE", services.toString(), "PGSERVICE", "nope"),
                "run",
                runbook.toString(),
                "--yes");
        assertThat(unknown.exit).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err).contains("service \"nope\" is not defined in " + services);
    }
}
