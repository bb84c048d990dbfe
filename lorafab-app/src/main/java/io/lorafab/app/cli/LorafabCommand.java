package io.lorafab.app.cli;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.StoreException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code lorafab} command. */
@Command(name = "lorafab", mixinStandardHelpOptions = true, versionProvider = LorafabCommand.Version.class,
        description = "LoRaWAN device identity, key provisioning, end-of-line test and join server.",
        subcommands = {DemoCommand.class, DecodeCommand.class, InitCommand.class, ProductsCommand.class, EuiBlocksCommand.class, OrdersCommand.class,
                DevicesCommand.class, TokensCommand.class, KeysCommand.class, AuditCommand.class, LabelsCommand.Sheet.class,
                LabelsCommand.Qr.class, ServerCommand.class, StationCommand.class, SimCommand.class,
                CommandLine.HelpCommand.class})
public final class LorafabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: lorafab --help)");
    }

    /**
     * Runs the command line and returns the exit code: 0 on success, 1 when the input is invalid (one line
     * "error: ..." on stderr), 2 for a usage error.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new LorafabCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + redactKeys(ex.getMessage()));
            c.getErr().println("usage: see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("error: " + oneLine(ex));
            return 1;
        });
        return cl.execute(args);
    }

    private static String oneLine(Exception ex) {
        if (ex instanceof LorawanFormatException || ex instanceof UserException
                || ex instanceof io.lorafab.provisioning.io.ExportException || ex instanceof io.lorafab.station.at.AtException
                || ex instanceof io.lorafab.station.client.StationApiException) {
            return ex.getMessage();
        }
        String m = ex.getMessage();
        if (ex instanceof StoreException) {
            // a registry refusal: its message says what is wrong (never a key); a driver's may run to several lines
            return m == null ? ((StoreException) ex).code() : m.lines().findFirst().orElse("");
        }
        return ex.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Anything that looks like a key (32 or more hex digits) in a message picocli built from the arguments. */
    static String redactKeys(String message) {
        return message == null ? "" : message.replaceAll("(?i)(0x)?[0-9a-f]{32,}", "<redacted>");
    }

    /** A failure the user can fix, printed as one line without a stack trace. */
    public static final class UserException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UserException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LorafabCommand.class.getPackage().getImplementationVersion();
            return new String[] {"lorafab " + (v == null ? "development build" : v)};
        }
    }
}
