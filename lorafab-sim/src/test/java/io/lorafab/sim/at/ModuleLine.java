package io.lorafab.sim.at;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.sim.VirtualGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The station's end of an in-memory serial line to a virtual module running on its own thread: send a command,
 * take the lines the module writes. Transcripts use {@code > command} for a line sent and {@code < line} or
 * {@code @ line} for a line expected back (in order; the module does not distinguish them on the wire).
 */
final class ModuleLine implements AutoCloseable {

    /** Builds a module on the given streams. */
    interface Factory {
        VirtualAtModule create(java.io.InputStream in, OutputStream out, VirtualGateway gw, Path nvm, VirtualAtModule.Behaviour b);
    }

    static final Duration WAIT = Duration.ofSeconds(10);

    final VirtualAtModule module;
    private final OutputStream toModule;
    private final PipedOutputStream moduleOut;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /** Builds a module on the given streams with a radio time. */
    interface TimedFactory {
        VirtualAtModule create(java.io.InputStream in, OutputStream out, VirtualGateway gw, Path nvm, VirtualAtModule.Behaviour b,
                VirtualAtModule.RadioTime time);
    }

    /** The radio's time when the test moves it, else null. */
    final ManualRadioTime time;

    ModuleLine(Factory factory, VirtualGateway gw, Path nvm, VirtualAtModule.Behaviour behaviour) {
        this((in, out, g, n, b, t) -> factory.create(in, out, g, n, b), gw, nvm, behaviour, null);
    }

    ModuleLine(TimedFactory factory, VirtualGateway gw, Path nvm, VirtualAtModule.Behaviour behaviour, ManualRadioTime time) {
        this.time = time;
        try {
            PipedInputStream moduleIn = new PipedInputStream(4096);
            toModule = new PipedOutputStream(moduleIn);
            PipedInputStream fromModule = new PipedInputStream(4096);
            moduleOut = new PipedOutputStream(fromModule);
            module = factory.create(moduleIn, moduleOut, gw, nvm, behaviour, time);
            Thread m = new Thread(module, "module-under-test");
            m.setDaemon(true);
            m.start();
            Thread reader = new Thread(() -> {
                try {
                    BufferedReader r = new BufferedReader(new InputStreamReader(fromModule, StandardCharsets.US_ASCII));
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException closed) {
                    // test over
                }
            }, "module-line-reader");
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String command) {
        try {
            toModule.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            toModule.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next {@code n} lines the module writes; fails if they do not come within {@link #WAIT}. */
    List<String> take(int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new AssertionError("expected " + n + " lines from the module, got " + got);
            }
            got.add(l);
        }
        return got;
    }

    /** Sends {@code command} and returns its answer of {@code n} lines. */
    List<String> ask(String command, int n) throws InterruptedException {
        send(command);
        return take(n);
    }

    /** Plays a transcript and checks every line the module writes against it; nothing else may come. */
    void play(String transcript) throws InterruptedException {
        List<String> expected = new ArrayList<>();
        for (String raw : transcript.split("\\R")) {
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("~")) { // "~ 6s": the radio's time moves on; "~ idle": nothing waits on it any more
                check(expected);
                String what = l.substring(1).strip();
                if (what.equals("idle")) {
                    assertThat(lines.poll(100, TimeUnit.MILLISECONDS)).as("a line before the radio fell idle").isNull();
                    assertThat(time.pending()).as("tasks waiting on the radio's time").isZero();
                } else {
                    assertThat(lines.poll(100, TimeUnit.MILLISECONDS)).as("a line before the time moved on").isNull();
                    time.advance(Duration.ofMillis(Math.round(Double.parseDouble(what.replace("s", "")) * 1000)));
                }
            } else if (l.startsWith(">")) {
                check(expected);
                send(l.substring(1).strip());
            } else if (l.startsWith("<") || l.startsWith("@")) {
                expected.add(l.substring(1).strip());
            } else {
                throw new IllegalArgumentException("transcript line without > < @: " + l);
            }
        }
        check(expected);
        assertThat(lines.poll(100, TimeUnit.MILLISECONDS)).as("a line after the transcript ended").isNull();
    }

    private void check(List<String> expected) throws InterruptedException {
        if (!expected.isEmpty()) {
            assertThat(take(expected.size())).containsExactlyElementsOf(expected);
            expected.clear();
        }
    }

    @Override
    public void close() throws IOException {
        toModule.close();
        moduleOut.close();
    }
}
