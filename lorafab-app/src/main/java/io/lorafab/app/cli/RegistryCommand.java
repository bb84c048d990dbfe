package io.lorafab.app.cli;

import io.lorafab.app.wiring.Lorafab;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * A command that acts on the registry: checks its options, opens the database named by {@link DbOptions}
 * and runs against it, closing it afterwards.
 */
abstract class RegistryCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DbOptions db;

    /** Checks and parses the options before the database is opened; throws for bad input. */
    void check() {
    }

    /**
     * Whether this command may create a registry that does not exist ({@code lorafab init}); every other command
     * refuses a missing one rather than silently making an empty registry.
     */
    boolean createsRegistry() {
        return false;
    }

    /** The command's work; returns the exit code. */
    abstract int run(Lorafab lorafab, PrintWriter out);

    @Override
    public final Integer call() {
        check();
        quietLogs();
        PrintWriter out = spec.commandLine().getOut();
        int code;
        try (Lorafab lorafab = createsRegistry() ? db.create() : db.open()) {
            code = run(lorafab, out);
        }
        out.flush();
        return code;
    }

    /**
     * A command's output is its data; the connection pool's start and stop notices would only add noise on
     * stderr (where an error is one line). Warnings still show; an explicit setting wins.
     */
    private static void quietLogs() {
        QuietLogs.apply();
    }

    static String actor() {
        return DbOptions.actor();
    }

    /** A command group: without a subcommand it is a usage error. */
    abstract static class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "missing subcommand (try: " + spec.qualifiedName() + " --help)");
        }
    }
}
