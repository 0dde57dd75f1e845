package io.runbook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.source.SourceFile;
import io.runbook.testing.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading SQL files as streams: statements, positions and COPY data across the reader's windows. */
class SqlStreamTest {
    @TempDir
    Path dir;

    private List<String> items(String text) throws Exception {
        Path p = Files.write(dir, "s.sql", text);
        List<String> out = new ArrayList<>();
        try (SqlStream s = SqlStream.open(new SourceFile("s.sql", p, null), n -> null, false)) {
            for (SqlStream.Item i = s.next(); i != null; i = s.next()) {
                if (i instanceof SqlStream.Statement st) {
                    out.add(st.origin().pos().line() + ":" + st.origin().pos().col() + " "
                            + st.statement().text());
                    if (st.copyFollows()) {
                        StringBuilder data = new StringBuilder();
                        s.copyData((b, off, len) ->
                                data.append(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8)));
                        out.add("data " + data.length());
                    }
                } else if (i instanceof SqlStream.Problem p2) {
                    out.add("problem " + p2.diagnostic().pos().line() + " "
                            + p2.diagnostic().message());
                }
            }
        }
        return out;
    }

    @Test
    void statementsAndCopyDataAcrossManyWindowsKeepTheirLines() throws Exception {
        StringBuilder sql = new StringBuilder("select 1;\ncopy t from stdin;\n");
        for (int i = 0; i < 50_000; i++) sql.append("row ").append(i).append('\n');
        sql.append("\\.\nselect $f$\n").append("x\n".repeat(40_000)).append("$f$;\n  select 'after';\n");
        List<String> got = items(sql.toString());
        assertThat(got).hasSize(5);
        assertThat(got.get(0)).isEqualTo("1:1 select 1");
        assertThat(got.get(1)).isEqualTo("2:1 copy t from stdin");
        assertThat(got.get(2)).isEqualTo("data " + (sql.indexOf("\\.") - sql.indexOf("row 0")));
        assertThat(got.get(3)).startsWith("50004:1 select $f$");
        assertThat(got.get(4)).isEqualTo("90006:3 select 'after'");
    }

    @Test
    void copyAtTheVeryEndOfAFileEndsWithAProblem() throws Exception {
        // No line break after the ';': the reader reaches the end of the file before the COPY data could start.
        Path p = Files.write(dir, "s.sql", "select 1;\ncopy t from stdin;");
        List<String> out = new ArrayList<>();
        try (SqlStream s = SqlStream.open(new SourceFile("s.sql", p, null), n -> null, true)) {
            for (SqlStream.Item i = s.next(); i != null; i = s.next()) {
                out.add(
                        i instanceof SqlStream.Problem pr
                                ? pr.diagnostic().pos().line() + " "
                                        + pr.diagnostic().message()
                                : ((SqlStream.Statement) i).statement().text());
            }
        }
        assertThat(out).containsExactly("select 1", "copy t from stdin", "2 COPY data not terminated by a line '\\.'");
    }

    @Test
    void checksumIsOfTheNormalisedTextSmallOrLarge() throws Exception {
        // A large file is hashed on a thread of its own while it is split: the checksum must not differ for that.
        StringBuilder big = new StringBuilder("copy t from stdin;\r\n");
        while (big.length() < Sha256.BACKGROUND_FROM + 100_000) big.append("1\tsome text\r\n");
        big.append("\\.\r\nselect 1;\r\n");
        for (String text : List.of("select 1;\r\nselect 2;\n", big.toString())) {
            Path p = dir.resolve("h.sql");
            java.nio.file.Files.write(p, ("\uFEFF" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            List<SqlStream.FileRead> files;
            try (SqlStream s = SqlStream.open(new SourceFile("h.sql", p, null), n -> null, true)) {
                for (SqlStream.Item i = s.next(); i != null; i = s.next())
                    assertThat(i).isNotInstanceOf(SqlStream.Problem.class);
                files = s.files();
            }
            byte[] normalised = text.replace("\r\n", "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String expected = java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(normalised));
            assertThat(files).hasSize(1);
            assertThat(files.get(0).file().size()).isEqualTo(normalised.length);
            assertThat(files.get(0).file().sha256()).isEqualTo(expected);
        }
    }
}
