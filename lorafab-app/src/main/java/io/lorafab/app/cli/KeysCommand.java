package io.lorafab.app.cli;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.vault.KeyRotation;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab keys}: the key-encryption keys that wrap the stored root keys. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage the key-encryption keys (KEKs) that wrap every stored root key.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.Rewrap.class})
public final class KeysCommand extends RegistryCommand.Group {

    @Command(name = "rotate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Generate a new KEK in the data folder's key file, make it active and re-wrap every stored key",
                    "under it (units' root keys and join server session keys), in batches, while the registry stays",
                    "in use. Prints the new label and how many key sets were re-wrapped. Not possible when the KEK comes from LORAFAB_KEK."})
    static final class Rotate extends RegistryCommand {

        @Option(names = "--label", paramLabel = "L", description = "label of the new KEK: A-Z a-z 0-9 . _ - (default: kek-<epoch seconds>)")
        String label;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            String next = label != null ? label.strip() : defaultLabel(lf);
            KeyRotation.Result r = KeyRotation.rotate(lf.registry(), lf.vault(), actor(), next, lf.random());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", r.newLabel());
            m.put("previousLabel", r.previousLabel());
            m.put("rewrapped", r.rewrapped());
            m.put("units", r.units());
            m.put("sessions", r.sessions());
            if (json) {
                Output.json(out, m);
            } else {
                Output.record(out, m);
            }
            return 0;
        }

        /** kek-<epoch seconds>, with a -2, -3... suffix if that label is taken (a key file made this second). */
        private static String defaultLabel(Lorafab lf) {
            String base = "kek-" + Clock.systemUTC().instant().getEpochSecond();
            Set<String> taken = lf.registry().keks().keySet();
            String l = base;
            for (int n = 2; taken.contains(l) || lf.vault().ring().byLabel(l) != null; n++) {
                l = base + "-" + n;
            }
            return l;
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Re-wrap every stored key that is not yet under the active KEK (the first one in LORAFAB_KEK or",
                    "in the key file). This finishes a rotation done by hand, e.g. after putting NEWLABEL:NEWHEX first",
                    "in LORAFAB_KEK while keeping the old KEK listed. Prints the active label and how many were re-wrapped."})
    static final class Rewrap extends RegistryCommand {

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            String active = lf.vault().activeLabel();
            KeyRotation.Counts n = KeyRotation.rewrapAllKinds(lf.registry(), lf.vault());
            lf.registry().audit(actor(), "keys.rewrap", "kek:" + active, "rewrapped=" + n.total() + " units=" + n.units()
                    + " sessions=" + n.sessions());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", active);
            m.put("rewrapped", n.total());
            m.put("units", n.units());
            m.put("sessions", n.sessions());
            if (json) {
                Output.json(out, m);
            } else {
                Output.record(out, m);
            }
            return 0;
        }
    }
}
