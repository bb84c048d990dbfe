package io.lorafab.app.cli;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.provisioning.service.Keys;
import io.lorafab.store.vault.KeyRotation;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
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
                    "in use. Prints the new label and how many key sets were re-wrapped. Not possible when the KEK comes from LORAFAB_KEK.",
                    "The new KEK is made where the active one is (the key file, or the PKCS#11 token); --to-hsm and --to-file move it."})
    static final class Rotate extends RegistryCommand {

        @Option(names = "--label", paramLabel = "L", description = "label of the new KEK: A-Z a-z 0-9 . _ - (default: kek-<epoch seconds>)")
        String label;

        @Option(names = "--to-hsm", description = "generate the new KEK in the PKCS#11 token (LORAFAB_PKCS11_MODULE, _SLOT, _PIN_FILE), "
                + "which it never leaves")
        boolean toHsm;

        @Option(names = "--to-file", description = "put the new KEK in the key file (e.g. back from the token)")
        boolean toFile;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            if (toHsm && toFile) {
                throw new LorafabCommand.UserException("--to-hsm and --to-file: give one of them");
            }
            KeyRotation.Target target = toHsm ? KeyRotation.Target.TOKEN : toFile ? KeyRotation.Target.FILE : KeyRotation.Target.AS_ACTIVE;
            KeyRotation.Result r = lf.keys().rotate(label, target, actor());
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
            Keys.Rewrap n = lf.keys().rewrap(actor());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", n.label());
            m.put("rewrapped", n.rewrapped());
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
