package io.lorafab.app.cli;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.sim.DeviceNvm;
import io.lorafab.sim.JoinLoadGenerator;
import io.lorafab.sim.JoinLoadReport;
import io.lorafab.sim.JoinOutcome;
import io.lorafab.sim.JoinRefusal;
import io.lorafab.sim.SimException;
import io.lorafab.sim.SimGateway;
import io.lorafab.sim.VirtualDevice;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule;
import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.ImageFormatException;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import io.lorafab.station.line.ImageFixture;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lorafab sim ...}: simulated devices and gateways. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Simulated LoRaWAN devices and gateways.",
        subcommands = {SimCommand.Joins.class, SimCommand.AtModule.class, SimCommand.Flash.class})
public final class SimCommand extends RegistryCommand.Group {

    /** {@code --timing}: on-air or compressed (see {@link VirtualGateway.Timing}). */
    static final class TimingConverter implements picocli.CommandLine.ITypeConverter<VirtualGateway.Timing> {
        @Override
        public VirtualGateway.Timing convert(String value) {
            return VirtualGateway.Timing.ofOptionName(value).orElseThrow(() ->
                    new picocli.CommandLine.TypeConversionException("expected on-air or compressed, got '" + value + "'"));
        }
    }

    static final String TIMING_HELP = "on-air: a downlink reaches the device at its tmst, as on a radio (a join takes 5 s); "
            + "compressed: as soon as the gateway has accepted it for its slot, so the wait is skipped and the server is "
            + "measured (default: ${DEFAULT-VALUE})";

    @Command(name = "joins", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Join load generator: N virtual devices join through G virtual gateways.",
                    "Registers N simulated devices (fresh keys, DevEUIs from the EUI-64 documentation range 00-00-5E-EF-10-xx-xx-xx, "
                            + "origin SIMULATED), joins each once through G virtual gateways speaking Semtech UDP to the server "
                            + "(--server) or, with --gateway basics-station, LoRa Basics Station to its LNS (--lns), and "
                            + "reports joins/s and latency percentiles. A run that fails removes its devices again.",
                    "By default the devices go into the simulator's own data folder " + Joins.OWN_DATA_DIR + " (run the server "
                            + "with --data-dir " + Joins.OWN_DATA_DIR + "); writing them into another registry (--data-dir, --db) "
                            + "needs --register."})
    static final class Joins extends RegistryCommand {

        /** The simulator's own data folder: simulated devices stay out of a production registry unless asked. */
        static final String OWN_DATA_DIR = "lorafab-sim-data";

        /** The IANA EUI-64 documentation range 00-00-5E-EF-10-00-00-00 .. -FF-FF-FF (RFC 7042, section 2.2.3). */
        static final long DOC_RANGE_FIRST = 0x00005eef10000000L;
        static final long DOC_RANGE_SIZE = 1L << 24;

        @Option(names = "--devices", defaultValue = "1000", paramLabel = "N", description = "devices to join (default: ${DEFAULT-VALUE})")
        int devices;

        @Option(names = "--gateways", defaultValue = "4", paramLabel = "G", description = "virtual gateways (default: ${DEFAULT-VALUE})")
        int gateways;

        @Option(names = "--concurrency", defaultValue = "64", paramLabel = "C", description = "devices joining at once (default: ${DEFAULT-VALUE})")
        int concurrency;

        @picocli.CommandLine.Mixin
        SimGatewayOptions gateway = new SimGatewayOptions();

        @Option(names = "--mac-version", defaultValue = "1.0.4", paramLabel = "V", description = "devices' LoRaWAN version (default: ${DEFAULT-VALUE})")
        String macVersion;

        @Option(names = "--join-eui", defaultValue = "70b3d57ed0000001", paramLabel = "EUI", description = "JoinEUI (default: ${DEFAULT-VALUE})")
        String joinEui;

        @Option(names = "--timing", defaultValue = "compressed", paramLabel = "T", converter = TimingConverter.class,
                description = TIMING_HELP)
        VirtualGateway.Timing timing;

        @Option(names = "--register", description = "allow writing the simulated devices into the registry given by --data-dir or --db")
        boolean register;

        private boolean ownFolder;

        @Override
        void check() {
            // before the registry is opened: a mistyped option must not leave registered devices behind
            if (devices < 1 || devices > DOC_RANGE_SIZE / 2) {
                throw new LorafabCommand.UserException("--devices: 1.." + DOC_RANGE_SIZE / 2);
            }
            if (gateways < 1 || concurrency < 1) {
                throw new LorafabCommand.UserException((gateways < 1 ? "--gateways" : "--concurrency") + ": expected at least 1");
            }
            Args.macVersion("--mac-version", macVersion);
            Args.eui("--join-eui", joinEui);
            gateway.check();
            picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
            ownFolder = !given.hasMatchedOption("--data-dir") && !given.hasMatchedOption("--db");
            if (ownFolder) {
                db.dataDir = Path.of(OWN_DATA_DIR);
            } else if (!register) {
                throw new LorafabCommand.UserException("sim joins would write " + devices + " simulated devices into the registry at "
                        + (db.dbUrl() != null ? "--db" : db.dataDir().toString()) + ": add --register to allow it (without --data-dir "
                        + "and --db they go into " + OWN_DATA_DIR + ")");
            }
        }

        @Override
        boolean createsRegistry() {
            return ownFolder;
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            MacVersion v = Args.macVersion("--mac-version", macVersion);
            Eui64 join = Args.eui("--join-eui", joinEui);
            SecureRandom random = lf.random();
            List<DeviceIdentity> registered = new ArrayList<>();
            List<io.lorafab.sim.DeviceIdentity> simulated = new ArrayList<>();
            // a random run of N in the documentation range; one that collides with an earlier run's is refused whole
            long first = DOC_RANGE_FIRST + (random.nextLong() & (DOC_RANGE_SIZE - 1)) % (DOC_RANGE_SIZE - devices + 1);
            for (int i = 0; i < devices; i++) {
                Eui64 dev = Eui64.of(first + i);
                AesKey app = lf.provisioning().newKey();
                AesKey nwk = v.is11() ? lf.provisioning().newKey() : null;
                registered.add(new DeviceIdentity(dev, join, app, nwk, v, Unit.DEFAULT_REGION, null, "sim-" + i));
                simulated.add(new io.lorafab.sim.DeviceIdentity(dev, join, app, nwk, v, Unit.DEFAULT_REGION));
            }
            lf.provisioning().importDevices(registered, null, UnitOrigin.SIMULATED, actor());
            boolean passed = false;
            Path nvm = null;
            try {
                nvm = Files.createTempDirectory("lorafab-sim-nvm");
                JoinLoadReport r = new JoinLoadGenerator(i -> gateway.open(JoinLoadGenerator.gatewayEui(i), Duration.ofSeconds(8), timing),
                        gateways, concurrency, nvm, System::nanoTime, JoinLoadGenerator.Radio.EU868_SF7).run(simulated);
                out.println(r.summary() + "; " + timing.optionName() + " timing" + (gateway.basicsStation() ? ", Basics Station" : ""));
                passed = r.joined() == devices;
                return passed ? 0 : 1;
            } catch (java.io.IOException | SimException e) {
                throw new LorafabCommand.UserException("sim joins: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } finally {
                if (!passed) {
                    int removed = lf.provisioning().removeSimulated(registered.stream().map(DeviceIdentity::devEui).toList(), actor());
                    spec.commandLine().getErr().println("note: the run failed; its " + removed + " simulated device(s) were removed");
                }
                deleteTree(nvm);
            }
        }

        private static void deleteTree(Path dir) {
            if (dir == null) {
                return;
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary folder: the system clears it
            }
        }
    }

    @Command(name = "flash", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"A simulated board behind a flasher, to try the station's image mode without hardware (use it in --flasher).",
                    "Reads the image it is given (Intel HEX or .bin), checks the identity block at --identity-address (magic, "
                            + "layout version, CRC-32), then boots a virtual device that joins through a virtual gateway speaking "
                            + "Semtech UDP to the server and sends its first uplink.",
                    "Exits 0 once the image is \"programmed\", also when the join then fails (the station's over-the-air test "
                            + "finds that); a missing or corrupt identity block is an error.",
                    "Identity-only mode: --flash FILE is the board's flash (an Intel HEX file; start it as a copy of the firmware); "
                            + "--write BLOCK writes the station's identity file (.hex, or .bin at --identity-address) into it, then "
                            + "boots as above; --read-to OUT writes --length bytes at --identity-address to OUT (the read-back) and exits."})
    static final class Flash implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--image", paramLabel = "FILE", description = "the patched image: Intel HEX (.hex) or binary (.bin)")
        Path image;

        @Option(names = "--flash", paramLabel = "FILE", description = "identity-only mode: the board's flash, an Intel HEX file kept across runs")
        Path flash;

        @Option(names = "--write", paramLabel = "FILE", description = "identity-only mode: the identity file to write into --flash (.hex, or .bin at --identity-address)")
        Path write;

        @Option(names = "--read-to", paramLabel = "FILE", description = "identity-only mode: write --length bytes at --identity-address from --flash to FILE, then exit")
        Path readTo;

        @Option(names = "--length", defaultValue = "92", paramLabel = "N", description = "bytes --read-to reads (default: ${DEFAULT-VALUE})")
        int length;

        @Option(names = "--identity-address", required = true, paramLabel = "ADDR", description = "address of the identity block, e.g. 0x0803F800")
        String identityAddress;

        @Option(names = "--image-base", defaultValue = "0x08000000", paramLabel = "ADDR", description = "load address of a .bin image (default: ${DEFAULT-VALUE})")
        String imageBase;

        @Option(names = "--server", paramLabel = "HOST:PORT", description = "the server's Semtech UDP address, e.g. 127.0.0.1:1700 (not needed with --read-to)")
        String server;

        @Option(names = "--gateway-eui", defaultValue = "00000000000f1a50", paramLabel = "EUI", description = "the virtual gateway's EUI (default: ${DEFAULT-VALUE})")
        String gatewayEui;

        @Option(names = "--nvm-dir", paramLabel = "DIR",
                description = "where the board keeps its DevNonce and frame counters across runs (default: lorafab-sim-flash in the temporary directory)")
        Path nvmDir;

        @Option(names = "--mac-version", paramLabel = "V", description = "LoRaWAN version (default: 1.1 when the block holds a NwkKey, else 1.0.4)")
        String macVersion;

        @Option(names = "--rssi", defaultValue = "-60", paramLabel = "DBM", description = "RSSI the gateway reports (default: ${DEFAULT-VALUE})")
        int rssi;

        @Option(names = "--snr", defaultValue = "9.0", paramLabel = "DB", description = "SNR the gateway reports (default: ${DEFAULT-VALUE})")
        double snr;

        @Option(names = "--join-timeout", defaultValue = "8", paramLabel = "S", description = "seconds to wait for the join-accept (default: ${DEFAULT-VALUE})")
        int joinTimeout;

        @Option(names = "--timing", defaultValue = "on-air", paramLabel = "T", converter = TimingConverter.class,
                description = TIMING_HELP)
        VirtualGateway.Timing timing;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (joinTimeout <= 0) {
                throw new LorafabCommand.UserException("--join-timeout: expected a positive number of seconds");
            }
            long address = Args.address("--identity-address", identityAddress);
            if ((image == null) == (flash == null)) {
                throw new LorafabCommand.UserException("give either --image (whole image) or --flash with --write or --read-to (identity only)");
            }
            if (flash != null && (write == null) == (readTo == null)) {
                throw new LorafabCommand.UserException("--flash needs either --write (program the identity) or --read-to (read it back)");
            }
            if (image != null && (write != null || readTo != null)) {
                throw new LorafabCommand.UserException("--write and --read-to go with --flash, not --image");
            }
            if (readTo != null) {
                return readBack(out, address);
            }
            if (server == null) {
                throw new LorafabCommand.UserException("--server: missing (the server's Semtech UDP address, e.g. 127.0.0.1:1700)");
            }
            MemoryImage memory;
            long bytes;
            if (flash != null) {
                memory = readFlash();
                MemoryImage written = readIdentityFile(address);
                written.segments().forEach(memory::write);
                Files.writeString(flash, IntelHex.write(memory, 16), StandardCharsets.US_ASCII);
                bytes = written.segments().values().stream().mapToLong(b -> b.length).sum();
            } else {
                memory = readImage(Args.address("--image-base", imageBase));
                bytes = memory.segments().values().stream().mapToLong(b -> b.length).sum();
            }
            if (!memory.covers(address, IdentityBlock.SIZE)) {
                throw new LorafabCommand.UserException(String.format("no identity block at 0x%08X: the image has no data there", address));
            }
            IdentityBlock block;
            try {
                block = IdentityBlock.decode(memory.read(address, IdentityBlock.SIZE, (byte) 0xff));
            } catch (ImageFormatException e) {
                throw new LorafabCommand.UserException(String.format("bad identity block at 0x%08X: %s", address, e.getMessage()));
            }
            MacVersion v = macVersion != null ? Args.macVersion("--mac-version", macVersion)
                    : block.nwkKey().isPresent() ? MacVersion.V1_1 : MacVersion.V1_0_4;
            Eui64 gateway = Args.eui("--gateway-eui", gatewayEui);
            InetSocketAddress udp;
            io.lorafab.sim.DeviceIdentity identity;
            try {
                udp = JoinLoadGenerator.parseServer(server);
                identity = new io.lorafab.sim.DeviceIdentity(block.devEui(), block.joinEui(), block.appKey(), block.nwkKey().orElse(null), v,
                        Unit.DEFAULT_REGION);
            } catch (SimException e) {
                throw new LorafabCommand.UserException(e.getMessage());
            }
            out.printf("programmed %d bytes, verified, reset%n", bytes);
            out.printf("boot: DevEUI %s, serial %s, LoRaWAN %s%n", block.devEui(), block.serial().isEmpty() ? "-" : block.serial(), v);
            out.flush();

            Path nvm = nvmDir != null ? nvmDir : Path.of(System.getProperty("java.io.tmpdir"), "lorafab-sim-flash");
            VirtualDevice device = new VirtualDevice(identity, DeviceNvm.open(nvm.resolve(block.devEui() + ".json")), new SplittableRandom());
            try (VirtualGateway gw = new VirtualGateway(gateway, udp, Clock.systemUTC(), Duration.ofSeconds(joinTimeout), timing)) {
                gw.connect(Duration.ofSeconds(Math.min(5, joinTimeout)));
                gw.startKeepAlive();
                Optional<byte[]> accept = gw.deliver(device, device.joinRequest(), 868_100_000L, 7, rssi, snr);
                if (accept.isEmpty()) {
                    out.printf("join: no join-accept within %d s%n", joinTimeout);
                    return 0;
                }
                JoinOutcome joined = device.acceptJoin(accept.get());
                if (!joined.joined()) {
                    out.println("join: join-accept refused (" + joined.refusal().map(JoinRefusal::code).orElse("?") + ")");
                    return 0;
                }
                out.println("joined: DevAddr " + joined.devAddr());
                // the second default channel at SF7/125 kHz; a 1.1 MIC covers the data rate and channel index
                Region region = identity.region();
                long frequency = region.defaultUplinkChannelsHz()[1];
                byte[] up = device.uplink(1, new byte[] {0x01}, false, region.uplinkDataRate(7, 125_000), 1);
                gw.push(up, frequency, 7, rssi, snr);
                out.println("uplink: FPort 1, FCnt 0");
            } catch (IOException | SimException e) {
                out.println("radio: " + e.getMessage());
            }
            return 0;
        }

        /** The read-back: the bytes at the address as the board's flash holds them (erased flash reads 0xFF). */
        private int readBack(PrintWriter out, long address) throws IOException {
            if (length <= 0 || length > 1 << 20) {
                throw new LorafabCommand.UserException("--length: expected 1 to 1048576 bytes");
            }
            byte[] got = readFlash().read(address, length, (byte) 0xff);
            Files.write(readTo, got);
            out.printf("read %d bytes at 0x%08X%n", length, address);
            return 0;
        }

        private MemoryImage readFlash() throws IOException {
            Args.requireReadableFile("--flash", flash);
            try {
                return IntelHex.read(Files.readString(flash, StandardCharsets.US_ASCII));
            } catch (ImageFormatException e) {
                throw new LorafabCommand.UserException("--flash: " + e.getMessage());
            }
        }

        /** The station's identity file: its page as Intel HEX, or a binary that goes at the identity address. */
        private MemoryImage readIdentityFile(long address) throws IOException {
            Args.requireReadableFile("--write", write);
            try {
                return ImageFixture.Format.of(write) == ImageFixture.Format.INTEL_HEX
                        ? IntelHex.read(Files.readString(write, StandardCharsets.US_ASCII))
                        : MemoryImage.ofBinary(address, Files.readAllBytes(write));
            } catch (ImageFormatException e) {
                throw new LorafabCommand.UserException("--write: " + e.getMessage());
            }
        }

        private MemoryImage readImage(long base) throws IOException {
            Args.requireReadableFile("--image", image);
            try {
                return ImageFixture.Format.of(image) == ImageFixture.Format.INTEL_HEX
                        ? IntelHex.read(Files.readString(image, StandardCharsets.US_ASCII))
                        : MemoryImage.ofBinary(base, Files.readAllBytes(image));
            } catch (ImageFormatException e) {
                throw new LorafabCommand.UserException("--image: " + e.getMessage());
            }
        }
    }

    @Command(name = "at-module", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"A virtual AT module on a pseudo-terminal for a station to program (needs socat).",
                    "It answers RAK3172 (RUI3) or Seeed LoRa-E5 commands; its radio joins through a",
                    "virtual gateway speaking Semtech UDP (--server) or, with --gateway basics-station,",
                    "LoRa Basics Station (--lns) to the server. Runs until Ctrl-C.",
                    "Then: lorafab station --port PATH --dialect D ... (each unit reprograms the module)"})
    public static final class AtModule implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dialect", required = true, paramLabel = "D", description = "rak3172 or lora-e5, as for lorafab station")
        String dialect;

        @Option(names = "--pty", required = true, paramLabel = "PATH", description = "where to put the station's end of the pseudo-terminal, e.g. /tmp/ttyLORA0")
        Path pty;

        @picocli.CommandLine.Mixin
        SimGatewayOptions gateway = new SimGatewayOptions();

        @Option(names = "--gateway-eui", paramLabel = "EUI", description = {"the virtual gateway's EUI (default: 00800000 followed by the",
                "CRC-32 of the PTY's path, so that modules on different PTYs never share a gateway)"})
        String gatewayEui;

        @Option(names = "--nvm-dir", paramLabel = "DIR", description = {"the module's non-volatile memory, one file per DevEUI, kept across restarts",
                "(default: at-module-nvm/<dialect>-<pty name> in the data folder)"})
        Path nvmDir;

        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DbOptions.DEFAULT_DATA_DIR,
                description = "the data folder that holds the default NVM folder (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Option(names = "--rssi", defaultValue = "-62", paramLabel = "DBM", description = "RSSI the gateway reports (default: ${DEFAULT-VALUE})")
        int rssi;

        @Option(names = "--snr", defaultValue = "8.5", paramLabel = "DB", description = "SNR the gateway reports (default: ${DEFAULT-VALUE})")
        double snr;

        @Option(names = "--rejects-app-key", description = "the module refuses the AppKey (a faulty unit)")
        boolean rejectsAppKey;

        @Option(names = "--out-of-range", description = "the gateway never hears the module (a board with a bad antenna)")
        boolean outOfRange;

        @Option(names = "--timing", defaultValue = "on-air", paramLabel = "T", converter = TimingConverter.class,
                description = TIMING_HELP)
        VirtualGateway.Timing timing;

        @Override
        public Integer call() {
            VirtualModules.Factory factory;
            try {
                factory = VirtualModules.byName(dialect);
            } catch (SimException e) {
                throw new LorafabCommand.UserException("--dialect: " + e.getMessage());
            }
            String name = dialect.strip().toLowerCase(Locale.ROOT);
            gateway.check();
            Eui64 gwEui = gatewayEui != null ? Args.eui("--gateway-eui", gatewayEui) : defaultGatewayEui(pty);
            PrintWriter out = spec.commandLine().getOut();
            try (PtyPair pair = PtyPair.open(pty.toAbsolutePath());
                    SerialPort moduleSide = SerialPort.open(pair.moduleSide(), 115200);
                    SimGateway gw = gateway.open(gwEui, Duration.ofSeconds(8), timing)) {
                try {
                    gw.connect(Duration.ofSeconds(5));
                } catch (IOException e) {
                    throw new LorafabCommand.UserException("sim at-module: no answer from a server on " + gateway.target()
                            + " (is lorafab server running there?): " + e.getMessage());
                }
                Path nvm = Files.createDirectories(nvmDir != null ? nvmDir : defaultNvmDir(dataDir, name, pty));
                Thread cleanup = new Thread(pair::close, "at-module-cleanup"); // Ctrl-C, SIGTERM: stop socat
                Runtime.getRuntime().addShutdownHook(cleanup);
                gw.startKeepAlive();
                VirtualAtModule module = factory.create(moduleSide.input(), moduleSide.output(), gw, nvm,
                        new VirtualAtModule.Behaviour(rssi, snr, rejectsAppKey, outOfRange));
                out.printf("virtual %s on %s: connect a station with --port %s --dialect %s; gateway %s%s to %s; "
                        + "NVM in %s; Ctrl-C stops%n", name, pair.stationSide(), pair.stationSide(), name, gwEui,
                        gatewayEui == null ? " (this module's own, from its PTY path)" : "", gateway.target(), nvm);
                out.flush();
                module.run(); // until the module's end of the line closes: socat stopped
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    return 0;
                }
                throw new LorafabCommand.UserException("sim at-module: socat stopped; the pseudo-terminal is gone");
            } catch (IOException e) {
                throw new LorafabCommand.UserException("sim at-module: " + e.getMessage());
            }
        }

        /**
         * The virtual gateway's EUI unless told: one per PTY, the same at every start on that PTY. Modules that shared
         * one EUI would take turns as the server's downlink route for it (each PULL_DATA moves it to its sender's
         * address), so one module's join-accept went to another's gateway and good units failed.
         */
        public static Eui64 defaultGatewayEui(Path pty) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(pty.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Eui64.of(0x0080_0000_0000_0000L | crc.getValue());
        }

        /**
         * Where a module keeps its NVM unless told: the same folder every time the same dialect is started on the same
         * PTY name, so that its DevNonces and frame counters survive a restart as LoRaWAN (TS001) requires of a device.
         */
        static Path defaultNvmDir(Path dataDir, String dialect, Path pty) {
            String ptyName = pty.toAbsolutePath().normalize().toString().replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]+", "_");
            return dataDir.resolve("at-module-nvm").resolve(dialect + "-" + ptyName);
        }
    }
}
