package io.lorafab.app.cli;

import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.SerialTemplate;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab products}: the products a maker builds. */
@Command(name = "products", mixinStandardHelpOptions = true,
        description = "Define and list products: JoinEUI, MAC version, region, TR005 ProfileID, programming and test thresholds.",
        subcommands = {ProductsCommand.Create.class, ProductsCommand.ListProducts.class, ProductsCommand.SetNetIds.class})
public final class ProductsCommand extends RegistryCommand.Group {

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create a product.",
            footer = {"", "Example:",
                    "  lorafab products create --name tracker --join-eui 70b3d57ed0000000 --mac-version 1.0.3 \\",
                    "      --region EU868 --vendor-id 1234 --model-id 1 --rssi-min -90 --snr-min 5 --net-ids 000013"})
    static final class Create extends RegistryCommand {

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "unique product name")
        String name;

        @Option(names = "--join-eui", required = true, paramLabel = "EUI", description = "JoinEUI of every unit (16 hex digits)")
        String joinEui;

        @Option(names = "--mac-version", required = true, paramLabel = "V", description = "LoRaWAN MAC version: 1.0.0 .. 1.0.4 or 1.1")
        String macVersion;

        @Option(names = "--region", required = true, paramLabel = "R", description = "regional parameters, e.g. EU868, US915, AS923-2")
        String region;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Profile profile;

        static final class Profile {
            @Option(names = "--profile-id", required = true, paramLabel = "HEX8",
                    description = "TR005 ProfileID: VendorID and ModelID as 8 hex digits")
            String profileId;

            @ArgGroup(exclusive = false, multiplicity = "1")
            VendorModel vendorModel;
        }

        static final class VendorModel {
            @Option(names = "--vendor-id", required = true, paramLabel = "INT", description = "LoRa Alliance VendorID (0..65535)")
            int vendorId;

            @Option(names = "--model-id", required = true, paramLabel = "INT", description = "the vendor's ModelID (0..65535)")
            int modelId;
        }

        @Option(names = "--programming-profile", paramLabel = "P", description = "how units are programmed (default: at:rak3172)")
        String programmingProfile;

        @Option(names = "--rssi-min", paramLabel = "DBM", description = "end-of-line test: lowest RSSI accepted")
        Double rssiMin;

        @Option(names = "--snr-min", paramLabel = "DB", description = "end-of-line test: lowest SNR accepted")
        Double snrMin;

        @Option(names = "--downlink-rssi-min", paramLabel = "DBM",
                description = "two-way test: lowest RSSI of the test downlink as the module measured it")
        Double downlinkRssiMin;

        @Option(names = "--downlink-snr-min", paramLabel = "DB",
                description = "two-way test: lowest SNR of the test downlink as the module measured it")
        Double downlinkSnrMin;

        @Option(names = "--certification-profile",
                description = {"run the TS009 end-of-line profile on each unit (its firmware implements the LoRaWAN",
                        "certification protocol on FPort 224): versions, echo, downlink count"})
        boolean certificationProfile;

        @Option(names = "--certification-data-rates", paramLabel = "DR[,DR...]", split = ",",
                description = {"with --certification-profile: echo once on each of these uplink data rates (DR indices of",
                        "the region, e.g. 5,4,3); a station steps an AT module through them, a board on its own firmware",
                        "must step them itself (default: one echo at any data rate)"})
        List<Integer> certificationDataRates;

        @Option(names = "--certification-firmware-version", paramLabel = "V",
                description = {"with --certification-profile: the firmware version units must report, major.minor.patch",
                        "(e.g. 1.4.2), or major.minor.patch.revision to compare the revision too (default: not checked)"})
        String certificationFirmwareVersion;

        @Option(names = "--serial-template", paramLabel = "T",
                description = {"how allocated units get serial numbers (default: " + SerialTemplate.DEFAULT_TEXT + "):",
                        "{product} {yyyy} {yy} {MM} {dd} {yyMM} (UTC) and one {seq} or {seq:0N}, the product's sequence number"})
        String serialTemplate;

        @Option(names = "--net-ids", paramLabel = "NETID[,NETID...]", description = NET_IDS_HELP)
        String netIds;

        @Option(names = "--json", description = "print the product as JSON")
        boolean json;

        private NewProduct product;
        private AllowedNetIds allowed;

        @Override
        void check() {
            Eui64 join = Args.eui("--join-eui", joinEui);
            MacVersion mac = Args.macVersion("--mac-version", macVersion);
            Region reg = Args.region("--region", region);
            ProfileId pid = profile.profileId != null
                    ? Args.option("--profile-id", () -> ProfileId.parse(profile.profileId.strip()))
                    : Args.option("--vendor-id/--model-id", () -> new ProfileId(profile.vendorModel.vendorId, profile.vendorModel.modelId));
            if (rssiMin != null && !Double.isFinite(rssiMin) || snrMin != null && !Double.isFinite(snrMin)) {
                throw new LorafabCommand.UserException("--rssi-min/--snr-min: must be finite numbers");
            }
            if (downlinkRssiMin != null && !Double.isFinite(downlinkRssiMin) || downlinkSnrMin != null && !Double.isFinite(downlinkSnrMin)) {
                throw new LorafabCommand.UserException("--downlink-rssi-min/--downlink-snr-min: must be finite numbers");
            }
            SerialTemplate serials;
            try {
                serials = serialTemplate == null ? null : SerialTemplate.parse(serialTemplate);
            } catch (LorawanFormatException e) {
                throw new LorafabCommand.UserException("--serial-template: " + e.getMessage().replaceFirst("^serial template: ", ""));
            }
            List<Integer> dataRates = Args.option("--certification-data-rates",
                    () -> NewProduct.certificationDataRates(reg, certificationDataRates));
            String firmware = Args.option("--certification-firmware-version",
                    () -> NewProduct.certificationFirmwareVersion(certificationFirmwareVersion));
            if (!certificationProfile && (!dataRates.isEmpty() || firmware != null)) {
                throw new LorafabCommand.UserException("--certification-data-rates/--certification-firmware-version: need"
                        + " --certification-profile (the TS009 profile checks them)");
            }
            product = new NewProduct(name, join, mac, reg, pid, programmingProfile, rssiMin, snrMin, serials, downlinkRssiMin,
                    downlinkSnrMin, certificationProfile, dataRates, firmware);
            allowed = Args.option("--net-ids", () -> AllowedNetIds.parse(netIds));
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Product p = lf.products().create(product, allowed, actor());
            io.lorafab.api.model.ProductView view = ApiViews.product(p, lf.products().netIds(p));
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, description = "List the products.")
    static final class ListProducts extends RegistryCommand {

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            List<Product> products = lf.products().all();
            if (json) {
                Output.json(out, products.stream().map(p -> ApiViews.product(p, lf.products().netIds(p))).toList());
                return 0;
            }
            Output.Table t = new Output.Table("ID", "NAME", "JOIN EUI", "MAC", "REGION", "PROFILE ID", "PROGRAMMING",
                    "RSSI MIN", "SNR MIN", "SERIAL TEMPLATE", "NET IDS").rightAligned(0, 7, 8);
            for (Product p : products) {
                AllowedNetIds ids = lf.products().netIds(p);
                t.row(p.id(), p.name(), p.joinEui(), p.macVersion().text(), p.region(), p.profileId(),
                        p.programmingProfile(), p.rssiMinDbm(), p.snrMinDb(), p.serialTemplate(), ids.isEmpty() ? "none" : ids.toString());
            }
            t.print(out);
            return 0;
        }
    }

    static final String NET_IDS_HELP = "the network servers (NetIDs, comma-separated) that may join the devices over Backend "
            + "Interfaces and receive their session keys; none by default (the end-of-line test does not need any)";

    @Command(name = "set-net-ids", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Set the network servers (NetIDs) that may join a product's devices over Backend Interfaces.",
            footer = {"", "Example:", "  lorafab products set-net-ids --name tracker --net-ids 000013,000042",
                    "  lorafab products set-net-ids --name tracker --net-ids ''      # none"})
    static final class SetNetIds extends RegistryCommand {

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the product")
        String name;

        @Option(names = "--net-ids", required = true, paramLabel = "NETID[,NETID...]", description = NET_IDS_HELP)
        String netIds;

        @Option(names = "--json", description = "print the product as JSON")
        boolean json;

        private AllowedNetIds allowed;

        @Override
        void check() {
            allowed = Args.option("--net-ids", () -> AllowedNetIds.parse(netIds));
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Product p = lf.products().byName(name);
            lf.products().setNetIds(p, allowed, actor());
            io.lorafab.api.model.ProductView view = ApiViews.product(p, lf.products().netIds(p));
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            return 0;
        }
    }
}
