package io.lorafab.app.cli;

import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.service.NewDevice;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab devices}: the units in the registry. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Add or import devices made elsewhere (with their keys), list them, export them for a network server.",
        subcommands = {DevicesCommand.Add.class, DevicesTransferCommands.Import.class, DevicesCommand.ListDevices.class,
                DevicesTransferCommands.Export.class, DevicesCommand.Reassign.class, DevicesCommand.VoidUnit.class})
public final class DevicesCommand extends RegistryCommand.Group {

    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Add one device with known root keys; it is stored as PROGRAMMED with its keys wrapped.",
                    "The keys are read only from the options and never printed."},
            footer = {"", "Example:",
                    "  lorafab devices add --dev-eui 70b3d57ed0001234 --join-eui 70b3d57ed0000000 \\",
                    "      --app-key \"$APP_KEY\" --serial SN-0001 --product tracker"})
    static final class Add extends RegistryCommand {

        @Option(names = "--dev-eui", required = true, paramLabel = "EUI", description = "DevEUI (16 hex digits)")
        String devEui;

        @Option(names = "--join-eui", required = true, paramLabel = "EUI", description = "JoinEUI (16 hex digits)")
        String joinEui;

        @Option(names = "--app-key", required = true, paramLabel = "KEY", description = "AppKey, 32 hex digits")
        String appKey;

        @Option(names = "--nwk-key", paramLabel = "KEY", description = "NwkKey, 32 hex digits (LoRaWAN 1.1 devices only, and required for them)")
        String nwkKey;

        @Option(names = "--mac-version", paramLabel = "V", description = "LoRaWAN MAC version (default: the product's, else 1.0.3)")
        String macVersion;

        @Option(names = "--region", paramLabel = "R", description = "regional parameters (default: the product's, else EU868)")
        String region;

        @Option(names = "--serial", paramLabel = "S", description = "serial number (unique)")
        String serial;

        @Option(names = "--name", paramLabel = "N", description = "device name")
        String name;

        @Option(names = "--product", paramLabel = "NAME", description = "the product the device is one of")
        String product;

        @Option(names = "--net-ids", paramLabel = "NETID[,NETID...]", description = "the network servers (NetIDs) that may join "
                + "this device over Backend Interfaces, instead of its product's ('' for none)")
        String netIds;

        @Option(names = "--json", description = "print the device as JSON")
        boolean json;

        private AllowedNetIds ownNetIds;
        private Eui64 dev;
        private Eui64 join;
        private AesKey app;
        private AesKey nwk;
        private MacVersion mac;
        private Region reg;

        @Override
        void check() {
            dev = Args.eui("--dev-eui", devEui);
            Args.option("--dev-eui", () -> Provisioning.checkDevEui(dev));
            join = Args.eui("--join-eui", joinEui);
            app = Args.key("--app-key", appKey);
            nwk = Args.key("--nwk-key", nwkKey);
            mac = Args.macVersion("--mac-version", macVersion);
            reg = Args.region("--region", region);
            ownNetIds = netIds == null ? null : Args.option("--net-ids", () -> AllowedNetIds.parse(netIds));
            if (mac != null) {
                checkKeys(mac);
            }
        }

        /** The service's key rule, checked early and named after the option (the service checks it again). */
        private void checkKeys(MacVersion v) {
            Args.option("--nwk-key", () -> Provisioning.checkRootKeys(v, nwk != null));
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Product p = product == null ? null : lf.products().byName(product);
            checkKeys(Provisioning.macVersionOf(mac, p));
            Unit u = lf.provisioning().addDevice(new NewDevice(dev, join, app, nwk, mac, reg, serial, name), p, ownNetIds, actor());
            io.lorafab.api.model.DeviceView view = ApiViews.device(u, p == null ? null : p.name(),
                    lf.registry().allowedNetIds(u.devEui()));
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List devices (identities and states; never keys).")
    static final class ListDevices extends RegistryCommand {

        @Option(names = "--order", paramLabel = "REF", description = "only the units of this work order")
        String order;

        @Option(names = "--state", paramLabel = "STATE", description = "only units in this state: reserved, programmed, passed, failed or void")
        String state;

        @Option(names = "--serial", paramLabel = "S", description = "only the unit with this serial number, or with S* those whose serial starts with S")
        String serial;

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        private UnitState wanted;

        @Override
        void check() {
            wanted = Args.unitState("--state", state);
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Long orderId = order == null ? null : lf.workOrders().byReference(order).id();
            Map<Long, String> productNames = new HashMap<>();
            for (Product p : lf.products().all()) {
                productNames.put(p.id(), p.name());
            }
            Map<Long, String> orderRefs = new HashMap<>();
            for (WorkOrder o : lf.workOrders().all()) {
                orderRefs.put(o.id(), o.reference());
            }
            List<Unit> units = lf.provisioning().units(new UnitQuery(orderId, wanted, null, null, serial == null || serial.isBlank()
                    ? null : serial.strip(), 0, Integer.MAX_VALUE));
            if (json) {
                Output.json(out, units.stream()
                        .map(u -> ApiViews.unit(u, productNames.get(u.productId()), orderRefs.get(u.workOrderId()))).toList());
                return 0;
            }
            Output.Table t = new Output.Table("DEV EUI", "JOIN EUI", "STATE", "PRODUCT", "ORDER", "SERIAL", "NAME", "MAC",
                    "REGION");
            for (Unit u : units) {
                t.row(u.devEui(), u.joinEui(), u.state(), productNames.get(u.productId()), orderRefs.get(u.workOrderId()),
                        u.serial(), u.name(), u.macVersion().text(), u.region());
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "reassign", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Hand a RESERVED or PROGRAMMED unit to another station (e.g. its own station's fixture broke):",
                    "afterwards only that station resumes it. Audited (unit.reassign)."},
            footer = {"", "Example:", "  lorafab devices reassign 70b3d57ed0001234 --station-id line-9"})
    static final class Reassign extends RegistryCommand {

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "DEVEUI", description = "the unit's DevEUI")
        String devEui;

        @Option(names = "--station-id", required = true, paramLabel = "ID", description = "the station that takes the unit over")
        String stationId;

        @Option(names = "--json", description = "print the unit as JSON")
        boolean json;

        private Eui64 dev;

        @Override
        void check() {
            dev = Args.eui("DEVEUI", devEui);
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Unit u = lf.provisioning().reassign(dev, stationId, actor());
            io.lorafab.api.model.UnitView view = ApiViews.unit(u);
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            return 0;
        }
    }

    @Command(name = "void", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Void a unit (scrapped, or abandoned after a station crash): its DevEUI is never handed out",
                    "again and its work order gets the slot back. Audited as unit.void, as POST /api/units/{devEui}/void is."},
            footer = {"", "Example:", "  lorafab devices void 70b3d57ed0010000 --reason 'cracked housing'"})
    static final class VoidUnit extends RegistryCommand {

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "DEVEUI", description = "the unit's DevEUI")
        String devEui;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept in the audit log)")
        String reason;

        @Option(names = "--json", description = "print the unit as JSON")
        boolean json;

        private Eui64 dev;

        @Override
        void check() {
            dev = Args.eui("DEVEUI", devEui);
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            io.lorafab.api.model.UnitView view = ApiViews.unit(lf.provisioning().voidUnit(dev, reason, actor()));
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            return 0;
        }
    }
}
