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
}
