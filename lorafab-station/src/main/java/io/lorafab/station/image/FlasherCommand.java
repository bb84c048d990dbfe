package io.lorafab.station.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external flasher run on a patched image: a command template whose {@code {image}} placeholder becomes
 * the image path, split into arguments like a shell would split on whitespace (double quotes keep spaces),
 * without a shell. For example {@code openocd -f board.cfg -c "program {image} verify reset exit"} or
 * {@code STM32_Programmer_CLI -c port=SWD -w {image} -v -rst}. Other placeholders (the station offers
 * {@code {devEui}} and {@code {serial}}) are replaced by the values given to {@link #run(Path, Map)}; keys are
 * never among them, they travel in the image only. The exit code and the last 64 KiB of output are kept for
 * the test record; a flasher that outlives its timeout is killed, with any processes it started.
 */
public record FlasherCommand(String template, Duration timeout) {

    private static final int MAX_OUTPUT = 64 * 1024;

    /** What the flasher did. */
    public record Result(int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /** The argument list for {@code image}. */
    public List<String> arguments(Path image) {
        return arguments(image, Map.of());
    }

    /** The argument list for {@code image}, with each {@code {name}} of {@code values} replaced by its value. */
    public List<String> arguments(Path image, Map<String, String> values) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new ImageFormatException("flasher command: unbalanced double quote");
        }
        if (any) {
            out.add(cur.toString());
        }
        if (out.isEmpty()) {
            throw new ImageFormatException("flasher command: empty");
        }
        if (!template.contains("{image}")) {
            throw new ImageFormatException("flasher command: no {image} placeholder");
        }
        out.replaceAll(a -> {
            String r = a.replace("{image}", image.toString());
            for (Map.Entry<String, String> v : values.entrySet()) {
                r = r.replace("{" + v.getKey() + "}", v.getValue());
            }
            return r;
        });
        return out;
    }

    public Result run(Path image) throws IOException, InterruptedException {
        return run(image, Map.of());
    }

    /** Runs the flasher on {@code image}; {@code values} fill the template's other placeholders. */
    public Result run(Path image, Map<String, String> values) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(arguments(image, values)).redirectErrorStream(true).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(p.getInputStream(), buf), "flasher-output");
        reader.setDaemon(true);
        reader.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            // a wrapper script's children (the real flasher) would otherwise live on, holding the probe
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(2000);
        String out;
        synchronized (buf) {
            out = buf.toString(StandardCharsets.UTF_8);
        }
        return new Result(done ? p.exitValue() : -1, out, !done);
    }

    private static void drain(InputStream in, ByteArrayOutputStream buf) {
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                synchronized (buf) {
                    buf.write(b, 0, n);
                    if (buf.size() > MAX_OUTPUT) {
                        byte[] all = buf.toByteArray();
                        buf.reset();
                        buf.write(all, all.length - MAX_OUTPUT / 2, MAX_OUTPUT / 2);
                    }
                }
            }
        } catch (IOException e) {
            // process ended
        }
    }
}
