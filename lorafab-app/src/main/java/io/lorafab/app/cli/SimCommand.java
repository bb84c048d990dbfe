package io.lorafab.app.cli;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.sim.JoinLoadGenerator;
import io.lorafab.sim.JoinLoadReport;
import io.lorafab.store.model.UnitOrigin;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab sim ...}: simulated devices and gateways. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Simulated LoRaWAN devices and gateways.",
        subcommands = {SimCommand.Joins.class})
public final class SimCommand extends RegistryCommand.Group {

    @Command(name = "joins", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Load generator: registers N new virtual devices in the registry (fresh keys, IMPORTED),",
                    "then joins each once through G virtual gateways speaking Semtech UDP to the server, and reports",
                    "joins/s and latency percentiles. The server must use the same database (--db/--data-dir)."})
    static final class Joins extends RegistryCommand {

        @Option(names = "--devices", defaultValue = "1000", paramLabel = "N", description = "devices to join (default: ${DEFAULT-VALUE})")
        int devices;

        @Option(names = "--gateways", defaultValue = "4", paramLabel = "G", description = "virtual gateways (default: ${DEFAULT-VALUE})")
        int gateways;

        @Option(names = "--concurrency", defaultValue = "64", paramLabel = "C", description = "devices joining at once (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--server", required = true, paramLabel = "HOST:PORT", description = "the server's Semtech UDP address, e.g. 127.0.0.1:1700")
        String server;

        @Option(names = "--mac-version", defaultValue = "1.0.4", paramLabel = "V", description = "devices' LoRaWAN version (default: ${DEFAULT-VALUE})")
        String macVersion;

        @Option(names = "--join-eui", defaultValue = "70b3d57ed0000001", paramLabel = "EUI", description = "JoinEUI (default: ${DEFAULT-VALUE})")
        String joinEui;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            MacVersion v = Args.macVersion("--mac-version", macVersion);
            Eui64 join = Args.eui("--join-eui", joinEui);
            SecureRandom random = lf.random();
            long prefix = 0x0080000000000000L | ((random.nextLong() & 0x00ffffffL) << 24);
            List<DeviceIdentity> registered = new ArrayList<>();
            List<io.lorafab.sim.DeviceIdentity> simulated = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                Eui64 dev = Eui64.of(prefix + i);
                AesKey app = lf.provisioning().newKey();
                AesKey nwk = v.is11() ? lf.provisioning().newKey() : null;
                registered.add(new DeviceIdentity(dev, join, app, nwk, v, "EU868", null, "sim-" + i));
                simulated.add(new io.lorafab.sim.DeviceIdentity(dev, join, app, nwk, v, Region.byName("EU868")));
            }
            lf.provisioning().importDevices(registered, null, UnitOrigin.IMPORTED, actor());
            try {
                Path nvm = Files.createTempDirectory("lorafab-sim-nvm");
                JoinLoadReport r = new JoinLoadGenerator(JoinLoadGenerator.parseServer(server), gateways, concurrency, nvm,
                        Clock.systemUTC(), System::nanoTime, Duration.ofSeconds(8), JoinLoadGenerator.Radio.EU868_SF7).run(simulated);
                out.println(r.summary());
                return r.joined() == devices ? 0 : 1;
            } catch (java.io.IOException e) {
                throw new LorafabCommand.UserException("sim joins: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }
}
