package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code lorafab station} in its own JVM, as an operator runs it: its standard input open to the test, its output
 * collected; killed forcibly on close if still running.
 */
final class StationProcess implements AutoCloseable {
    final Process process;
    final OutputStream stdin;
    private final StringBuilder out = new StringBuilder();
    private final Thread reader;

    /** Starts {@code lorafab station <args>} with this test JVM's classpath and {@code token} in LORAFAB_TOKEN. */
    static StationProcess start(String token, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main", "station"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LORAFAB_TOKEN", token);
        return new StationProcess(pb.start());
    }

    private StationProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                        out.notifyAll();
                    }
                }
            } catch (IOException gone) {
                // process ended
            }
        }, "station-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until the station has printed {@code text}; fails if it does not within {@code timeout} or exits first. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (out) {
            while (out.indexOf(text) < 0) {
                long left = deadline - System.nanoTime();
                assertThat(left > 0 && reader.isAlive()).as("waiting for \"%s\"; station said:%n%s", text, out).isTrue();
                out.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** The exit code; fails when the station has not ended within {@code timeout} (e.g. a station hanging on a dead port). */
    int waitFor(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("station still running; it said:%n%s", output())
                .isTrue();
        reader.join(5000);
        return process.exitValue();
    }

    String output() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
