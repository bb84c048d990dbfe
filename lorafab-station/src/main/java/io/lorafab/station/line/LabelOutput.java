package io.lorafab.station.line;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.process.CommandTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The label of each passed unit, as the line wants it: the server renders it (ZPL for a Zebra printer, or a PDF
 * whose page is one label), the station writes it to {@code <dir>/<serial or DevEUI>.<format>} and, when a
 * print command is set (e.g. {@code lp -d zebra -o raw {file}}), hands the file to it. A label holds no key.
 */
public final class LabelOutput {

    /** Where labels go: folder, format (pdf or zpl), size in mm ({@code 70x37}), optional print command template. */
    public record Settings(Path dir, String format, String size, String printCommand, Duration printTimeout) {
        public Settings {
            format = format.toLowerCase(Locale.ROOT);
            if (!format.equals("pdf") && !format.equals("zpl")) {
                throw new IllegalArgumentException("label format must be pdf or zpl, got " + format);
            }
            if (size == null || !size.matches("\\d{1,3}(\\.\\d+)?x\\d{1,3}(\\.\\d+)?")) {
                throw new IllegalArgumentException("label size must be WIDTHxHEIGHT in millimetres, e.g. 70x37, got " + size);
            }
        }
    }

    /** A label that could not be written or printed; the unit's result stands. */
    public static final class LabelException extends RuntimeException {
        LabelException(String message) {
            super(message);
        }
    }

    /** What happened to one label: the file, and the print command's result when there is one. */
    public record Delivered(Path file, Optional<CommandTemplate.Result> printed) {
        public String describe() {
            return "label " + file + printed.map(r -> ", printed").orElse("");
        }
    }

    private final Settings settings;
    private final Optional<CommandTemplate> print;

    public LabelOutput(Settings settings) {
        this.settings = settings;
        this.print = Optional.ofNullable(settings.printCommand()).filter(t -> !t.isBlank())
                .map(t -> new CommandTemplate(t, "file", settings.printTimeout()));
        print.ifPresent(c -> c.arguments(Map.of("file", "x")));
    }

    /** Fetches the unit's label, writes it atomically and prints it. */
    public Delivered deliver(StationApiClient server, Eui64 devEui, String serial) {
        byte[] label = server.label(devEui, settings.format(), settings.size());
        Path file = settings.dir().resolve(fileName(devEui, serial) + "." + settings.format());
        try {
            Files.createDirectories(settings.dir());
            Path tmp = Files.createTempFile(settings.dir(), ".label-", ".part");
            Files.write(tmp, label);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabelException("label for " + devEui + " not written to " + settings.dir() + ": " + e.getMessage());
        }
        if (print.isEmpty()) {
            return new Delivered(file, Optional.empty());
        }
        CommandTemplate.Result r;
        try {
            r = print.get().run(Map.of("file", file.toString(), "devEui", devEui.toString()));
        } catch (IOException e) {
            throw new LabelException("print command could not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabelException("interrupted while printing " + file);
        }
        if (!r.ok()) {
            throw new LabelException("print command " + (r.timedOut() ? "timed out" : "exited " + r.exitCode()) + " for " + file
                    + lastLine(r.output()));
        }
        return new Delivered(file, Optional.of(r));
    }

    /** The serial number when it is a safe file name, else the DevEUI. */
    static String fileName(Eui64 devEui, String serial) {
        return serial != null && serial.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}") ? serial : devEui.toString();
    }

    private static String lastLine(String output) {
        String s = output.strip();
        if (s.isEmpty()) {
            return "";
        }
        int nl = s.lastIndexOf('\n');
        return ": " + (nl < 0 ? s : s.substring(nl + 1)).strip();
    }
}
