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
        description = {"Run the whole line on this machine: server on embedded SQLite, a virtual gateway, and stations",
                "programming virtual RAK3172 and LoRa-E5 modules over pseudo-terminals; reserve, program, join, first uplink, pass/fail.",
                "Writes an export file and a label sheet into a fresh folder under the data folder."})
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--devices", defaultValue = "100", paramLabel = "N", description = "units to make (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--stations", defaultValue = "4", paramLabel = "S", description = "programming stations (default: ${DEFAULT-VALUE})")
    int stations;

    @Option(names = "--data-dir", defaultValue = "lorafab-data", paramLabel = "DIR", description = "the run's folder is created under this one (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--serve", description = "keep the server running afterwards")
    boolean serve;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || stations < 1) {
            throw new LorafabCommand.UserException("--devices and --stations must be at least 1");
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path run = dataDir.resolve("demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new Demo(new Demo.Options(devices, stations, run, serve), spec.commandLine().getOut()).run();
    }
}
