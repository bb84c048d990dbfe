package io.lorafab.station.at;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A serial port (a USB-UART such as /dev/ttyUSB0, or a pseudo-terminal) opened as two byte streams after
 * {@code stty} has put it in raw mode at the given speed, 8N1, no flow control — no native library needed on
 * Linux. The same code drives a real module on the fixture and a virtual module on a PTY.
 */
public final class SerialPort implements AutoCloseable {
    private final Path path;
    private final InputStream in;
    private final OutputStream out;

    private SerialPort(Path path, InputStream in, OutputStream out) {
        this.path = path;
        this.in = in;
        this.out = out;
    }

    public static SerialPort open(Path path, int baud) throws IOException {
        if (!Files.exists(path)) {
            throw new AtException(AtException.Code.PORT_UNAVAILABLE, "serial port " + path + " does not exist");
        }
        List<String> stty = List.of("stty", "-F", path.toString(), Integer.toString(baud), "raw", "-echo", "-echoe", "-echok",
                "cs8", "-cstopb", "-parenb", "-crtscts", "-ixon", "-ixoff", "clocal");
        try {
            Process p = new ProcessBuilder(stty).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AtException(AtException.Code.PORT_UNAVAILABLE, "cannot configure " + path + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtException(AtException.Code.PORT_UNAVAILABLE, "interrupted while configuring " + path);
        }
        return new SerialPort(path, new FileInputStream(path.toFile()), new FileOutputStream(path.toFile()));
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            out.close();
        }
    }
}
