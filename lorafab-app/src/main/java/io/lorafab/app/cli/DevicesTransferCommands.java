package io.lorafab.app.cli;

import io.lorafab.app.wiring.ExportKeks;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.jose.RecipientKey;
import io.lorafab.lorawan.region.Region;
import io.lorafab.provisioning.io.DeviceCsvImport;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.io.ImportError;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.provisioning.secureelement.ManifestSigners;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.provisioning.service.SecureElementImport;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Unit;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.OwnerOnlyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lorafab devices import} and {@code lorafab devices export}. */
final class DevicesTransferCommands {
    private DevicesTransferCommands() {
    }

    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Import devices with their keys from a CSV file with a header:",
                    "dev_eui, join_eui, app_key (required); nwk_key, serial, name, mac_version, region (optional).",
                    "All or nothing: every problem of the file (malformed rows, DevEUIs or serials that appear twice or are "
                            + "already registered) is listed by line on standard output and nothing of the file is committed.",
                    "--format tnglora: a Microchip ATECC608 TNGLoRa manifest (JSON list of signed entries); every entry's "
                            + "signature must verify against the --signers certificates, else nothing is imported. Its units "
                            + "are registered without keys (their secure elements hold them), joining through --join-server."})
    static final class Import extends RegistryCommand {

        @Option(names = "--format", paramLabel = "F", description = "csv (default) or tnglora")
        String format = "csv";

        @Option(names = "--signers", paramLabel = "PEM_OR_DIR", description = "tnglora: the pinned signer certificates "
                + "(Microchip log signers, or a CA of theirs): a PEM file, or a folder of .pem/.crt files; repeatable")
        List<Path> signers = new java.util.ArrayList<>();

        @Option(names = "--join-server", paramLabel = "HOST[:PORT]", description = "tnglora: the external join server "
                + "that holds the units' keys and serves their joins (as network servers are to be told it)")
        String joinServer;

        @Option(names = "--join-eui", paramLabel = "EUI", description = "tnglora: the units' JoinEUI (default 70B3D57ED0000000, "
                + "The Things Join Server's, which TNGLoRa parts hold)")
        String joinEui;

        @Parameters(index = "0", paramLabel = "FILE", description = "CSV file, or TNGLoRa manifest ('-' for standard input)")
        String file;

        @Option(names = "--mac-version", paramLabel = "V", description = "MAC version of rows without one (default: the product's, else 1.0.3)")
        String macVersion;

        @Option(names = "--region", paramLabel = "R", description = "region of rows without one (default: the product's, else EU868)")
        String region;

        @Option(names = "--product", paramLabel = "NAME", description = "the product these devices are")
        String product;

        @Option(names = "--kek-label", paramLabel = "L", description = "the export KEK whose label the file's wrapped keys name")
        String kekLabel;

        @Option(names = "--net-ids", paramLabel = "NETID[,NETID...]", description = "the network servers (NetIDs) that may join "
                + "these devices over Backend Interfaces, instead of their product's ('' for none)")
        String netIds;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            if (format.equals("tnglora")) {
                return importTngLora(lf, out);
            }
            if (!format.equals("csv")) {
                throw new LorafabCommand.UserException("--format: '" + format + "' is not csv or tnglora");
            }
            if (!signers.isEmpty() || joinServer != null || joinEui != null) {
                throw new LorafabCommand.UserException("--signers, --join-server and --join-eui go with --format tnglora");
            }
            AllowedNetIds own = netIds == null ? null : Args.option("--net-ids", () -> AllowedNetIds.parse(netIds));
            Product p = product == null ? null : lf.products().byName(product);
            MacVersion v = Provisioning.macVersionOf(Args.macVersion("--mac-version", macVersion), p);
            Region r = Provisioning.regionOf(Args.region("--region", region), p);
            DeviceCsvImport importer = new DeviceCsvImport(v, r);
            if (kekLabel != null) {
                importer = importer.withKek(ExportKeks.byLabel(kekLabel, System.getenv(), db.dataDir()));
            }
            byte[] bytes;
            try {
                bytes = file.equals("-") ? LorafabCommand.stdin(spec).readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new LorafabCommand.UserException(Args.cannotRead(file, e));
            }
            List<Unit> units;
            try {
                units = lf.provisioning().importRows(importer.readFile(bytes), p == null ? null : p.id(), own, actor());
            } catch (ImportException e) {
                // the report of the refused file is the command's output; stderr keeps its one error line
                for (ImportError error : e.errors()) {
                    out.println(error);
                }
                if (e.truncated()) {
                    out.println("... (more problems not listed)");
                }
                throw new LorafabCommand.UserException(file + ": " + e.rowSummary() + ", nothing imported ("
                        + (e.truncated() ? "the first " + e.errors().size() + " problems" : e.errors().size() == 1 ? "1 problem"
                                : e.errors().size() + " problems") + " listed above)");
            }
            out.println("imported " + units.size() + " device(s)");
            return 0;
        }

        private int importTngLora(Lorafab lf, PrintWriter out) {
            if (signers.isEmpty()) {
                throw new LorafabCommand.UserException("--format tnglora needs --signers (the certificates its entries must be signed by)");
            }
            if (joinServer == null) {
                throw new LorafabCommand.UserException("--format tnglora needs --join-server (the join server that holds the units' keys)");
            }
            if (kekLabel != null || netIds != null) {
                throw new LorafabCommand.UserException("--kek-label and --net-ids do not apply to --format tnglora: lorafab holds "
                        + "no key of these units and does not serve their joins");
            }
            Product p = product == null ? null : lf.products().byName(product);
            ManifestSigners pinned;
            try {
                pinned = io.lorafab.app.wiring.ManifestSignerFiles.load(signers);
            } catch (IllegalArgumentException e) {
                throw new LorafabCommand.UserException("--signers: " + e.getMessage());
            }
            byte[] bytes = readFile();
            List<Unit> units = lf.secureElementImport().importTngLora(new SecureElementImport.Request(bytes, pinned,
                    joinEui == null ? null : Args.eui("--join-eui", joinEui), joinServer, p, Args.macVersion("--mac-version", macVersion),
                    Args.region("--region", region)), actor());
            out.println("imported " + units.size() + " device(s) whose secure elements hold their keys; their joins go to "
                    + joinServer);
            return 0;
        }

        private byte[] readFile() {
            try {
                return file.equals("-") ? LorafabCommand.stdin(spec).readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new LorafabCommand.UserException(Args.cannotRead(file, e));
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Export devices with their root keys in a network server's import format.",
                    "Formats: tts-json, tts-csv (The Things Stack), chirpstack-csv, csv (lorafab's own, re-importable).",
                    "Keys leave in the clear unless --wrap-kek-label names an export KEK; every export is audited.",
                    "--encrypt-to writes the whole file as a JWE (RFC 7516) only the holder of that public key's private key opens.",
                    "loracloud-claim: DevEUI, ChipEUI, JoinEUI and claim PIN of the LR11xx-style units that reported them, for "
                            + "claiming them on the vendor's join service (audited as claims.export).",
                    "By default only units ready for the field (PROGRAMMED or PASSED) are exported."})
    static final class Export extends RegistryCommand {

        @Option(names = "--format", required = true, paramLabel = "F", description = "tts-json, tts-csv, chirpstack-csv, csv or loracloud-claim")
        String format;

        @Option(names = "--order", paramLabel = "REF", description = "only this work order's units")
        String order;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "file to write (created owner-only; '-' for standard output)")
        String outFile;

        @Option(names = "--wrap-kek-label", paramLabel = "L", description = "wrap the keys under this export KEK (RFC 3394) instead of writing them in the clear")
        String wrapKekLabel;

        @Option(names = "--encrypt-to", paramLabel = "PEM", description = "encrypt the file to this public key (PEM 'PUBLIC KEY', "
                + "RSA >= 2048 bits or EC P-256/P-384/P-521) or X.509 certificate: a compact JWE, A256GCM")
        String encryptTo;

        @Option(names = "--all-states", description = "export every unit that is not VOID")
        boolean allStates;

        @Option(names = "--frequency-plan", paramLabel = "ID", description = "TTS frequency_plan_id (default from the region)")
        String frequencyPlan;

        @Option(names = "--application-id", paramLabel = "ID", description = "TTS application ID / ChirpStack application UUID")
        String applicationId;

        @Option(names = "--device-profile-id", paramLabel = "UUID", description = "ChirpStack device profile UUID")
        String deviceProfileId;

        private DeviceExportFormat fmt;

        @Override
        void check() {
            if (claims()) {
                if (wrapKekLabel != null || frequencyPlan != null || applicationId != null || deviceProfileId != null) {
                    throw new LorafabCommand.UserException("--format loracloud-claim carries no keys and no network server "
                            + "settings: drop --wrap-kek-label, --frequency-plan, --application-id and --device-profile-id");
                }
                return;
            }
            fmt = Args.option("--format", () -> DeviceExportFormat.byId(format));
        }

        private int runClaims(Lorafab lf, PrintWriter out) {
            return runClaimsOf(this, lf, out);
        }

        private boolean claims() {
            return io.lorafab.provisioning.io.LoraCloudClaimCsv.FORMAT.equalsIgnoreCase(format.strip());
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            if (claims()) {
                return runClaims(lf, out);
            }
            ExportOptions o = ExportOptions.defaults();
            if (frequencyPlan != null) {
                o = o.withFrequencyPlanId(frequencyPlan);
            }
            if (applicationId != null) {
                o = o.withApplicationId(applicationId);
            }
            if (deviceProfileId != null) {
                o = o.withDeviceProfileId(deviceProfileId);
            }
            if (wrapKekLabel != null) {
                o = o.withWrapKek(ExportKeks.byLabel(wrapKekLabel, System.getenv(), db.dataDir()));
            }
            RecipientKey recipient = encryptTo == null ? null : RecipientKey.fromPem(readText(encryptTo));
            Long orderId = order == null ? null : lf.workOrders().byReference(order).id();
            byte[] bytes = recipient == null ? lf.exports().export(fmt, o, orderId, allStates, actor())
                    : lf.exports().exportEncrypted(fmt, o, orderId, allStates, recipient, actor());
            if (outFile.equals("-")) {
                out.print(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                if (recipient != null) {
                    out.println();
                }
                return 0;
            }
            writePrivate(Path.of(outFile), bytes);
            String keys = wrapKekLabel == null ? "keys in the clear" : "keys wrapped under " + wrapKekLabel;
            spec.commandLine().getErr().println("wrote " + outFile + " (" + fmt.id() + (recipient == null
                    ? ", " + keys + (wrapKekLabel == null ? ": keep it safe)" : ")")
                    : ", " + keys + " inside a JWE encrypted to " + recipient.description() + " key " + recipient.thumbprint() + ")"));
            return 0;
        }
    }

    /** The claim export: the same scope, output and encryption rules as the key exports, through the same service. */
    private static int runClaimsOf(Export e, Lorafab lf, PrintWriter out) {
        RecipientKey recipient = e.encryptTo == null ? null : RecipientKey.fromPem(readText(e.encryptTo));
        Long orderId = e.order == null ? null : lf.workOrders().byReference(e.order).id();
        byte[] bytes = lf.exports().exportClaims(orderId, e.allStates, recipient, RegistryCommand.actor());
        if (e.outFile.equals("-")) {
            out.print(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            if (recipient != null) {
                out.println();
            }
            return 0;
        }
        writePrivate(Path.of(e.outFile), bytes);
        e.spec.commandLine().getErr().println("wrote " + e.outFile + " (loracloud-claim, " + (recipient == null
                ? "claim PINs in the clear: keep it safe)" : "inside a JWE encrypted to " + recipient.description() + " key "
                        + recipient.thumbprint() + ")"));
        return 0;
    }

    /** A small text file the user named (a PEM key or certificate). */
    static String readText(String file) {
        try {
            // Latin-1 reads any bytes: a DER or binary file is then refused as "not a PEM", not as unreadable
            return new String(Files.readAllBytes(Path.of(file)), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new LorafabCommand.UserException(Args.cannotRead(file, e));
        }
    }

    /** Writes a file readable by its owner only, since it may hold keys. */
    static void writePrivate(Path file, byte[] bytes) {
        try {
            OwnerOnlyFiles.write(file, bytes);
        } catch (IOException e) {
            throw Args.cannotWrite(file, e);
        }
    }
}
