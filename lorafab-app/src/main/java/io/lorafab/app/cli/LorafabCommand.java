package io.lorafab.app.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code lorafab} command. */
@Command(name = "lorafab", mixinStandardHelpOptions = true, versionProvider = LorafabCommand.Version.class,
        description = "LoRaWAN device identity, key provisioning, end-of-line test and join server.",
        subcommands = {DemoCommand.class, DecodeCommand.class, DecryptCommand.class, InitCommand.class, ProductsCommand.class, EuiBlocksCommand.class, OrdersCommand.class,
                DevicesCommand.class, TokensCommand.class, KeysCommand.class, AuditCommand.class, LabelsCommand.Sheet.class,
                LabelsCommand.Qr.class, ServerCommand.class, StationCommand.class, PortsCommand.class, SimCommand.class,
                CommandLine.HelpCommand.class})
public final class LorafabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What the commands read as standard input (the station's scanner, {@code devices import -}). */
    private InputStream stdin = InputStream.nullInputStream();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: lorafab --help)");
    }

    /**
     * Runs the command line and returns the exit code: 0 on success, 1 when the input is invalid or the work
     * failed, 2 for a usage error. Either failure is one line {@code error: ...} on stderr, made by {@link ErrorLine}.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new ByteArrayInputStream(new byte[0]), out, err);
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream)}, reading {@code in} as standard input. Only {@code Main} passes
     * {@code System.in}: a command run inside a test must not read the test runner's own standard input (Surefire's
     * fork takes its commands from Maven there, and a station's reader thread left on it swallowed the end-of-run
     * acknowledgement, which cost every build a 30 s wait and a kill).
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Logging.routeJavaUtilLogging();
        LorafabCommand root = new LorafabCommand();
        root.stdin = in;
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ErrorLine.usage(ex));
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getOut().flush();
            c.getErr().println("error: " + ErrorLine.of(ex));
            return 1;
        });
        return cl.execute(args);
    }

    /** The standard input of the command line {@code spec} belongs to. */
    static InputStream stdin(CommandLine.Model.CommandSpec spec) {
        return ((LorafabCommand) spec.root().userObject()).stdin;
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
