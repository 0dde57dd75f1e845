package io.runbook.parse;

import io.runbook.ast.Module;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads files (runbooks, libraries, SQL) from disk or from the stdlib on the classpath, and follows imports. */
public final class Loader {
    static final String STDLIB_PREFIX = "stdlib/";
    private static final String STDLIB_RESOURCES = "runbook/stdlib/";

    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final List<SourceFile> sources = new ArrayList<>();

    /** Reads and parses the main runbook file. */
    public Module loadMain(Path path) {
        return parseMain(read(path, path.toString(), null), path);
    }

    /** Parses the main runbook from a text (an editor's unsaved buffer) that stands for the file at `path`. */
    public Module loadMain(Path path, String text) {
        SourceFile file = new SourceFile(path.toString(), path, normalise(text));
        sources.add(file);
        return parseMain(file, path);
    }

    private Module parseMain(SourceFile file, Path path) {
        Module module = AstBuilder.parse(file);
        if (module.runbook() == null) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            new Pos(file, 1, 1),
                            "no `runbook \"name\" { ... }` block in " + path,
                            "a runbook file needs one runbook block; files with only defs are libraries to import"));
        }
        modules.put(key(path), module);
        return module;
    }

    /** All modules imported (directly or not) by the given one, each once, in dependency order. */
    public List<Module> imports(Module from) {
        List<Module> out = new ArrayList<>();
        collect(from, out, new ArrayList<>());
        return out;
    }

    private void collect(Module from, List<Module> out, List<String> stack) {
        for (Module.Import imp : from.imports()) {
            String key = resolveKey(from.file(), imp);
            if (stack.contains(key)) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                imp.pos(),
                                "import cycle: " + String.join(" -> ", stack) + " -> " + key,
                                "move the shared defs into a third file that both import"));
            }
            Module m = modules.get(key);
            if (m == null) {
                m = AstBuilder.parse(readImport(from.file(), imp, key));
                if (m.runbook() != null) {
                    throw new RunbookException(
                            ExitCode.INVALID,
                            new Diagnostic(
                                    imp.pos(),
                                    "imported file " + key + " contains a runbook block",
                                    "only libraries (files with defs and imports) can be imported"));
                }
                modules.put(key, m);
            }
            if (out.contains(m)) continue;
            stack.add(key);
            collect(m, out, stack);
            stack.remove(stack.size() - 1);
            out.add(m);
        }
    }

    private String resolveKey(SourceFile from, Module.Import imp) {
        if (imp.path().startsWith(STDLIB_PREFIX)) return withExtension(imp.path());
        Path p = resolve(from, imp.path());
        if (!Files.exists(p) && !imp.path().endsWith(".runbook")) p = resolve(from, imp.path() + ".runbook");
        return key(p);
    }

    private SourceFile readImport(SourceFile from, Module.Import imp, String key) {
        if (imp.path().startsWith(STDLIB_PREFIX)) {
            String name = key.substring(STDLIB_PREFIX.length());
            try (InputStream in = Loader.class.getClassLoader().getResourceAsStream(STDLIB_RESOURCES + name)) {
                if (in == null) {
                    throw new RunbookException(
                            ExitCode.INVALID,
                            new Diagnostic(
                                    imp.pos(),
                                    "no standard library module '" + imp.path() + "'",
                                    "the standard library has: stdlib/catalog and stdlib/ops (see docs/stdlib.md)"));
                }
                SourceFile file =
                        new SourceFile(key, null, normalise(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                sources.add(file);
                return file;
            } catch (IOException e) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(imp.pos(), "cannot read " + key + ": " + e.getMessage(), null));
            }
        }
        return read(Path.of(key), key, imp.pos());
    }

    /** Reads a file relative to the source that names it; a missing file is reported at the naming position. */
    public SourceFile readRelative(SourceFile from, String path, Pos at) {
        Path p = resolve(from, path);
        return read(p, display(p), at);
    }

    public static Path resolve(SourceFile from, String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            null,
                            "invalid path \"" + SyntaxErrors.printable(path) + "\": " + e.getReason(),
                            "write the path without control characters"));
        }
        if (p.isAbsolute() || from.path() == null) return p.normalize();
        Path dir = from.path().toAbsolutePath().getParent();
        return dir.resolve(p).normalize();
    }

    private SourceFile read(Path path, String name, Pos at) {
        try {
            // Checked before opening: a FIFO would block the open, /dev/zero would never end.
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                throw new RunbookException(
                        ExitCode.INVALID,
                        new Diagnostic(
                                at,
                                name + " is not a regular file",
                                Files.isDirectory(path)
                                        ? "name a file, not a directory"
                                        : "name a file (not a device, pipe or socket)"));
            }
            SourceFile file = new SourceFile(name, path, normalise(decode(Files.readAllBytes(path), name, path)));
            sources.add(file);
            return file;
        } catch (NoSuchFileException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            at,
                            "file not found: " + name,
                            "paths are relative to the file that names them"
                                    + (at == null ? "" : " (" + at.file().name() + ")")));
        } catch (IOException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(at, "cannot read " + name + ": " + e.getMessage(), "check the file's permissions"));
        }
    }

    public List<SourceFile> sources() {
        return List.copyOf(sources);
    }

    /** The text of a UTF-8 file; a file that is not text (invalid UTF-8, NUL bytes) is refused at the first bad byte. */
    private static String decode(byte[] bytes, String name, Path path) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        // The lenient decoding is exact when it had nothing to replace (and much faster than a CharsetDecoder): only
        // a text with U+FFFD, the replacement of a bad byte, goes through the strict decoder that finds the byte.
        if (text.indexOf('\uFFFD') >= 0) text = strict(bytes, name, path);
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            Pos pos = new SourceFile(name, path, text).posAt(nul);
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            pos,
                            "a binary file: it contains a NUL byte",
                            "name a text file: a runbook, a library or a SQL script"));
        }
        return text;
    }

    private static String strict(byte[] bytes, String name, Path path) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8(bytes);
            String before = new String(bytes, 0, bad, StandardCharsets.UTF_8);
            Pos pos = new SourceFile(name, path, before).posAt(before.length());
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            pos,
                            "not UTF-8 text: invalid byte 0x" + String.format(Locale.ROOT, "%02x", bytes[bad] & 0xff)
                                    + " at byte " + bad,
                            "save the file as UTF-8 (runbooks and SQL files are read as UTF-8)"));
        }
    }

    /** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
    private static int firstInvalidUtf8(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(Math.max(16, bytes.length));
        var result = decoder.decode(in, out, true);
        return result.isError() ? Math.min(in.position(), bytes.length - 1) : bytes.length - 1;
    }

    /** CRLF to LF, and no BOM, so offsets, checksums and messages agree across platforms. */
    private static String normalise(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return t.indexOf('\r') < 0 ? t : t.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String withExtension(String p) {
        return p.endsWith(".runbook") ? p : p + ".runbook";
    }

    private static String key(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** A path relative to the working directory when it is below it: what the operator would type. */
    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
