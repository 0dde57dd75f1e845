package io.runbook.fmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runbook.source.RunbookException;
import io.runbook.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatterTest {
    static final Path ROOT = Path.of(System.getProperty("runbook.root", ".."));

    @TempDir
    Path dir;

    static List<Path> examples() throws Exception {
        try (Stream<Path> s = Files.walk(ROOT.resolve("examples"))) {
            return s.filter(p -> p.toString().endsWith(".runbook")).sorted().toList();
        }
    }

    @Test
    void everyExampleIsFormattedAndFormattingTwiceChangesNothing() throws Exception {
        assertThat(examples()).hasSizeGreaterThanOrEqualTo(5);
        for (Path p : examples()) {
            String text = Files.readString(p);
            String once = Formatter.format(p.toString(), p, text);
            assertThat(once).as(p.toString()).isEqualTo(text);
            assertThat(Formatter.format(p.toString(), p, once)).as(p.toString()).isEqualTo(once);
        }
        Cli check = Cli.run("fmt", "--check", ROOT.resolve("examples").toString());
        assertThat(check.exit).as(check.toString()).isZero();
        assertThat(check.out).isEmpty();
    }

    @Test
    void aMessyFileGetsTheCanonicalLayoutKeepingCommentsAndSql() {
        String messy = """


                # the orders table
                import "stdlib/catalog"
                runbook   "x"{
                      param n int=3      # expected rows
                set lock_timeout="5s"



                phase "one" no transaction retry( attempts=3 ,sleep=1s ) {
                sql $$ update orders
                         set x = 1 $$
                expect affected == n
                    -- a comment on its own line
                expect not table_exists( "old" , "public" )and(n*2>-1)
                }
                }
                """;
        String expected = """
                # the orders table
                import "stdlib/catalog"
                runbook "x" {
                  param n int = 3      # expected rows
                  set lock_timeout = "5s"

                  phase "one" no transaction retry(attempts = 3, sleep = 1s) {
                    sql $$ update orders
                         set x = 1 $$
                      expect affected == n
                    -- a comment on its own line
                    expect not table_exists("old", "public") and (n * 2 > -1)
                  }
                }
                """;
        String out = Formatter.format("x.runbook", null, messy);
        assertThat(out).isEqualTo(expected);
        assertThat(Formatter.format("x.runbook", null, out)).isEqualTo(out);
    }

    @Test
    void aKeysetBatchKeepsItsQualifiedTableTogetherAndItsSizeLineIndented() {
        String messy = """
                runbook "k" {
                  phase "p" no transaction {
                batch   over public . accounts   by id
                size 10000 $$ update accounts set y = 1 where id >= :batch_from and id < :batch_to $$   pause 10ms
                  }
                }
                """;
        assertThat(Formatter.format("k.runbook", null, messy)).isEqualTo("""
                runbook "k" {
                  phase "p" no transaction {
                    batch over public.accounts by id
                      size 10000 $$ update accounts set y = 1 where id >= :batch_from and id < :batch_to $$ pause 10ms
                  }
                }
                """);
    }

    @Test
    void aFileThatDoesNotParseIsLeftAlone() throws Exception {
        Path file = dir.resolve("broken.runbook");
        Files.writeString(file, "runbook \"x\" {\n  phase \"a\" {\n");
        assertThatThrownBy(() -> Formatter.format("broken.runbook", file, Files.readString(file)))
                .isInstanceOf(RunbookException.class);
        Cli fmt = Cli.run("fmt", file.toString());
        assertThat(fmt.exit).isEqualTo(2);
        assertThat(fmt.err).contains("broken.runbook:2:13").contains("never closed");
        assertThat(Files.readString(file)).isEqualTo("runbook \"x\" {\n  phase \"a\" {\n");
    }

    @Test
    void checkNamesTheFilesThatWouldChangeAndFmtRewritesThem() throws Exception {
        Path good = dir.resolve("good.runbook");
        Path bad = dir.resolve("sub/bad.runbook");
        Files.createDirectories(bad.getParent());
        Files.writeString(good, "runbook \"g\" {\n  phase \"a\" {\n    echo \"hi\"\n  }\n}\n");
        Files.writeString(bad, "runbook \"b\" {\nphase \"a\" {\necho \"hi\"\n}\n}\n");

        Cli check = Cli.run("fmt", "--check", dir.toString());
        assertThat(check.exit).isEqualTo(1);
        assertThat(check.out.strip()).isEqualTo(bad.toString());
        assertThat(check.err).contains("1 file is not formatted");
        assertThat(Files.readString(bad)).startsWith("runbook \"b\" {\nphase");

        Cli fmt = Cli.run("fmt", dir.toString());
        assertThat(fmt.exit).isZero();
        assertThat(fmt.out.strip()).isEqualTo("formatted " + bad);
        assertThat(Files.readString(bad)).isEqualTo("runbook \"b\" {\n  phase \"a\" {\n    echo \"hi\"\n  }\n}\n");
        assertThat(Cli.run("fmt", "--check", dir.toString()).exit).isZero();
    }
}
