package io.lorafab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code lorafab} in-process against one data folder (and optionally one database URL). */
final class Cli {

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON (exit " + exit + ", err " + err + "): " + out, e);
            }
        }
    }

    private final Path dataDir;
    private final String dbUrl;

    Cli(Path dataDir, String dbUrl) {
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
    }

    Cli(Path dataDir) {
        this(dataDir, null);
    }

    /** {@code lorafab init} on this data folder (and database): the registry the other commands need. */
    Cli init() {
        Run r = run("init");
        if (r.exit() != 0) {
            throw new AssertionError("lorafab init failed: " + r.err());
        }
        return this;
    }

    /** {@code args} with {@code --data-dir} (and {@code --db}) appended. */
    Run run(String... args) {
        return runWithInput("", args);
    }

    private static Path tokenFile;

    /** An owner-only file holding an operator token, for {@code station --token-file} in-process (no environment to set). */
    static synchronized String tokenFile() {
        if (tokenFile == null) {
            try {
                Path f = java.nio.file.Files.createTempFile("lorafab-token", ".txt",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                java.nio.file.Files.writeString(f, "lft_" + "A".repeat(43) + "\n");
                f.toFile().deleteOnExit();
                tokenFile = f;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return tokenFile.toString();
    }

    /** {@code args} with {@code --data-dir} (and {@code --db}) appended, {@code stdin} as standard input. */
    Run runWithInput(String stdin, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--data-dir");
        a.add(dataDir.toString());
        if (dbUrl != null) {
            a.add("--db");
            a.add(dbUrl);
        }
        return rawWithInput(stdin, a.toArray(String[]::new));
    }

    /** {@code args} exactly as given, with nothing on standard input. */
    static Run raw(String... args) {
        return rawWithInput("", args);
    }

    static Run rawWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LorafabCommand.run(args, new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
