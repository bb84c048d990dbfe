package io.lorafab.app.cli;

import io.lorafab.app.wiring.Lorafab;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code lorafab init}: creates a registry (or brings an existing one's schema up to date). With the other data
 * commands a mistyped {@code --data-dir} or {@code --db} is an error; here it is what the user asked for.
 */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create a registry: the data folder (owner-only, 0700) with the SQLite database lorafab.db",
                "(0600) and, unless LORAFAB_KEK is set, the KEK file kek.keys (0600); or, with --db, lorafab's",
                "schema in that PostgreSQL database. An existing registry is left as it is (its schema is brought",
                "up to date). Every other command except 'lorafab server' refuses a registry that does not exist."})
final class InitCommand extends RegistryCommand {

    @Override
    boolean createsRegistry() {
        return true;
    }

    @Override
    int run(Lorafab lf, PrintWriter out) {
        out.println("registry ready: database " + lf.database().displayUrl() + ", data folder "
                + lf.dataDir().toAbsolutePath().normalize() + ", active KEK " + lf.vault().activeLabel());
        return 0;
    }
}
