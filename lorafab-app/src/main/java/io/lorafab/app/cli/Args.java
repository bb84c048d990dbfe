package io.lorafab.app.cli;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.model.UnitState;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reading option values into value types. A bad value becomes one line naming the option; the parsers
 * below never repeat the value given, so a mistyped key is not echoed.
 */
final class Args {
    private Args() {
    }

    /** Runs {@code parse}; a {@link LorawanFormatException} becomes a user error prefixed with the option name. */
    static <T> T option(String option, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (LorawanFormatException e) {
            throw new LorafabCommand.UserException(option + ": " + e.getMessage());
        }
    }

    static Eui64 eui(String option, String value) {
        return value == null ? null : option(option, () -> Eui64.parse(value));
    }

    static AesKey key(String option, String value) {
        return value == null ? null : option(option, () -> AesKey.parse(value));
    }

    static MacVersion macVersion(String option, String value) {
        return value == null ? null : option(option, () -> MacVersion.parse(value));
    }

    /** The canonical name of a region (EU868, US915, ...). */
    static Region region(String option, String value) {
        return value == null ? null : option(option, () -> Region.byName(value.strip()));
    }

    /** A 32-bit memory address in hex, with or without {@code 0x} ({@code 0x0803F800}). */
    static long address(String option, String value) {
        String v = value.strip();
        String digits = v.regionMatches(true, 0, "0x", 0, 2) ? v.substring(2) : v;
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, 16) >= 0)) {
            throw new LorafabCommand.UserException(option + ": expected a 32-bit hex address such as 0x0803F800");
        }
        return Long.parseLong(digits, 16);
    }

    static UnitState unitState(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return UnitState.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LorafabCommand.UserException(option + ": unknown state '" + value.strip()
                    + "' (expected reserved, programmed, passed, failed or void)");
        }
    }

    /** "cannot read FILE: no such file" (or "is a directory", "permission denied", ...), for a failed read of {@code file}. */
    static String cannotRead(String file, java.io.IOException e) {
        return "cannot read " + file + ": " + readFailure(java.nio.file.Path.of(file), e);
    }

    /** Why {@code file} cannot be read, in a few words; {@code e} is the failure of reading it (or null before trying). */
    static String readFailure(java.nio.file.Path file, java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException || !java.nio.file.Files.exists(file)) {
            return "no such file";
        }
        if (java.nio.file.Files.isDirectory(file)) {
            return "is a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException || !java.nio.file.Files.isReadable(file)) {
            return "permission denied";
        }
        return e == null ? "not a regular file" : e instanceof java.nio.file.FileSystemException f ? ErrorLine.fileProblem(f)
                : e.getMessage() == null ? "input/output error" : ErrorLine.firstLine(e.getMessage());
    }

    /** Throws "OPTION: cannot read FILE: REASON" unless {@code file} is a readable regular file. */
    static void requireReadableFile(String option, java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
            throw new LorafabCommand.UserException(option + ": cannot read " + file + ": " + readFailure(file, null));
        }
    }

    /** A port option: {@code min}..65535 (0 picks a free port, -1 where it turns a listener off). */
    static int port(String option, int value, int min) {
        if (value < min || value > 65535) {
            throw new LorafabCommand.UserException(option + ": expected a port " + min + "-65535, got " + value);
        }
        return value;
    }

    /** The address to listen on: {@code host} resolved (a name that does not resolve is named), and the port checked. */
    static java.net.InetSocketAddress listenAddress(String hostOption, String host, String portOption, int port) {
        port(portOption, port, 0);
        java.net.InetSocketAddress a = new java.net.InetSocketAddress(host.strip(), port);
        if (a.isUnresolved()) {
            throw new LorafabCommand.UserException(hostOption + ": cannot resolve host '" + host.strip() + "'");
        }
        return a;
    }

    /** "OPTION: HOST:PORT is already in use (...)": a listener that could not bind. */
    static LorafabCommand.UserException inUse(String option, String host, int port, String protocol) {
        return new LorafabCommand.UserException(option + ": " + protocol + " " + host + ":" + port
                + " is already in use (another lorafab server, or another program, listens there)");
    }

    /** "cannot write FILE: the folder DIR does not exist" (or "permission denied", ...), for a failed write of {@code file}. */
    static LorafabCommand.UserException cannotWrite(java.nio.file.Path file, java.io.IOException e) {
        java.nio.file.Path dir = file.toAbsolutePath().getParent();
        String why;
        if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
            why = java.nio.file.Files.exists(dir) ? dir + " is not a folder" : "the folder " + dir + " does not exist";
        } else if (java.nio.file.Files.isDirectory(file)) {
            why = "is a folder";
        } else if (e instanceof java.nio.file.AccessDeniedException || dir != null && !java.nio.file.Files.isWritable(dir)) {
            why = "permission denied";
        } else if (e instanceof java.nio.file.FileSystemException f) {
            why = ErrorLine.fileProblem(f);
        } else {
            why = e.getMessage() == null ? "input/output error" : ErrorLine.firstLine(e.getMessage());
        }
        return new LorafabCommand.UserException("cannot write " + file + ": " + why);
    }
}
