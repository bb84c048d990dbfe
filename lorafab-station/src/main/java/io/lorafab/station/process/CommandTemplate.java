package io.lorafab.station.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external program the station runs per unit (a flasher, a label printer's spooler), given as a template:
 * split into arguments the way a shell splits on whitespace (double quotes keep spaces together), run without
 * a shell, with {@code {name}} placeholders replaced inside each argument. The template must use its required
 * placeholder, if it has one (null: none). Exit code and the last 64 KiB of output are kept; a run that outlives its timeout is killed
 * with the processes it started.
 */
public record CommandTemplate(String template, String requiredPlaceholder, Duration timeout) {

    private static final int MAX_OUTPUT = 64 * 1024;

    /** A template that cannot be run: unbalanced quote, empty, or without its placeholder. */
    public static final class InvalidTemplateException extends RuntimeException {
        InvalidTemplateException(String message) {
            super(message);
        }
    }

    /** What the program did. */
    public record Result(int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /** The argument list with {@code values} put in for their {@code {name}} placeholders. */
    public List<String> arguments(Map<String, String> values) {
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
            throw new InvalidTemplateException("unbalanced double quote");
        }
        if (any) {
            out.add(cur.toString());
        }
        if (out.isEmpty()) {
            throw new InvalidTemplateException("empty");
        }
        if (requiredPlaceholder != null && !template.contains("{" + requiredPlaceholder + "}")) {
            throw new InvalidTemplateException("no {" + requiredPlaceholder + "} placeholder");
        }
        out.replaceAll(a -> {
            String r = a;
            for (Map.Entry<String, String> v : values.entrySet()) {
                r = r.replace("{" + v.getKey() + "}", v.getValue());
            }
            return r;
        });
        return out;
    }

    public Result run(Map<String, String> values) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(arguments(values)).redirectErrorStream(true).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(p.getInputStream(), buf), "command-output");
        reader.setDaemon(true);
        reader.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            // a wrapper script's children (the real flasher, a spooler) would otherwise live on, holding the device
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
