package io.lorafab.app.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code lorafab server} in its own JVM, for crash and multi-process tests. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (https?)://[^:]+:(\\d+)");
    private final Process process;
    private final String scheme;
    private final int port;
    private final String startLine;

    private ServerProcess(Process process, String scheme, int port, String startLine) {
        this.process = process;
        this.scheme = scheme;
        this.port = port;
        this.startLine = startLine;
    }

    static ServerProcess start(Path dataDir, String dbUrl) throws IOException {
        return start(dataDir, dbUrl, List.of(), Map.of());
    }

    /** With more {@code server} options and environment variables. */
    static ServerProcess start(Path dataDir, String dbUrl, List<String> options, Map<String, String> env) throws IOException {
        return start(List.of(), dataDir, dbUrl, options, env);
    }

    /** With JVM options (e.g. {@code -Xmx128m}) before the main class. */
    static ServerProcess start(List<String> jvmOptions, Path dataDir, String dbUrl, List<String> options, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main", "server",
                "--data-dir", dataDir.toString(), "--http-port", "0", "--udp-host", "127.0.0.1", "--udp-port", "0"));
        if (!options.contains("--lns-port")) {
            cmd.addAll(List.of("--lns-port", "-1")); // the Basics Station listener's default port is one for the whole machine
        }
        if (dbUrl != null) {
            cmd.add("--db");
            cmd.add(dbUrl);
        }
        cmd.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (IOException ignored) {
                        // process gone
                    }
                }, "server-output");
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(p, m.group(1), Integer.parseInt(m.group(2)), line);
            }
        }
        throw new IllegalStateException("server did not start:\n" + seen);
    }

    int port() {
        return port;
    }

    /** Whether the process is still running (not crashed, e.g. by an OutOfMemoryError). */
    boolean alive() {
        return process.isAlive();
    }

    String baseUrl() {
        return scheme + "://127.0.0.1:" + port;
    }

    /** The line the server printed when it was ready. */
    String startLine() {
        return startLine;
    }

    /** SIGKILL: no shutdown hook, no flush, as in a power cut of the process. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
