package io.lorafab.app.cli;

import io.lorafab.app.demo.Demo;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab demo}: the main job — a whole simulated production line on the embedded database. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a whole production line on this machine, end to end.",
                "The server runs on the embedded SQLite database with a virtual gateway (Semtech UDP, or LoRa Basics Station "
                        + "with --gateway basics-station); S stations each program a "
                        + "virtual module over a pseudo-terminal (odd stations a RAK3172, even ones a LoRa-E5, needs socat). "
                        + "Each of the N units is reserved, programmed and read back, joined over the air and its first "
                        + "uplink verified, then passed or failed; a few fail by design (a module that rejects its key, "
                        + "a board out of radio range).",
                "Writes an export file and a label sheet into a fresh folder under the data folder."})
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--devices", defaultValue = "100", paramLabel = "N", description = "units to make (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--stations", paramLabel = "S", description = "programming stations (default: 4, or 1 with --positions)")
    Integer stations;

    @Option(names = "--positions", defaultValue = "1", paramLabel = "N",
            description = {"boards in each station's fixture, programmed and tested at once, each a virtual module on its own",
                    "pseudo-terminal, their join commands 200 ms apart (default: ${DEFAULT-VALUE})"})
    int positions;

    @Option(names = "--data-dir", defaultValue = "lorafab-data", paramLabel = "DIR", description = "the run's folder is created under this one (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--serve", description = "keep the server running afterwards")
    boolean serve;

    @Option(names = "--timing", defaultValue = "compressed", paramLabel = "T", converter = SimCommand.TimingConverter.class,
            description = SimCommand.TIMING_HELP)
    io.lorafab.sim.VirtualGateway.Timing timing;

    @Option(names = "--gateway", defaultValue = "udp", paramLabel = "KIND", converter = SimGatewayOptions.KindConverter.class,
            description = "udp: the virtual gateway is a Semtech UDP packet forwarder; basics-station: a LoRa Basics Station "
                    + "on the server's LNS listener, which the demo starts on a free port (default: ${DEFAULT-VALUE})")
    SimGatewayOptions.Kind gateway;

    @Override
    public Integer call() throws Exception {
        int s = stations != null ? stations : positions > 1 ? 1 : 4;
        if (devices < 1 || s < 1) {
            throw new LorafabCommand.UserException("--devices and --stations must be at least 1");
        }
        if (positions < 1 || positions > io.lorafab.provisioning.service.StationSteps.MAX_POSITION) {
            throw new LorafabCommand.UserException("--positions must be 1-" + io.lorafab.provisioning.service.StationSteps.MAX_POSITION);
        }
        QuietLogs.apply(); // the console shows the demo's own output, and warnings or errors
        Path run = dataDir.resolve("demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new Demo(new Demo.Options(devices, s, run, serve, timing,
                gateway == SimGatewayOptions.Kind.BASICS_STATION, positions), spec.commandLine().getOut()).run();
    }
}
