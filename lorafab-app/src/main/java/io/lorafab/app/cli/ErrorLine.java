package io.lorafab.app.cli;

import io.lorafab.app.wiring.TlsConfigException;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.provisioning.io.ExportException;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.sim.SimException;
import io.lorafab.station.at.AtException;
import io.lorafab.station.client.StationApiException;
import io.lorafab.station.image.ImageFormatException;
import io.lorafab.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * The one line a failed command prints after {@code error: }. Every command's exceptions end here (picocli's
 * execution- and parameter-exception handlers in {@link LorafabCommand}), so this is the one place that decides what
 * a user reads: lorafab's own typed failures speak for themselves; the JDK's (files, sockets) are put in words by
 * their type; a usage error is picocli's message plus where help is. No Java class name, stack trace or library
 * internal reaches the line — where nothing better is known it says "internal error" with the message alone.
 */
final class ErrorLine {

    private ErrorLine() {
    }

    /** What went wrong in a command's run, in one line. */
    static String of(Throwable e) {
        if (e instanceof LorafabCommand.UserException || e instanceof LorawanFormatException || e instanceof ExportException
                || e instanceof ImportException || e instanceof AtException || e instanceof StationApiException
                || e instanceof SimException || e instanceof ImageFormatException || e instanceof TlsConfigException
                || e instanceof io.lorafab.jose.JweException) {
            // lorafab's own refusals: written for the user, never holding a key
            return firstLine(e.getMessage());
        }
        if (e instanceof StoreException s) {
            // a registry refusal: its message says what is wrong; a driver's may run to several lines
            return s.getMessage() == null ? s.code().text() : firstLine(s.getMessage());
        }
        if (e instanceof UncheckedIOException u) {
            // a message lorafab wrote (e.g. "cannot bind UDP /0.0.0.0:1700: Address already in use") says more than the
            // cause alone; the default one is the cause's toString(), class name and all
            String m = u.getMessage();
            IOException cause = u.getCause();
            if (m == null || m.equals(String.valueOf(cause))) {
                return io(cause);
            }
            if (cause instanceof FileSystemException f && f.getFile() != null && m.contains(f.getFile())) {
                return firstLine(m) + ": " + fileProblem(f); // the message names the file already
            }
            if (cause.getMessage() != null && m.contains(cause.getMessage())) {
                return firstLine(m);
            }
            return firstLine(m) + ": " + io(cause);
        }
        if (e instanceof IOException io) {
            return io(io);
        }
        if (e instanceof UnresolvedAddressException) {
            return "a host name could not be resolved";
        }
        // a fault of lorafab itself: the message may help a report, the class name would not help the user
        String m = e.getMessage();
        return "internal error" + (m == null || m.isBlank() ? "" : ": " + LorafabCommand.redactKeys(firstLine(m)));
    }

    /** A failed file or socket operation in words: the file and what is wrong with it, or the network condition. */
    static String io(IOException e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile() == null ? "" : f.getFile() + ": ";
            return file + fileProblem(f);
        }
        if (e instanceof BindException) {
            return "the address is already in use";
        }
        if (e instanceof ConnectException) {
            return "connection refused (nothing listens there)";
        }
        if (e instanceof UnknownHostException u) {
            return "unknown host " + firstLine(u.getMessage());
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer in time";
        }
        return e.getMessage() == null ? "input/output error" : firstLine(e.getMessage());
    }

    /** Why a file operation failed, in a few words. */
    static String fileProblem(FileSystemException f) {
        if (f instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (f instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        String reason = f.getReason();
        return reason == null ? "cannot be accessed" : reason.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A usage error: picocli's message (its ArgGroup messages start with "Error: ", which the line already says),
     * and where help is. A value picocli could not convert is named with its option, without the converter's
     * exception.
     */
    static String usage(CommandLine.ParameterException ex) {
        String m = ex.getMessage() == null ? "invalid arguments" : firstLine(ex.getMessage());
        Throwable cause = ex.getCause();
        if (cause != null && !(cause instanceof CommandLine.TypeConversionException) && ex.getArgSpec() != null) {
            // picocli appends "(java.lang.SomeException: ...)" for a converter that failed otherwise
            m = "invalid value for " + argName(ex.getArgSpec()) + ": '" + ex.getValue() + "'";
        }
        if (m.regionMatches(true, 0, "Error: ", 0, 7)) {
            m = m.substring(7);
        }
        return LorafabCommand.redactKeys(m) + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
    }

    private static String argName(CommandLine.Model.ArgSpec spec) {
        return spec instanceof CommandLine.Model.OptionSpec o ? o.longestName() : spec.paramLabel();
    }

    static String firstLine(String m) {
        return m == null ? "" : m.lines().findFirst().orElse("");
    }
}
