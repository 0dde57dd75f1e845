package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Secret params come from a file, the environment or the terminal; the command line works, with a warning. */
class SecretParamsTest {
    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(SecretParamsTest.class);

    @TempDir
    Path dir;

    Path runbook;

    @BeforeEach
    void write() {
        db.reset();
        runbook = Files.write(dir, "s.runbook", """
                runbook "secrets" {
                  param api_key secret text
                  param from_env secret text = env("RB_TEST_TOKEN", "unset")
                  param rows int = 1
                  phase "store" {
                    sql $$ create table got as select :'api_key'::text as key, :'from_env'::text as token, :rows::int as n $$
                  }
                }
                """);
    }

    @Test
    void paramFileGivesASecretWithoutTheCommandLineAndEnvDefaultsWork() throws Exception {
        Path params = Files.write(dir, "params.env", "# for the run\napi_key=s3cr3t=with=equals\nrows=7\n");
        java.nio.file.Files.setPosixFilePermissions(params, PosixFilePermissions.fromString("rw-------"));
        Cli r = Cli.run(
                null,
                Map.of("RB_TEST_TOKEN", "t0ken"),
                "run",
                runbook.toString(),
                "--db",
                db.uri(),
                "--yes",
                "--param-file",
                params.toString());
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.err).doesNotContain("WARNING");
        assertThat(db.scalar("select key || ' ' || token || ' ' || n from got"))
                .isEqualTo("s3cr3t=with=equals t0ken 7");
    }

    @Test
    void aSecretOnTheCommandLineWarnsThatPsShowsIt() {
        Cli r = Cli.run("run", runbook.toString(), "--db", db.uri(), "--yes", "-p", "api_key=s3cr3t", "-p", "rows=2");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.err)
                .contains(
                        "WARNING: --param api_key: a secret on the command line can be read by other users of this machine (ps")
                .doesNotContain("--param rows");
    }

    @Test
    void aMissingSecretWithoutATerminalSaysWhereToGiveIt() throws Exception {
        Path params = Files.write(dir, "open.env", "api_key=s3cr3t\n");
        java.nio.file.Files.setPosixFilePermissions(params, PosixFilePermissions.fromString("rw-r--r--"));
        Cli r = Cli.run("run", runbook.toString(), "--db", db.uri(), "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(2);
        assertThat(r.err)
                .contains("param api_key has no default and no value was given")
                .contains("--param-file");
        Cli open = Cli.run("run", runbook.toString(), "--db", db.uri(), "--yes", "--param-file", params.toString());
        assertThat(open.exit).as(open.toString()).isEqualTo(0);
        assertThat(open.err).contains("holds a secret and other users can read it: chmod 600");
    }
}
