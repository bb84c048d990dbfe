package io.lorafab.station.at;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/**
 * Replays a recorded transcript. Lines:
 * <pre>
 * # comment (ignored, as are blank lines)
 * &gt; AT+CMD=...      a line the driver must send next (exactly)
 * &gt;&gt; 0102            raw payload bytes (hex) the driver must send with the preceding line
 * &lt; OK              a synchronous response line to the preceding command
 * &#64; +EVT:JOINED    an asynchronous line, delivered only by awaitEvent
 * ~ 6s             the module's time moves on by 6 s before what follows arrives
 * </pre>
 * A command followed by no {@code <} line times out (the module said nothing); an awaitEvent that runs out
 * of {@code @} lines before the predicate matches times out, and the transport's clock ({@link #nanoTime()})
 * moves on by its timeout. A {@code ~} step is time the driver has to wait out (with awaitEvent) before the
 * next line comes: an awaitEvent whose timeout ends inside it times out, and a command sent while some of it is
 * still to pass is sent too early, while the module is busy (a join in flight), and fails the test. Anything
 * sent out of script fails the test with an {@link AssertionError}.
 */
final class ScriptedTransport implements AtTransport {

    private record Step(char kind, String text) {
    }

    private final List<Step> steps = new ArrayList<>();
    private int pos;
    private final List<String> sent = new ArrayList<>();
    /** The scripted clock, and what is left of the {@code ~} step at {@link #pos}. */
    private long now;
    private long waitLeft = -1;

    private ScriptedTransport(String transcript) {
        for (String raw : transcript.split("\\R")) {
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith(">>")) {
                steps.add(new Step('d', l.substring(2).strip()));
            } else if (l.startsWith(">") || l.startsWith("<") || l.startsWith("@") || l.startsWith("~")) {
                steps.add(new Step(l.charAt(0), l.substring(1).strip()));
            } else {
                throw new IllegalArgumentException("transcript line without > < @ ~ prefix: " + l);
            }
        }
    }

    static ScriptedTransport of(String transcript) {
        return new ScriptedTransport(transcript);
    }

    static ScriptedTransport fromResource(String name) {
        try (InputStream in = ScriptedTransport.class.getResourceAsStream("/at/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript resource /at/" + name);
            }
            return new ScriptedTransport(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> command(String line, Duration timeout) {
        expectSent(line);
        return responses(line);
    }

    @Override
    public List<String> commandWithData(String line, byte[] data, Duration timeout) {
        expectSent(line);
        String hex = HexFormat.of().withUpperCase().formatHex(data);
        if (pos >= steps.size() || steps.get(pos).kind() != 'd' || !steps.get(pos).text().equalsIgnoreCase(hex)) {
            throw new AssertionError("driver sent payload " + hex + " after '" + line + "', script expected "
                    + describe(pos));
        }
        pos++;
        return responses(line);
    }

    @Override
    public List<String> commandUntil(String line, Predicate<String> until, Duration timeout) {
        expectSent(line);
        List<String> out = new ArrayList<>();
        while (pos < steps.size() && steps.get(pos).kind() == '<') {
            String l = steps.get(pos++).text();
            out.add(l);
            if (until.test(l)) {
                return out;
            }
        }
        // the rest of the answer may come after a while (a module rebooting)
        out.addAll(awaitEvent(until, timeout));
        return out;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    private void expectSent(String line) {
        sent.add(line);
        if (pos < steps.size() && steps.get(pos).kind() == '~') {
            throw new AssertionError("driver sent '" + line + "' " + Duration.ofNanos(waitLeft())
                    + " too early: the script lets '~ " + steps.get(pos).text() + "' pass first (the module is busy)");
        }
        if (pos >= steps.size() || steps.get(pos).kind() != '>') {
            throw new AssertionError("driver sent '" + line + "' but the script expected " + describe(pos));
        }
        if (!steps.get(pos).text().equals(line)) {
            throw new AssertionError("driver sent '" + line + "' but the script expected '> "
                    + steps.get(pos).text() + "'");
        }
        pos++;
    }

    private List<String> responses(String line) {
        List<String> out = new ArrayList<>();
        while (pos < steps.size() && steps.get(pos).kind() == '<') {
            out.add(steps.get(pos++).text());
        }
        if (out.isEmpty()) {
            throw new AtException(AtException.Code.TIMEOUT, "no response to " + AtSession.labelOf(line));
        }
        return out;
    }

    @Override
    public List<String> awaitEvent(Predicate<String> until, Duration timeout) {
        List<String> out = new ArrayList<>();
        long deadline = now + timeout.toNanos();
        while (pos < steps.size() && (steps.get(pos).kind() == '@' || steps.get(pos).kind() == '~')) {
            if (steps.get(pos).kind() == '~') {
                long left = waitLeft();
                if (now + left > deadline) {
                    waitLeft = left - (deadline - now);
                    now = deadline;
                    throw new AtException(AtException.Code.TIMEOUT, "no awaited event within " + timeout);
                }
                now += left;
                waitLeft = -1;
                pos++;
                continue;
            }
            String l = steps.get(pos++).text();
            out.add(l);
            if (until.test(l)) {
                return out;
            }
        }
        now = deadline;
        throw new AtException(AtException.Code.TIMEOUT, "no awaited event within " + timeout);
    }

    /** Waits {@code d} on the scripted clock, as the station pauses between join commands; no line may arrive. */
    void sleep(Duration d) {
        try {
            List<String> stray = awaitEvent(l -> true, d);
            throw new AssertionError("a line arrived while the station paused: " + stray);
        } catch (AtException e) {
            // the pause is over
        }
    }

    /** What is left to pass of the {@code ~} step at {@link #pos}. */
    private long waitLeft() {
        if (waitLeft < 0) {
            String t = steps.get(pos).text().replace(" ", "");
            waitLeft = Math.round(Double.parseDouble(t.endsWith("s") ? t.substring(0, t.length() - 1) : t) * 1e9);
        }
        return waitLeft;
    }

    /** Fails unless the whole script was played. */
    void assertFinished() {
        if (pos != steps.size()) {
            throw new AssertionError("script not finished; next expected " + describe(pos));
        }
    }

    List<String> sent() {
        return List.copyOf(sent);
    }

    private String describe(int i) {
        if (i >= steps.size()) {
            return "end of script";
        }
        Step s = steps.get(i);
        return "'" + (s.kind() == 'd' ? ">>" : String.valueOf(s.kind())) + " " + s.text() + "'";
    }
}
