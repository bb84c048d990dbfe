package io.lorafab.app.cli;

import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lorafab station}: the line loop at one programming station. Each line on standard input is one unit:
 * the label a keyboard-wedge scanner typed (TR005 string or DevEUI), or — with {@code --allocate} — just Enter
 * to take the next identity. One PASS/FAIL line per unit, then a progress line.
 */
@Command(name = "station", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a programming station: reserve, program over the serial port, read back, over-the-air test, finish.",
                "Reads one scanned label (or, with --allocate, one Enter) per unit from standard input; end of input stops."})
public final class StationCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "the lorafab server, e.g. http://127.0.0.1:8080")
    String server;

    @Option(names = "--token", paramLabel = "T", description = "operator token (default: the LORAFAB_TOKEN environment variable)")
    String token;

    @Option(names = "--order", required = true, paramLabel = "REF", description = "the work order")
    String order;

    @Option(names = "--port", required = true, paramLabel = "DEV", description = "serial port of the fixture, e.g. /dev/ttyUSB0 or a PTY")
    Path port;

    @Option(names = "--dialect", required = true, paramLabel = "D", description = "rak3172, lora-e5, rn2483, stm32wl-at or murata-abz")
    String dialect;

    @Option(names = "--baud", defaultValue = "115200", paramLabel = "N", description = "serial speed (default: ${DEFAULT-VALUE}; RN2483 uses 57600)")
    int baud;

    @Option(names = "--allocate", description = "allocate the next identity for each unit instead of reading a scanned label")
    boolean allocate;

    @Option(names = "--station-id", defaultValue = "station-1", paramLabel = "ID", description = "this station's name in the records (default: ${DEFAULT-VALUE})")
    String stationId;

    @Option(names = "--rssi-min", paramLabel = "DBM", description = "fail units heard weaker than this (the product's threshold belongs here)")
    Double rssiMin;

    @Option(names = "--snr-min", paramLabel = "DB", description = "fail units heard with a worse SNR than this")
    Double snrMin;

    @Option(names = "--join-timeout", defaultValue = "20", paramLabel = "S", description = "seconds to wait for the join (default: ${DEFAULT-VALUE})")
    int joinTimeout;

    @Override
    public Integer call() throws Exception {
        String t = token != null ? token : System.getenv("LORAFAB_TOKEN");
        if (t == null || t.isBlank()) {
            throw new LorafabCommand.UserException("--token or LORAFAB_TOKEN is required");
        }
        Dialects.Entry d = Dialects.byName(dialect);
        PrintWriter out = spec.commandLine().getOut();
        StationApiClient client = new StationApiClient(server, t, stationId);
        UnitRunner runner = new UnitRunner(client, new UnitRunner.Settings(order, Duration.ofSeconds(joinTimeout),
                Duration.ofSeconds(20), rssiMin, snrMin, new byte[] {0x01}), System::nanoTime);
        int passed = 0;
        int failed = 0;
        long start = System.nanoTime();
        try (SerialPort serial = SerialPort.open(port, baud);
                StreamTransport transport = new StreamTransport(serial.input(), serial.output(),
                        StreamTransport.finalLineOf(d.transportName()), "\r\n")) {
            AtDialect module = d.driver().apply(transport);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            out.println(allocate ? "ready: press Enter for each unit" : "ready: scan a label for each unit");
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String scanned = allocate || line.isBlank() ? null : line.strip();
                if (!allocate && scanned == null) {
                    continue;
                }
                UnitOutcome o = runner.run(module, scanned);
                if (o.passed()) {
                    passed++;
                } else {
                    failed++;
                }
                double minutes = (System.nanoTime() - start) / 60e9;
                out.println(o.line());
                out.printf("  %d passed, %d failed, %.1f units/min%n", passed, failed, (passed + failed) / Math.max(minutes, 1e-9));
                out.flush();
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
