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

    /** COPY data as it goes to the server, and where the statement after it is said to start. */
    private List<String> copyThenSelect(String data, String end, boolean checking) throws Exception {
        Path p = Files.write(dir, "c.sql", "copy t from stdin;\n" + data + end + "select 'after';\n");
        List<String> out = new ArrayList<>();
        try (SqlStream s = SqlStream.open(new SourceFile("c.sql", p, null), n -> null, checking)) {
            for (SqlStream.Item i = s.next(); i != null; i = s.next()) {
                if (i instanceof SqlStream.Statement st && st.copyFollows()) {
                    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                    if (!checking) s.copyData(got::write);
                    out.add(got.toString(java.nio.charset.StandardCharsets.UTF_8));
                } else if (i instanceof SqlStream.Statement st) {
                    out.add(st.origin().pos().line() + ":" + st.origin().pos().col() + " "
                            + st.statement().text());
                } else {
                    out.add("problem " + ((SqlStream.Problem) i).diagnostic().message());
                }
            }
        }
        return out;
    }

    @Test
    void copyDataEndsOnlyAtALineThatIsExactlyBackslashDotWhereverItFalls() throws Exception {
        // Lines with backslashes (NULLs, escapes, \. not alone on its line) among plain ones; the data's end falls
        // before, on and after the scanner's block (4 KB) and buffer (1 MB) boundaries.
        java.util.Random random = new java.util.Random(11);
        String[] odd = {"\\N\tx", "\\.x", "a\\.", "\\", "\\.\\.", "", " \\."};
        for (int size : new int[] {0, 1, 4093, 4094, 4095, 4096, 4097, 9000, (1 << 20) - 3, (1 << 20) + 2, 2_500_000}) {
            StringBuilder data = new StringBuilder();
            while (data.length() < size) {
                String line = random.nextInt(4) == 0
                        ? odd[random.nextInt(odd.length)]
                        : "r".repeat(random.nextInt(random.nextInt(10) == 0 ? 6000 : 80));
                data.append(line).append('\n');
            }
            int lines = data.length() - data.toString().replace("\n", "").length();
            String after = (3 + lines) + ":1 select 'after'";
            for (boolean checking : new boolean[] {true, false}) {
                assertThat(copyThenSelect(data.toString(), "\\.\n", checking))
                        .as("%d bytes of data, checking %s", data.length(), checking)
                        .containsExactly(checking ? "" : data.toString(), after);
            }
        }
    }

    @Test
    void copyDataEndingWithBackslashDotAtTheEndOfTheFileIsWhole() throws Exception {
        Path p = Files.write(dir, "e.sql", "copy t from stdin;\n1\n\\N\n" + "x".repeat(5000) + "\n\\.");
        try (SqlStream s = SqlStream.open(new SourceFile("e.sql", p, null), n -> null, false)) {
            assertThat(s.next()).isInstanceOf(SqlStream.Statement.class);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            assertThat(s.copyData(got::write)).isTrue();
            assertThat(got.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("1\n\\N\n" + "x".repeat(5000) + "\n");
            assertThat(s.next()).isNull();
        }
    }
}
