package io.lorafab.station.at;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serial ports of this machine as jSerialComm sees them (with the USB vendor and product IDs of USB-serial
 * adapters), and the choice of the fixture's adapter by those IDs ({@code --port auto[:VID:PID]}).
 */
public final class SerialPorts {

    private static final Pattern AUTO = Pattern.compile("auto(?::([0-9A-Fa-f]{1,4}):([0-9A-Fa-f]{1,4}))?", Pattern.CASE_INSENSITIVE);

    private SerialPorts() {
    }

    /**
     * One port.
     *
     * @param name        what {@code --port} takes: the device path on Linux and macOS, the port name (COM7) on Windows
     * @param description the driver's or USB device's description ("CP2102N USB to UART Bridge Controller"), or ""
     * @param vendorId    the USB vendor ID, or -1 for a port that is not on USB
     * @param productId   the USB product ID, or -1
     * @param serialNumber the USB serial number, or ""
     */
    public record Info(String name, String description, int vendorId, int productId, String serialNumber) {
        public boolean usb() {
            return vendorId >= 0 && productId >= 0;
        }

        /** {@code VID:PID} in four hex digits each, or "" off USB. */
        public String usbId() {
            return usb() ? String.format(Locale.ROOT, "%04x:%04x", vendorId, productId) : "";
        }
    }

    /** The ports now present, by name. */
    public static List<Info> list() {
        List<Info> ports = new ArrayList<>();
        for (com.fazecast.jSerialComm.SerialPort p : com.fazecast.jSerialComm.SerialPort.getCommPorts()) {
            String path = p.getSystemPortPath();
            String name = path != null && path.startsWith("/") ? path : p.getSystemPortName();
            ports.add(new Info(name, clean(p.getPortDescription()), p.getVendorID(), p.getProductID(), clean(p.getSerialNumber())));
        }
        ports.sort(Comparator.comparing(Info::name));
        return ports;
    }

    private static String clean(String s) {
        return s == null || s.equalsIgnoreCase("Unknown") ? "" : s.strip();
    }

    /** Whether {@code port} asks for a choice by USB IDs ({@code auto} or {@code auto:VID:PID}) rather than naming a port. */
    public static boolean isAuto(String port) {
        return port.regionMatches(true, 0, "auto", 0, 4) && (port.length() == 4 || port.charAt(4) == ':');
    }

    /**
     * The one port {@code auto} (any USB-serial adapter) or {@code auto:VID:PID} (hex, e.g. {@code auto:10c4:ea60}) matches
     * among {@code ports}.
     *
     * @throws IllegalArgumentException with a one-line message when the spec is malformed, or none or several match
     *                                  (the candidates listed)
     */
    public static Info choose(String spec, List<Info> ports) {
        Matcher m = AUTO.matcher(spec.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--port " + spec + ": expected auto or auto:VID:PID with hex USB IDs, e.g. auto:10c4:ea60");
        }
        Integer vid = m.group(1) == null ? null : Integer.parseInt(m.group(1), 16);
        Integer pid = m.group(2) == null ? null : Integer.parseInt(m.group(2), 16);
        List<Info> usb = ports.stream().filter(Info::usb).toList();
        List<Info> matching = usb.stream().filter(p -> vid == null || p.vendorId() == vid && p.productId() == pid).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        String wanted = vid == null ? "a USB serial port" : String.format(Locale.ROOT, "a USB serial port %04x:%04x", vid, pid);
        List<Info> shown = matching.isEmpty() ? usb : matching;
        String candidates = shown.isEmpty() ? "no USB serial ports are attached (lorafab ports lists them all)"
                : (matching.isEmpty() ? "USB serial ports here: " : "candidates: ")
                        + String.join(", ", shown.stream().map(p -> p.name() + " " + p.usbId()
                                + (p.serialNumber().isEmpty() ? "" : " serial " + p.serialNumber())).toList())
                        + (matching.isEmpty() ? "" : "; unplug the others or give --port by name");
        return fail(matching.isEmpty() ? "--port " + spec + ": no " + wanted.substring(2) + " found; " + candidates
                : "--port " + spec + ": " + matching.size() + " ports match, expected exactly one; " + candidates);
    }

    /**
     * The {@code n} ports {@code auto} or {@code auto:VID:PID} matches among {@code ports}, in order of their names: the
     * positions of a multi-up fixture whose adapters are all of one kind ({@code /dev/ttyUSB0} position 1, ...).
     *
     * @throws IllegalArgumentException with a one-line message when the spec is malformed or not exactly {@code n} match
     */
    public static List<Info> chooseAll(String spec, List<Info> ports, int n) {
        Matcher m = AUTO.matcher(spec.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--port " + spec + ": expected auto or auto:VID:PID with hex USB IDs, e.g. auto:10c4:ea60");
        }
        Integer vid = m.group(1) == null ? null : Integer.parseInt(m.group(1), 16);
        Integer pid = m.group(2) == null ? null : Integer.parseInt(m.group(2), 16);
        List<Info> matching = ports.stream().filter(Info::usb)
                .filter(p -> vid == null || p.vendorId() == vid && p.productId() == pid)
                .sorted(Comparator.comparing(Info::name)).toList();
        if (matching.size() == n) {
            return matching;
        }
        String found = matching.isEmpty() ? "none is attached (lorafab ports lists them all)"
                : matching.size() + " are attached: " + String.join(", ", matching.stream().map(p -> p.name() + " " + p.usbId()).toList());
        return fail("--port " + spec + ": " + n + " positions need " + n + " matching USB serial ports, " + found
                + "; or give a --port name per position");
    }

    private static <T> T fail(String message) {
        throw new IllegalArgumentException(message);
    }
}
