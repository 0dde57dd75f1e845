package io.runbook.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a SQL source into statements the way psql does (src/bin/psql/psqlscan.l): at ';'
 * outside quotes, dollar quotes, comments, parentheses and BEGIN ATOMIC function bodies.
 * One pass over the characters; records psql variable references, inline COPY data and the
 * problems (psql meta-commands, unterminated constructs) on the way.
 */
public final class SqlSplitter {

  private final String s;
  private final SqlLexer lx;
  private final List<SqlStatement> statements = new ArrayList<>();
  private final List<SqlProblem> problems = new ArrayList<>();

  // State of the statement being scanned; stmtStart < 0 until its first token.
  private int stmtStart = -1;
  private int lastEnd;
  private int parenDepth;
  private int beginDepth;
  private int wordCount;
  private final char[] leadWords = new char[4];
  private List<VarRef> vars;
  private boolean isCopy;
  private boolean afterFrom;
  private boolean copyFromStdin;

  private SqlSplitter(String source) {
    this.s = source;
    this.lx = new SqlLexer(source);
  }

  public static SplitResult split(String source) {
    return new SqlSplitter(source).run();
  }

  private SplitResult run() {
    while (true) {
      SqlLexer.Type t = lx.next();
      if (lx.unterminated != null) {
        problems.add(lx.unterminated);
        lx.unterminated = null;
      }
      switch (t) {
        case EOF -> {
          endStatement(-1, false);
          // COPY data problems are found after the statement's own ones: keep source order.
          problems.sort(Comparator.comparingInt(SqlProblem::offset));
          return new SplitResult(statements, problems);
        }
        case SEMI -> {
          if (parenDepth == 0 && beginDepth == 0) {
            endStatement(lx.end, true);
            continue;
          }
        }
        case BACKSLASH -> {
          metaCommand(lx.start);
          continue;
        }
        default -> { }
      }
      token(t);
    }
  }

  private void token(SqlLexer.Type t) {
    if (stmtStart < 0) {
      stmtStart = lx.start;
    }
    lastEnd = lx.end;
    boolean from = false;
    switch (t) {
      case LPAREN -> parenDepth++;
      case RPAREN -> {
        if (parenDepth > 0) {
          parenDepth--;
        }
      }
      case WORD -> {
        word();
        if (parenDepth == 0) {
          if (afterFrom && isCopy && lx.is("STDIN")) {
            copyFromStdin = true;
          }
          from = lx.is("FROM");
        }
      }
      case VAR -> {
        // :1 is not a variable name we track: it is how an array slice a[1:3] looks.
        if (!SqlLexer.isDigit(s.charAt(lx.nameStart))) {
          if (vars == null) {
            vars = new ArrayList<>();
          }
          vars.add(new VarRef(lx.start - stmtStart, lx.end - stmtStart,
              s.substring(lx.nameStart, lx.nameEnd), lx.varKind));
        }
      }
      default -> { }
    }
    afterFrom = from;
  }

  /**
   * psql 15's heuristic for SQL-standard function bodies: once a statement starts with
   * CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN (and CASE within it) opens a block that
   * END closes, and ';' inside such a block does not end the statement.
   */
  private void word() {
    if (wordCount == 0) {
      Arrays.fill(leadWords, '\0');
      isCopy = lx.is("COPY");
    }
    if (wordCount < leadWords.length && (lx.is("CREATE") || lx.is("FUNCTION")
        || lx.is("PROCEDURE") || lx.is("OR") || lx.is("REPLACE"))) {
      leadWords[wordCount] = Character.toLowerCase(s.charAt(lx.start));
    }
    wordCount++;
    char[] w = leadWords;
    boolean createRoutine = w[0] == 'c' && (w[1] == 'f' || w[1] == 'p'
        || (w[1] == 'o' && w[2] == 'r' && (w[3] == 'f' || w[3] == 'p')));
    if (createRoutine && parenDepth == 0) {
      if (lx.is("BEGIN")) {
        beginDepth++;
      } else if (lx.is("CASE")) {
        if (beginDepth >= 1) {
          beginDepth++;
        }
      } else if (lx.is("END") && beginDepth > 0) {
        beginDepth--;
      }
    }
  }

  /**
   * A backslash outside quotes. psql's \; and \: escapes are reported and skipped; any other
   * meta-command is reported, ends the statement in progress (as \g would in psql; the
   * others make the source invalid anyway) and the rest of its line is skipped.
   */
  private void metaCommand(int at) {
    char n = at + 1 < s.length() ? s.charAt(at + 1) : ' ';
    if (n == ';' || n == ':') {
      problems.add(MetaCommands.escape(at, n));
      lx.seek(at + 2);
      return;
    }
    int i = at + 1;
    while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '\\') {
      i++;
    }
    problems.add(MetaCommands.problem(at, s.substring(at + 1, i)));
    int nl = s.indexOf('\n', i);
    lx.seek(nl < 0 ? s.length() : nl + 1);
    endStatement(at, false);
  }

  /**
   * Records the statement in progress, if any, and resets the state. lineFrom is where the
   * line that ends the statement continues (-1 at end of source): COPY FROM STDIN data
   * starts on the next line.
   */
  private void endStatement(int lineFrom, boolean checkRestOfLine) {
    if (stmtStart >= 0) {
      // Only a token left unterminated at the end of the source can end in whitespace.
      while (Character.isWhitespace(s.charAt(lastEnd - 1))) {
        lastEnd--;
      }
      String copyData = null;
      int copyStart = -1;
      if (copyFromStdin) {
        int nl = lineFrom < 0 ? -1 : s.indexOf('\n', lineFrom);
        if (checkRestOfLine) {
          checkRestOfCopyLine(lineFrom, nl < 0 ? s.length() : nl);
        }
        copyStart = nl < 0 ? s.length() : nl + 1;
        copyData = copyData(copyStart);
      }
      List<VarRef> v = vars == null ? List.of() : vars;
      statements.add(new SqlStatement(s.substring(stmtStart, lastEnd), stmtStart, lastEnd, v,
          copyData, copyStart));
    }
    stmtStart = -1;
    parenDepth = 0;
    beginDepth = 0;
    wordCount = 0;
    vars = null;
    isCopy = false;
    afterFrom = false;
    copyFromStdin = false;
  }

  /** Lines from dataStart up to a line that is exactly \. (psql also accepts \.\r\n). */
  private String copyData(int dataStart) {
    int line = dataStart;
    while (true) {
      int nl = s.indexOf('\n', line);
      int lineEnd = nl < 0 ? s.length() : nl;
      int contentEnd = lineEnd > line && s.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
      if (contentEnd - line == 2 && s.charAt(line) == '\\' && s.charAt(line + 1) == '.') {
        lx.seek(nl < 0 ? s.length() : nl + 1);
        return s.substring(dataStart, line);
      }
      if (nl < 0) {
        problems.add(new SqlProblem(stmtStart, "COPY data not terminated by a line '\\.'",
            "end the inline data of COPY ... FROM STDIN with a line containing only \\."));
        lx.seek(s.length());
        return s.substring(dataStart);
      }
      line = nl + 1;
    }
  }

  /** psql would run text after "COPY ... FROM STDIN;" only after the data; we refuse it. */
  private void checkRestOfCopyLine(int from, int to) {
    int i = from;
    while (i < to && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    if (i < to && !s.startsWith("--", i)) {
      problems.add(new SqlProblem(i,
          "text after COPY ... FROM STDIN; on the same line is not supported",
          "start the COPY data on the next line and put further statements after its \\. line"));
    }
  }
}
