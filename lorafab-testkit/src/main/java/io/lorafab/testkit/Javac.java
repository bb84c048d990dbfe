package io.lorafab.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The JDK's compiler, run from a test on sources held in memory against the test's own class path: for tests that a
 * piece of code does <em>not</em> compile (a switch over an enum that misses a constant), and that it does as written.
 */
public final class Javac {

    private Javac() {
    }

    /** One error the compiler reported: the file (its simple name), the line, and the message in English. */
    public record Error(String file, long line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /** The outcome of a compilation: its errors, none when it compiled. */
    public record Result(List<Error> errors) {
        public boolean compiled() {
            return errors.isEmpty();
        }

        @Override
        public String toString() {
            return compiled() ? "compiled" : errors.stream().map(Error::toString).collect(Collectors.joining("\n"));
        }
    }

    /**
     * Compiles {@code sources} (path inside a source tree, such as {@code io/lorafab/api/ErrorCode.java}, to its text)
     * together, into {@code out}. A type given here is compiled from this text even where the class path has it too.
     */
    public static Result compile(Map<String, String> sources, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime (a JRE, not a JDK)");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((path, text) -> units.add(new Source(path, text)));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-d", out.toString(), "-classpath", classPath(), "-proc:none", "-implicit:none",
                "-Xlint:none", "--release", "17");
        javac.getTask(null, null, diagnostics, options, null, units).call();
        List<Error> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String file = d.getSource() == null ? "?" : Path.of(d.getSource().getName()).getFileName().toString();
                errors.add(new Error(file, d.getLineNumber(), d.getMessage(Locale.ENGLISH)));
            }
        }
        return new Result(List.copyOf(errors));
    }

    /** The text of a file of this repository, given by its path from the repository's root (tests run in a module). */
    public static String repoFile(String path) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve(path);
            if (Files.isRegularFile(f)) {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no " + path + " above " + Path.of("").toAbsolutePath());
    }

    /** The 1-based line at which {@code marker} first occurs in {@code text}. */
    public static long lineOf(String text, String marker) {
        return lineOf(text, "", marker);
    }

    /** The 1-based line at which {@code marker} first occurs in {@code text} after {@code after} (a method's signature). */
    public static long lineOf(String text, String after, String marker) {
        int from = text.indexOf(after);
        int at = from < 0 ? -1 : text.indexOf(marker, from);
        if (at < 0) {
            throw new IllegalArgumentException("no '" + marker + "' after '" + after + "' in the text");
        }
        return text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in its own property. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path", "") + File.pathSeparator;
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String path, String text) {
            super(URI.create("string:///" + path), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
