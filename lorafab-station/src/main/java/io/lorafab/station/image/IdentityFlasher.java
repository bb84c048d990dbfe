package io.lorafab.station.image;

import io.lorafab.station.process.CommandTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands of identity-only flashing: one that writes the block (and verifies, if the tool can), and optionally
 * one that reads the block back into a file, which the station compares with what it wrote. Templates are split
 * like {@link CommandTemplate}s; a tool that takes its commands from a file gets {@code {script}}, made from the
 * script lines with the same placeholders filled in. Keys travel only in the block's files, never as arguments.
 */
public record IdentityFlasher(String write, List<String> writeScript, String read, List<String> readScript, Duration timeout) {

    private static final List<String> FILES = List.of("script", "hex", "bin", "pagebin");

    public IdentityFlasher {
        writeScript = writeScript == null ? List.of() : List.copyOf(writeScript);
        readScript = readScript == null ? List.of() : List.copyOf(readScript);
        check("flasher command", write, writeScript, FILES);
        if (read != null) {
            check("read-back command", read, readScript, List.of("readback"));
        }
    }

    /** A user's own commands, without script files. */
    public static IdentityFlasher custom(String write, String read, Duration timeout) {
        return new IdentityFlasher(write, List.of(), read, List.of(), timeout);
    }

    public CommandTemplate writeCommand() {
        return new CommandTemplate(write, required(write), timeout);
    }

    public Optional<CommandTemplate> readCommand() {
        return read == null ? Optional.empty() : Optional.of(new CommandTemplate(read, read.contains("{script}") ? "script" : "readback", timeout));
    }

    /** The script lines with {@code values} put in. */
    public static String script(List<String> lines, Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String l = line;
            for (Map.Entry<String, String> v : values.entrySet()) {
                l = l.replace("{" + v.getKey() + "}", v.getValue());
            }
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    private static String required(String template) {
        for (String f : List.of("script", "hex", "bin", "pagebin", "readback")) {
            if (template.contains("{" + f + "}")) {
                return f;
            }
        }
        return "hex";
    }

    private static void check(String what, String template, List<String> script, List<String> files) {
        if (template == null || template.isBlank()) {
            throw new ImageFormatException(what + ": empty");
        }
        boolean usesScript = template.contains("{script}");
        String where = usesScript ? String.join("\n", script) : template;
        if (usesScript && script.isEmpty()) {
            throw new ImageFormatException(what + ": {script} without script lines");
        }
        if (files.stream().noneMatch(f -> !f.equals("script") && where.contains("{" + f + "}"))) {
            throw new ImageFormatException(what + ": no " + String.join(", ", files.stream().filter(f -> !f.equals("script"))
                    .map(f -> "{" + f + "}").toList()) + " placeholder");
        }
        try {
            new CommandTemplate(template, required(template), Duration.ofSeconds(1)).arguments(Map.of());
        } catch (CommandTemplate.InvalidTemplateException e) {
            throw new ImageFormatException(what + ": " + e.getMessage());
        }
    }
}
