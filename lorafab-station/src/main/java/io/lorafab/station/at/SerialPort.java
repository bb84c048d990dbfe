package io.lorafab.station.at;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A serial port — a USB-UART ({@code /dev/ttyUSB0}, {@code /dev/cu.usbserial-1420}, {@code COM7}) or a
 * pseudo-terminal ({@code /dev/pts/3}, or a link to one as socat makes) — opened through jSerialComm, which sets
 * speed, 8N1, no flow control and the read timeouts itself on Linux, macOS and Windows, and opened as two byte
 * streams. The same code drives a real module on the fixture and a virtual module on a PTY.
 *
 * <p>Reads block until at least one byte has come (no read timeout: the AT transport keeps its own deadlines);
 * when the port goes away (adapter unplugged, the PTY's other end gone) the input ends.
 */
public final class SerialPort implements AutoCloseable {
    private final String name;
    private final com.fazecast.jSerialComm.SerialPort port;
    private final InputStream in;
    private final OutputStream out;

    private SerialPort(String name, com.fazecast.jSerialComm.SerialPort port) {
        this.name = name;
        this.port = port;
        this.in = port.getInputStream();
        this.out = port.getOutputStream();
    }

    public static SerialPort open(Path path, int baud) throws IOException {
        return open(path.toString(), baud);
    }

    /**
     * Opens {@code name}: a device path on Linux and macOS (a link to one is followed), or a Windows port name such
     * as {@code COM7}.
     *
     * @throws AtException {@code port_unavailable}, with a one-line reason, when the port is not there or cannot be opened
     */
    public static SerialPort open(String name, int baud) {
        if (isPath(name) && !Files.exists(Path.of(name))) {
            throw new AtException(AtException.Code.PORT_UNAVAILABLE, "serial port " + name + " does not exist");
        }
        com.fazecast.jSerialComm.SerialPort port;
        try {
            // a link (socat's link=, udev's /dev/serial/by-id/...) is resolved here, to the device it names now
            port = com.fazecast.jSerialComm.SerialPort.getCommPort(name);
        } catch (RuntimeException e) {
            throw new AtException(AtException.Code.PORT_UNAVAILABLE, "serial port " + name + " does not exist" + here(name));
        }
        port.setComPortParameters(baud, 8, com.fazecast.jSerialComm.SerialPort.ONE_STOP_BIT, com.fazecast.jSerialComm.SerialPort.NO_PARITY);
        port.setFlowControl(com.fazecast.jSerialComm.SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(com.fazecast.jSerialComm.SerialPort.TIMEOUT_READ_SEMI_BLOCKING
                | com.fazecast.jSerialComm.SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
        if (!port.openPort()) {
            int errno = port.getLastErrorCode();
            throw new AtException(AtException.Code.PORT_UNAVAILABLE, "cannot open serial port " + name
                    + (errno == 0 ? "" : " (system error " + errno + "; is it in use, or not yours to open?)")
                    + (isPath(name) ? "" : here(name)));
        }
        return new SerialPort(name, port);
    }

    /** Whether {@code name} is a file path (Linux, macOS) rather than a port name the OS keeps elsewhere (Windows COM7). */
    private static boolean isPath(String name) {
        return name.contains("/");
    }

    /** For a Windows name that is not there: the ports that are, so a typo is seen at once. */
    private static String here(String name) {
        List<String> names = SerialPorts.list().stream().map(SerialPorts.Info::name).toList();
        boolean listed = names.stream().anyMatch(n -> n.toUpperCase(Locale.ROOT).equals(name.toUpperCase(Locale.ROOT)));
        return listed ? "" : names.isEmpty() ? "; no serial ports here" : "; ports here: " + String.join(", ", names);
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    /** The port as it was named when opened. */
    public String name() {
        return name;
    }

    public Path path() {
        return Path.of(name);
    }

    @Override
    public void close() throws IOException {
        // closing the port also ends a read blocked on its input
        port.closePort();
    }
}
