package io.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.Cli;
import io.runbook.testing.Files;
import io.runbook.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret param's value, and what a let computes from it, appear nowhere a run writes: stdout, stderr
 * (--debug included), the three reports, the --log-file audit log and the journal (pg_dump -n runbook),
 * while the SQL got the real value. Runs go through echo, let, sql, sh, check labels, a server error
 * that quotes the value, a unique violation's DETAIL and failed expectations.
 */
class SecretRedactionTest {
    /** Quotes, a backslash and mixed case: the SQL literal, the identifier and the server's forms all differ. */
    static final String SECRET = "Zq9'-s3cr3t\"-\\Value";

    static final Pattern CORE = Pattern.compile("s3cr3t", Pattern.CASE_INSENSITIVE);

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forClass(SecretRedactionTest.class);

    @TempDir
    Path dir;

    @AfterEach
    void defaults() {
        LogSetup.reset();
    }

    @Test
    void aSecretAndWhatIsComputedFromItAppearNowhereARunWrites() throws Exception {
        Path params = Files.write(dir, "params.env", "api_key=" + SECRET + "\n");
        java.nio.file.Files.setPosixFilePermissions(params, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> outputs = new LinkedHashMap<>();

        // echo, a param and a let computed from the secret, sql with both, a check label, sh output, then a cast the
        // server refuses
        Cli first = run("used", """
                runbook "used" {
                  param api_key secret text
                  param header text = "Bearer ${api_key}"
                  phase "store" {
                    echo "key is ${api_key}"
                    let k = scalar $$ select upper(:'api_key') $$
                    echo "derived ${k}"
                    echo header
                    sql $$ create table got as select :'api_key'::text as key, :'k'::text as up $$
                    sql $$ select key, up from got $$
                    check "label ${api_key}" {
                      expect count $$ select 1 from got where key = :'api_key' $$ == 1
                    }
                  }
                  phase "shell" {
                    sh $$ psql -Atc "select key, lower(up) from got" $$
                  }
                  phase "cast" {
                    sql $$ select (:'api_key')::int $$
                  }
                }
                """, params, outputs);
        assertThat(first.exit).as(first.toString()).isEqualTo(4);
        assertThat(first.err).contains("invalid input syntax for type integer: \"(secret)\"");
        assertThat(first.out)
                .contains(
                        "key is (secret)",
                        "derived (secret)",
                        "\n  (secret)\n", // the header param, computed from the secret: secret as a whole
                        "let k = \"(secret)\"",
                        "ok label (secret)");
        assertThat(db.scalar("select key || '|' || up from got"))
                .isEqualTo(SECRET + "|" + SECRET.toUpperCase(Locale.ROOT)); // the SQL got the real values

        // failed expectations on the secret and on a let computed from it
        Cli second = run("expected", """
                runbook "expected" {
                  param api_key secret text
                  phase "length" {
                    let n = scalar $$ select length(:'api_key') $$
                    expect n == 3
                  }
                }
                """, params, outputs);
        assertThat(second.exit).as(second.toString()).isEqualTo(1);
        assertThat(second.err).contains("actual:   (secret)");
        Cli third = run("equal", """
                runbook "equal" {
                  param api_key secret text
                  phase "guard" {
                    expect api_key == "nope"
                  }
                }
                """, params, outputs);
        assertThat(third.exit).as(third.toString()).isEqualTo(1);
        assertThat(third.err).contains("actual:   (secret)");

        // a unique violation: the server's DETAIL quotes the key
        Cli fourth = run("unique", """
                runbook "unique" {
                  param api_key secret text
                  phase "twice" {
                    sql $$
                      create table u (k text unique);
                      insert into u values (:'api_key');
                      insert into u values (:'api_key');
                    $$
                  }
                }
                """, params, outputs);
        assertThat(fourth.exit).as(fourth.toString()).isEqualTo(4);
        assertThat(fourth.err).contains("DETAIL: Key (k)=((secret)) already exists.");

        outputs.put("pg_dump -n runbook", pgDump());
        assertThat(outputs.get("pg_dump -n runbook")).contains("(secret)"); // the journal has the masked rows
        Map<String, Integer> found = new LinkedHashMap<>();
        outputs.forEach((what, text) -> found.put(what, count(text)));
        assertThat(found)
                .as("occurrences of the secret")
                .allSatisfy((what, n) -> assertThat(n).as(what).isZero());
    }

    /** Runs the runbook with all three reports, the audit log and --debug; keeps every output under a name. */
    private Cli run(String name, String source, Path params, Map<String, String> outputs) throws Exception {
        Path file = Files.write(dir, name + ".runbook", source);
        Path md = dir.resolve(name + ".md");
        Path json = dir.resolve(name + ".json");
        Path junit = dir.resolve(name + ".xml");
        Path log = dir.resolve(name + ".jsonl");
        PrintStream original = System.err;
        ByteArrayOutputStream debug = new ByteArrayOutputStream();
        System.setErr(new PrintStream(debug, true, StandardCharsets.UTF_8));
        Cli r;
        try {
            r = Cli.run(
                    null,
                    Map.of(),
                    "run",
                    file.toString(),
                    "--db",
                    db.uri(),
                    "--yes",
                    "--param-file",
                    params.toString(),
                    "--report",
                    md.toString(),
                    "--json",
                    json.toString(),
                    "--junit",
                    junit.toString(),
                    "--log-file",
                    log.toString(),
                    "--debug");
        } finally {
            System.setErr(original);
            LogSetup.reset();
        }
        outputs.put(name + " stdout", r.out);
        outputs.put(name + " stderr", r.err);
        outputs.put(name + " --debug log", debug.toString(StandardCharsets.UTF_8));
        for (Path p : List.of(md, json, junit, log)) {
            assertThat(p).as(r.toString()).exists();
            outputs.put(p.getFileName().toString(), java.nio.file.Files.readString(p));
        }
        return r;
    }

    private static int count(String text) {
        Matcher m = CORE.matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private static String pgDump() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pg_dump", "-n", "runbook", "--dbname", db.uri()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(dump).isZero();
        return dump;
    }
}
