package io.lorafab.app.cli;

import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.app.wiring.TlsConfigException;
import io.lorafab.app.wiring.TlsContexts;
import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.line.FailureReport;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.SerialPorts;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.client.StationApiException;
import io.lorafab.station.line.LabelOutput;
import io.lorafab.station.process.CommandTemplate;
import io.lorafab.station.image.FlasherCommand;
import io.lorafab.station.image.FlasherPreset;
import io.lorafab.station.image.IdentityFlasher;
import io.lorafab.station.image.ImageFormatException;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.Fixture;
import io.lorafab.jose.RecipientKey;
import io.lorafab.station.line.IdentityFixture;
import io.lorafab.station.line.ImageFixture;
import io.lorafab.station.line.JoinSpacing;
import io.lorafab.station.line.MultiUp;
import io.lorafab.station.line.Plural;
import io.lorafab.station.line.Reason;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.StoreException;
import io.lorafab.store.vault.KekRing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lorafab station}: the line loop at one programming station. Each line on standard input is one unit:
 * the label a keyboard-wedge scanner typed (TR005 string or DevEUI), or — with {@code --allocate} — just Enter
 * to take the next identity. One PASS/FAIL line per unit, then a progress line.
 */
@Command(name = "station", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a programming station: reserve, program over the serial port (or flash an image), read back, over-the-air test, finish.",
                "Reads one scanned label (or, with --allocate, one Enter) per unit from standard input; end of input stops.",
                "With --positions N (a multi-up fixture, a --port per position): N labels in position order, or one Enter, per run "
                        + "of the whole fixture; all positions are programmed and tested at once, one PASS/FAIL line each."})
public final class StationCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "the lorafab server, e.g. http://127.0.0.1:8080 or https://lorafab.example.com:8443")
    String server;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "trust only the CA certificates of this PEM file for an https:// server (default: the JDK's trust store)")
    Path caCert;

    @Option(names = "--client-cert", paramLabel = "FILE", description = "present this PEM certificate chain when the server requires client certificates")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "the client certificate's unencrypted PEM private key")
    Path clientKey;

    /** Refused: anything on a command line is shown by {@code ps} to every user of the machine. */
    @Option(names = "--token", paramLabel = "T", hidden = true)
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "read the operator token from this file, readable by its owner only (default: the LORAFAB_TOKEN environment variable)")
    Path tokenFile;

    @Option(names = "--insecure", description = "allow a plain http:// --server that is not on this machine (the token and the units' keys then cross the network unencrypted)")
    boolean insecure;

    @Option(names = "--order", required = true, paramLabel = "REF", description = "the work order")
    String order;

    @Option(names = "--port", paramLabel = "PORT", split = ",", description = {"serial port of the fixture (AT modules): /dev/ttyUSB0, COM7, a PTY, or",
            "auto:VID:PID for the one USB adapter with those IDs (auto: the one USB adapter); lorafab ports lists them.",
            "With --positions N: N ports in position order (--port repeated or comma-separated), or one auto[:VID:PID]",
            "that matches exactly N adapters, taken in order of their names"})
    List<String> ports;

    /** The one {@code --port} of a one-position station. */
    private String port;

    @Option(names = "--positions", defaultValue = "1", paramLabel = "N",
            description = {"boards the fixture holds, 1-" + io.lorafab.provisioning.service.StationSteps.MAX_POSITION
                    + ", each on its own serial port or flasher target ({position} in --flasher or --flasher-options):",
                    "all are programmed and tested at once (default: ${DEFAULT-VALUE})"})
    int positions;

    @Option(names = "--join-spacing", defaultValue = "200", paramLabel = "MS",
            description = {"with --positions: milliseconds between the positions' join commands, so that their join-requests do not",
                    "overlap on air and each join-accept gets RX1 on the test gateway (default: ${DEFAULT-VALUE})"})
    int joinSpacingMs;

    /** The port {@code --port} names, or the one {@code auto} chose: what is opened, reopened and named in messages. */
    private String device;

    @Option(names = "--replug-wait", defaultValue = "30", paramLabel = "S",
            description = {"when the serial port goes away between units (adapter unplugged), wait this many seconds for it to come",
                    "back and reopen it before the next unit; 0 stops the station at once (default: ${DEFAULT-VALUE})"})
    int replugWait;

    /** The fixture now open; replaced when its serial port comes back after going away between units. */
    private OpenFixture fixture;

    @Option(names = "--dialect", paramLabel = "D", description = "rak3172, lora-e5, rn2483, stm32wl-at or murata-abz (AT modules)")
    String dialect;

    @Option(names = "--baud", paramLabel = "N", description = {"serial speed (default: the module's as shipped: rak3172 115200, lora-e5 9600,",
            "rn2483 57600, stm32wl-at 9600, murata-abz 19200)"})
    Integer baud;

    @Option(names = "--allocate", description = "allocate the next identity for each unit instead of reading a scanned label")
    boolean allocate;

    @Option(names = "--station-id", defaultValue = "station-1", paramLabel = "ID", description = "this station's name in the records (default: ${DEFAULT-VALUE})")
    String stationId;

    @Option(names = "--rssi-min", paramLabel = "DBM", description = "fail units heard weaker than this (default: the product's threshold, which comes with each unit)")
    Double rssiMin;

    @Option(names = "--snr-min", paramLabel = "DB", description = "fail units heard with a worse SNR than this (default: the product's threshold)")
    Double snrMin;

    @Option(names = "--join-attempts", defaultValue = "3", paramLabel = "N",
            description = "join-requests a unit may make before its join is judged failed, 1-255 (default: ${DEFAULT-VALUE})")
    int joinAttempts;

    @Option(names = "--join-period", defaultValue = "10", paramLabel = "S",
            description = "seconds from one join attempt to the next, 7-255 (default: ${DEFAULT-VALUE})")
    int joinPeriod;

    @Option(names = "--join-timeout", paramLabel = "S",
            description = "seconds to wait for the join in all (default: as long as the module's schedule of the attempts can take)")
    Integer joinTimeout;

    @Option(names = "--unfinished", defaultValue = "ask", paramLabel = "WHAT",
            description = {"units this station reserved or programmed but never finished (it was stopped mid-unit):",
                    "ask (the operator types R to resume or V to void each), resume, or void (default: ${DEFAULT-VALUE})"})
    String unfinished;

    @Option(names = "--label-dir", paramLabel = "DIR", description = "write each passed unit's label here (<serial or DevEUI>.pdf|.zpl)")
    Path labelDir;

    @Option(names = "--label-format", defaultValue = "pdf", paramLabel = "F", description = "pdf (one label per page) or zpl (default: ${DEFAULT-VALUE})")
    String labelFormat;

    @Option(names = "--label-size", defaultValue = "70x37", paramLabel = "WxH", description = "label size in mm (default: ${DEFAULT-VALUE})")
    String labelSize;

    @Option(names = "--print-command", paramLabel = "TEMPLATE",
            description = "run for each label, {file} is its path, e.g. \"lp -d zebra -o raw {file}\" (needs --label-dir)")
    String printCommand;

    private int passed;
    private int failed;
    private int refused;
    private int stationFaults;
    private long start;
    private FailureReport report;

    @Option(names = "--image", paramLabel = "FILE", description = "firmware to flash instead of AT programming: Intel HEX (.hex) or binary (.bin)")
    Path image;

    @Option(names = "--identity-address", paramLabel = "ADDR", description = "where the identity block goes in the image, e.g. 0x0803F800")
    String identityAddress;

    @Option(names = "--image-base", defaultValue = "0x08000000", paramLabel = "ADDR",
            description = "load address of a .bin image (default: ${DEFAULT-VALUE})")
    String imageBase;

    @Option(names = "--flasher", paramLabel = "TEMPLATE",
            description = {"flasher command run on each unit's image, without a shell: {image} is its path; {devEui} and {serial} may be used too;",
                    "with --positions, {position} (1-N) names each position's target"})
    String flasher;

    @Option(names = "--identity-only", description = {"write only each unit's identity block beside a firmware programmed once",
            "(needs --identity-address and --flasher or --flasher-preset; no --image)"})
    boolean identityOnly;

    @Option(names = "--flasher-preset", paramLabel = "NAME", description = {"identity-only: a flasher's own write and read-back command lines: "
            + "openocd, stm32cubeprogrammer, jlink, nrfjprog, esptool, pyocd, st-flash; the interface goes in --flasher-options"})
    String flasherPreset;

    @Option(names = "--flasher-options", paramLabel = "ARGS", description = {"identity-only: the probe/target/port options the preset's tool needs, e.g. \"-f board/st_nucleo_wl55jc.cfg\";",
            "with --positions, {position} (1-N) names each position's target"})
    String flasherOptions;

    @Option(names = "--reader", paramLabel = "TEMPLATE", description = {"identity-only, with --flasher: the command that reads the block back into {readback}",
            "({address}, {length}, {lengthHex} may be used); without it the flasher's own verify is trusted"})
    String reader;

    @Option(names = "--chip-identity", paramLabel = "TEMPLATE", description = {"LR11xx-style parts: the command run at the end of each "
            + "passed unit that prints the chip's 'ChipEUI: <16 hex>', 'JoinEUI: <16 hex>' (optional) and 'PIN: <8 hex>' lines,",
            "recorded on the server for claiming the units (devices export --format loracloud-claim); {devEui}, {serial}, "
            + "with --positions {position}"})
    String chipIdentity;

    @Option(names = "--chip-eui-is-dev-eui", description = "with --chip-identity: the product uses the chip's EUI as DevEUI; "
            + "a board reporting another fails (chip_eui_mismatch)")
    boolean chipEuiIsDevEui;

    @Option(names = "--encrypt-to", paramLabel = "PEM", description = {"identity-only, with --flasher, for a fixture on another machine: "
            + "write {hex}, {bin} and {pagebin} only as JWEs encrypted to that machine's public key (or certificate);",
            "it opens them with its private key (lorafab decrypt); no --reader: the fixture verifies its own write"})
    String encryptTo;

    @Option(names = "--page-size", defaultValue = "2048", paramLabel = "BYTES",
            description = "identity-only: the flash page (erase unit) that holds the block; the identity files span it (default: ${DEFAULT-VALUE})")
    int pageSize;

    @Option(names = "--erased-value", defaultValue = "0xFF", paramLabel = "BYTE", description = "identity-only: what erased flash reads as (default: ${DEFAULT-VALUE})")
    String erasedValue;

    @Option(names = "--flasher-timeout", defaultValue = "120", paramLabel = "S", description = "seconds before the flasher is killed (default: ${DEFAULT-VALUE})")
    int flasherTimeout;

    @Override
    public Integer call() throws Exception {
        String t = token();
        try {
            if (StationApiClient.plainHttpToAnotherHost(server) && !insecure) {
                throw new LorafabCommand.UserException("--server " + server + " is plain http:// to another machine: the token and the "
                        + "units' root keys would cross the network unencrypted; use https:// (or --insecure to accept that)");
            }
        } catch (IllegalArgumentException e) {
            throw new LorafabCommand.UserException("--server: " + e.getMessage());
        }
        checkServerUrl();
        if (!List.of("ask", "resume", "void").contains(unfinished)) {
            throw new LorafabCommand.UserException("--unfinished must be ask, resume or void");
        }
        if (printCommand != null && labelDir == null) {
            throw new LorafabCommand.UserException("--print-command needs --label-dir");
        }
        LabelOutput labels;
        try {
            labels = labelDir == null ? null : new LabelOutput(new LabelOutput.Settings(labelDir, labelFormat,
                    labelSize, printCommand, Duration.ofSeconds(30)));
        } catch (IllegalArgumentException | CommandTemplate.InvalidTemplateException e) {
            throw new LorafabCommand.UserException((e instanceof CommandTemplate.InvalidTemplateException ? "--print-command: " : "")
                    + e.getMessage());
        }
        if (joinAttempts < 1 || joinAttempts > 255) {
            throw new LorafabCommand.UserException("--join-attempts must be 1-255");
        }
        if (joinPeriod < 7 || joinPeriod > 255) {
            throw new LorafabCommand.UserException("--join-period must be 7-255 seconds");
        }
        if (joinTimeout != null && joinTimeout <= 0) {
            throw new LorafabCommand.UserException("--join-timeout: expected a positive number of seconds");
        }
        if (replugWait < 0) {
            throw new LorafabCommand.UserException("--replug-wait: expected 0 or more seconds");
        }
        if (chipEuiIsDevEui && chipIdentity == null) {
            throw new LorafabCommand.UserException("--chip-eui-is-dev-eui goes with --chip-identity");
        }
        if (chipIdentity != null && positions > 1 && !chipIdentity.contains("{position}")) {
            throw new LorafabCommand.UserException("--positions " + positions + " with --chip-identity: the command must name "
                    + "each position's board with {position} (1-" + positions + ")");
        }
        chipIdentityCommand(1); // a malformed template is refused before any unit
        JoinAttempts attempts = new JoinAttempts(joinAttempts, Duration.ofSeconds(joinPeriod));
        report = new FailureReport(attempts);
        PrintWriter out = spec.commandLine().getOut();
        var tlsContext = tls();
        if (!ApiTokens.wellFormed(t)) { // never echoed: it may be a real token with a typo, or another secret
            throw new LorafabCommand.UserException((tokenFile != null ? "--token-file " + tokenFile + ": the file" : "LORAFAB_TOKEN")
                    + " is not a lorafab API token (expected lft_ and 43 letters, digits, '-' or '_', as 'lorafab tokens create' "
                    + "prints it); the value is not shown");
        }
        if (positions < 1 || positions > io.lorafab.provisioning.service.StationSteps.MAX_POSITION) {
            throw new LorafabCommand.UserException("--positions must be 1-" + io.lorafab.provisioning.service.StationSteps.MAX_POSITION);
        }
        if (joinSpacingMs < 0 || joinSpacingMs > 10_000) {
            throw new LorafabCommand.UserException("--join-spacing must be 0-10000 milliseconds");
        }
        if (positions == 1 && ports != null && ports.size() > 1) {
            throw new LorafabCommand.UserException("--port names " + ports.size() + " ports for one position: give --positions "
                    + ports.size() + " for a multi-up fixture");
        }
        port = ports == null || ports.isEmpty() ? null : ports.get(0).strip();
        StationApiClient client = new StationApiClient(server, t, stationId, tlsContext);
        start = System.nanoTime();
        if (positions > 1) {
            return multiUp(client, labels, attempts, out);
        }
        fixture = openFixture(attempts, out);
        try {
            // by default the station waits as long as the module's own schedule of the attempts can take
            Duration joinWait = joinTimeout != null ? Duration.ofSeconds(joinTimeout) : fixture.longestJoin();
            UnitRunner runner = new UnitRunner(client, new UnitRunner.Settings(order, joinWait,
                    Duration.ofSeconds(20), rssiMin, snrMin, new byte[] {0x01}), System::nanoTime, chipIdentityCommand(1));
            OperatorInput in = new OperatorInput(LorafabCommand.stdin(spec));
            if (fixture.portGone() != null) {
                in.stopWhen(fixture.portGone());
            }
            if (!finishLeftovers(client, runner, labels, in, attempts, out)) {
                return 1;
            }
            out.println(allocate ? "ready: press Enter for each unit" : "ready: scan a label for each unit");
            out.flush();
            String line;
            while ((line = readLine(in, attempts, out)) != null) {
                String scanned = allocate || line.isBlank() ? null : line.strip();
                if (!allocate && scanned == null) {
                    continue;
                }
                runOne(client, runner, fixture.fixture(), labels, scanned, out);
            }
        } catch (StationApiException e) {
            // the list of unfinished units, or voiding one, was refused before any unit ran
            throw stop(e, false, out);
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
        return failed == 0 && refused == 0 && stationFaults == 0 ? 0 : 1;
    }

    /** The positions' open fixtures, in position order (multi-up only); null for a port gone and not yet back. */
    private List<OpenFixture> opened = List.of();
    /** The positions' serial ports, in position order (multi-up only). */
    private List<String> positionPorts = List.of();
    /** Whether {@link #positionPorts} were chosen by {@code auto}, not named by the operator (multi-up only). */
    private boolean autoPorts;
    /** The running multi-up fixture, its dialect and its join turns: what a reopened port's position is rebuilt with. */
    private MultiUp multi;
    private Dialects.Entry atDialect;
    private JoinSpacing spacing;

    /**
     * The multi-up loop: N positions, each an AT module on its own serial port, programmed and tested at once
     * ({@link MultiUp}); the operator scans the N labels in position order ({@code -} for an empty position) or, with
     * {@code --allocate}, presses Enter (or types how many positions are loaded, from position 1). One line per
     * position, in position order, each with the DevEUI that position's own runner reserved; a passed unit's label
     * is written for that DevEUI and said with its position.
     */
    private int multiUp(StationApiClient client, LabelOutput labels, JoinAttempts attempts, PrintWriter out) throws Exception {
        boolean flashing = image != null || identityAddress != null || flasher != null || identityOnly || flasherPreset != null;
        List<OpenFixture> open = new ArrayList<>();
        if (flashing) {
            if (ports != null || dialect != null) {
                throw new LorafabCommand.UserException("give either --port and --dialect (AT module) or --image, --identity-address and "
                        + "--flasher (image flashing), not both");
            }
            open.addAll(flasherTargets(attempts));
        } else {
            if (ports == null || dialect == null) {
                throw new LorafabCommand.UserException("a multi-up fixture of AT modules needs --dialect and a --port per position");
            }
            Dialects.Entry d = Dialects.byName(dialect);
            if (baud != null && baud <= 0) {
                throw new LorafabCommand.UserException("--baud: expected a positive speed");
            }
            positionPorts = positionPorts(out);
            autoPorts = SerialPorts.isAuto(ports.get(0).strip());
            atDialect = d;
            try {
                for (String name : positionPorts) {
                    open.add(openAt(d, name, attempts));
                }
            } catch (IOException | RuntimeException e) {
                for (OpenFixture f : open) {
                    f.close();
                }
                throw e;
            }
        }
        opened = open;
        fixture = opened.get(0); // a unit a stopped station left is resumed in position 1
        device = positionPorts.isEmpty() ? null : positionPorts.get(0);
        spacing = new JoinSpacing(Duration.ofMillis(joinSpacingMs), System::nanoTime);
        List<MultiUp.Position> list = new ArrayList<>();
        for (int i = 0; i < opened.size(); i++) {
            Duration joinWait = joinTimeout != null ? Duration.ofSeconds(joinTimeout) : opened.get(i).longestJoin();
            UnitRunner runner = new UnitRunner(client.atPosition(i + 1), new UnitRunner.Settings(order, joinWait,
                    Duration.ofSeconds(20), rssiMin, snrMin, new byte[] {0x01}), System::nanoTime, chipIdentityCommand(i + 1));
            list.add(new MultiUp.Position(i + 1, spacing.spaced(opened.get(i).fixture()), runner));
        }
        try (MultiUp multi = new MultiUp(list)) {
            this.multi = multi;
            OperatorInput in = new OperatorInput(System.in);
            if (!flashing) {
                stopWhenAnyGone(in);
            }
            if (!finishLeftovers(client, list.get(0).runner(), labels, in, attempts, out)) {
                return 1;
            }
            out.println(allocate ? "ready: load the fixture (" + positions + " positions) and press Enter, or type how many positions "
                    + "are loaded from position 1"
                    : "ready: load the fixture (" + positions + " positions) and scan the labels in position order, 1 to " + positions
                            + " ('-' for an empty position)");
            out.flush();
            List<MultiUp.Board> boards;
            while ((boards = readBoards(in, attempts, out)) != null) {
                report(client, labels, multi.run(boards), out);
                out.println(allocate ? "ready: load the fixture and press Enter" : "ready: load the fixture and scan positions 1 to " + positions);
                out.flush();
            }
        } catch (StationApiException e) {
            throw stop(e, false, out);
        } finally {
            for (OpenFixture f : opened) {
                if (f != null) {
                    f.close();
                }
            }
            fixture = null;
            multi = null;
        }
        return failed == 0 && refused == 0 && stationFaults == 0 ? 0 : 1;
    }

    /** From now on, the operator's next line is not handed on once any position's serial port has gone. */
    private void stopWhenAnyGone(OperatorInput in) {
        in.stopWhen(java.util.concurrent.CompletableFuture.anyOf(opened.stream()
                .map(f -> f.portGone().toCompletableFuture()).toArray(java.util.concurrent.CompletableFuture[]::new)));
    }

    /**
     * Between runs of a multi-up fixture, one or more positions' serial ports went away (a USB hub or adapter
     * re-plugged). Ports the operator named (best a stable name such as {@code /dev/serial/by-path/...} or a fixed
     * COM number) are waited for up to {@code --replug-wait} under the same names and reopened, each position keeping
     * its runner, before the next run; the positions whose ports stayed are not touched. Ports that {@code auto} chose
     * are not: adapters of one kind come back in any order, so which board a name now reaches is unknown, and a label
     * must never go to the wrong board.
     */
    private void reopenPositions(OperatorInput in, JoinAttempts attempts, String why, PrintWriter out) throws Exception {
        if (autoPorts || replugWait <= 0 || multi == null) {
            throw new LorafabCommand.UserException("station stopped: " + goneOfPositions() + " while the station waited for the operator; "
                    + (autoPorts ? "ports chosen by --port auto cannot be told apart once re-plugged: name each position's port, "
                            + "plug it in again and start the station again" : "plug it in again and start the station again"));
        }
        List<Integer> gone = new ArrayList<>();
        for (int i = 0; i < opened.size(); i++) {
            CompletionStage<Void> g = opened.get(i).portGone();
            if (g != null && g.toCompletableFuture().isDone()) {
                gone.add(i);
            }
        }
        for (int i : gone) {
            out.println("serial port " + positionPorts.get(i) + " of position " + (i + 1) + " is gone (" + why + "): waiting up to "
                    + replugWait + " s for it to come back (plug the adapter in again)");
            OpenFixture old = opened.set(i, null);
            old.close();
        }
        out.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(replugWait).toNanos();
        String lastFailure = why;
        while (true) {
            for (int i : gone) {
                String name = positionPorts.get(i);
                if (opened.get(i) != null || name.contains("/") && !Files.exists(Path.of(name))) {
                    continue; // back already, or its path has not reappeared yet
                }
                try {
                    OpenFixture f = openAt(atDialect, name, attempts);
                    opened.set(i, f);
                    multi.replace(i + 1, spacing.spaced(f.fixture()));
                    out.println("serial port " + name + " of position " + (i + 1) + " is back: reopened before the next run");
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    lastFailure = e.getMessage(); // not back yet (or not yet openable, as udev sets its permissions)
                }
            }
            List<String> missing = gone.stream().filter(i -> opened.get(i) == null)
                    .map(i -> "serial port " + positionPorts.get(i) + " of position " + (i + 1)).toList();
            if (missing.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new LorafabCommand.UserException("station stopped: " + String.join(", ", missing) + " did not come back within "
                        + replugWait + " s (" + lastFailure + ") while the station waited for the operator");
            }
            Thread.sleep(250);
        }
        fixture = opened.get(0);
        stopWhenAnyGone(in);
    }

    /**
     * Image or identity-only flashing on N flasher targets: the command lines must tell the positions apart, with
     * {@code {position}} (1..N) in {@code --flasher} or, for a preset, in {@code --flasher-options} (e.g. the probe
     * serial or the flasher's port chosen by position); each position gets the command lines with its number put in.
     * Without it every position would flash the same board and its label would go on another.
     */
    private List<OpenFixture> flasherTargets(JoinAttempts attempts) throws IOException {
        String where = flasherPreset != null ? flasherOptions : flasher;
        if (where == null || !where.contains("{position}")) {
            throw new LorafabCommand.UserException("--positions " + positions + " with flashing: "
                    + (flasherPreset != null ? "--flasher-options" : "--flasher") + " must name each position's target with {position} "
                    + "(1-" + positions + "), e.g. the probe's serial or the port the position is wired to");
        }
        String flasherTemplate = flasher;
        String readerTemplate = reader;
        String optionsTemplate = flasherOptions;
        List<OpenFixture> targets = new ArrayList<>();
        try {
            for (int i = 1; i <= positions; i++) {
                String n = Integer.toString(i);
                flasher = flasherTemplate == null ? null : flasherTemplate.replace("{position}", n);
                reader = readerTemplate == null ? null : readerTemplate.replace("{position}", n);
                flasherOptions = optionsTemplate == null ? null : optionsTemplate.replace("{position}", n);
                targets.add(openImageFixture(attempts));
            }
        } finally {
            flasher = flasherTemplate;
            reader = readerTemplate;
            flasherOptions = optionsTemplate;
        }
        return targets;
    }

    /** The serial port of each position: one name per position, or one auto[:VID:PID] that matches N adapters. */
    private List<String> positionPorts(PrintWriter out) {
        List<String> given = ports.stream().map(String::strip).toList();
        if (given.size() == 1 && SerialPorts.isAuto(given.get(0))) {
            try {
                List<SerialPorts.Info> chosen = SerialPorts.chooseAll(given.get(0), SerialPorts.list(), positions);
                for (int i = 0; i < chosen.size(); i++) {
                    out.println("position " + (i + 1) + ": serial port " + chosen.get(i).name() + " (" + chosen.get(i).usbId() + ")");
                }
                out.flush();
                return chosen.stream().map(SerialPorts.Info::name).toList();
            } catch (IllegalArgumentException e) {
                throw new LorafabCommand.UserException(e.getMessage());
            }
        }
        if (given.size() != positions) {
            throw new LorafabCommand.UserException("--positions " + positions + " needs " + positions + " --port values in position order "
                    + "(or one --port auto[:VID:PID] matching " + positions + " adapters), got " + given.size());
        }
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i).isEmpty() || SerialPorts.isAuto(given.get(i))) {
                throw new LorafabCommand.UserException("--port for position " + (i + 1) + ": expected a port name (auto[:VID:PID] goes "
                        + "alone, for all positions)");
            }
            int first = given.indexOf(given.get(i));
            if (first != i) {
                throw new LorafabCommand.UserException("--port: positions " + (first + 1) + " and " + (i + 1) + " name the same port "
                        + given.get(i));
            }
        }
        return given;
    }

    /**
     * The boards of the next run: with {@code --allocate}, Enter (all positions) or the number of positions loaded;
     * else one scanned label per position in order, {@code -} for an empty one, a label scanned twice asked again.
     * Null when input ends (a fixture half scanned is not started).
     */
    private List<MultiUp.Board> readBoards(OperatorInput in, JoinAttempts attempts, PrintWriter out) throws Exception {
        List<MultiUp.Board> boards = new ArrayList<>();
        if (allocate) {
            String line = readLine(in, attempts, out);
            if (line == null) {
                return null;
            }
            int loaded = positions;
            if (!line.isBlank()) {
                try {
                    loaded = Integer.parseInt(line.strip());
                } catch (NumberFormatException e) {
                    loaded = -1;
                }
                if (loaded < 1 || loaded > positions) {
                    out.println("type Enter for all " + positions + " positions, or how many are loaded (1-" + positions + ")");
                    out.flush();
                    return readBoards(in, attempts, out);
                }
            }
            for (int i = 0; i < positions; i++) {
                boards.add(i < loaded ? MultiUp.Board.allocate() : MultiUp.Board.empty());
            }
            return boards;
        }
        List<String> seen = new ArrayList<>();
        // a prompt per position where a terminal echoes the scan and its Enter; piped input would glue them to the results
        boolean prompt = System.console() != null;
        while (boards.size() < positions) {
            int position = boards.size() + 1;
            if (prompt) {
                out.print("position " + position + ": ");
                out.flush();
            }
            String line = readLine(in, attempts, out);
            if (line == null) {
                if (!boards.isEmpty()) {
                    out.println();
                    out.println("input ended before position " + position + " was scanned: the fixture was not started");
                    out.flush();
                }
                return null;
            }
            String label = line.strip();
            if (label.isEmpty()) {
                continue;
            }
            if (label.equals("-")) {
                boards.add(MultiUp.Board.empty());
                seen.add(null);
                continue;
            }
            int twice = seen.indexOf(label);
            if (twice >= 0) {
                out.println("the same label as position " + (twice + 1) + ": scan position " + position + "'s own label");
                out.flush();
                continue;
            }
            seen.add(label);
            boards.add(MultiUp.Board.scanned(label));
        }
        return boards;
    }

    /**
     * One line per position, in position order: PASS/FAIL/STATION FAULT with the position's own DevEUI, REFUSED
     * with what was scanned there, or why the position's unit was left unfinished; then each passed unit's label,
     * named with its position. What stops the station (a refusal every next unit would get, a serial port gone) does
     * so only after every position has been told.
     */
    private void report(StationApiClient client, LabelOutput labels, List<MultiUp.Result> results, PrintWriter out) {
        LorafabCommand.UserException stopping = null;
        for (MultiUp.Result r : results) {
            String at = "position " + r.position() + ": ";
            if (r instanceof MultiUp.Done done) {
                UnitOutcome o = done.outcome();
                switch (o.verdict()) {
                    case PASSED -> passed++;
                    case FAILED -> failed++;
                    case STATION_FAULT -> stationFaults++;
                }
                out.println(at + report.line(o));
                if (o.passed() && labels != null) {
                    try {
                        out.println("  position " + r.position() + " label: " + labels.deliver(client, o.devEui(), o.serial()).describe());
                    } catch (LabelOutput.LabelException | StationApiException e) {
                        out.println("  position " + r.position() + " LABEL NOT PRINTED: " + e.getMessage() + " (reprint with lorafab labels)");
                    }
                }
            } else if (r instanceof MultiUp.Refused ref) {
                if (fatal(ref.error(), ref.scanned() == null)) {
                    stopping = stopping != null ? stopping : stop(ref.error(), false, out);
                }
                refused++;
                out.println(at + "REFUSED " + shown(ref.scanned()) + "  " + ref.error().wireCode() + ": " + ref.error().getMessage());
            } else if (r instanceof MultiUp.Left left) {
                stationFaults++;
                UnitRunner.Unfinished u = left.unfinished();
                String unit = u.devEui() + (u.serial() == null ? "" : " " + u.serial());
                if (u instanceof UnitRunner.PortGone gone) {
                    out.println(at + "STATION FAULT " + unit + "  serial port " + positionPorts.get(r.position() - 1) + " is gone ("
                            + gone.port().getMessage() + "); the unit is left unfinished on the server");
                    stopping = stopping != null ? stopping : new LorafabCommand.UserException("station stopped: the serial port of position "
                            + r.position() + " is gone; start the station again to resume or void its unit " + unit);
                } else if (u instanceof UnitRunner.ServerFailure sf) {
                    if (fatal(sf.server(), false)) {
                        stopping = stopping != null ? stopping : stop(sf.server(), false, out);
                    }
                    Reason why = sf.server().status() == 0 ? Reason.SERVER_UNREACHABLE : Reason.SERVER_REFUSED;
                    out.println(at + "STATION FAULT " + unit + "  " + why.code() + ": " + (why == Reason.SERVER_REFUSED
                            ? sf.server().wireCode() + ": " : "") + sf.server().getMessage()
                            + " (the server keeps the unit unfinished: scan it again to resume it)");
                }
            } else if (r instanceof MultiUp.Broke broke) {
                stationFaults++;
                out.println(at + "STATION FAULT  " + broke.error().getMessage() + " (a unit reserved here stays unfinished on the server: "
                        + "start the station again to resume or void it)");
            } else if (r instanceof MultiUp.Skipped) {
                out.println(at + "empty");
            }
        }
        progress(out);
        if (stopping != null) {
            throw stopping;
        }
    }

    /** The positions whose serial port has gone, for the line that stops the station. */
    private String goneOfPositions() {
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < opened.size(); i++) {
            CompletionStage<Void> g = opened.get(i) == null ? null : opened.get(i).portGone();
            if (g != null && g.toCompletableFuture().isDone() && i < positionPorts.size()) {
                gone.add("serial port " + positionPorts.get(i) + " of position " + (i + 1));
            }
        }
        return (gone.isEmpty() ? "a serial port of the fixture" : String.join(", ", gone)) + " is gone";
    }

    /**
     * The operator token, from {@code --token-file} or the environment, never from the command line, where {@code ps}
     * shows it to every user of the machine.
     */
    private String token() {
        if (token != null) {
            throw new LorafabCommand.UserException("--token is not accepted: a command line is visible to every user of this machine "
                    + "(ps); set LORAFAB_TOKEN or give --token-file FILE");
        }
        if (tokenFile == null) {
            String t = System.getenv("LORAFAB_TOKEN");
            if (t == null || t.isBlank()) {
                throw new LorafabCommand.UserException("an operator token is required: set LORAFAB_TOKEN or give --token-file FILE");
            }
            return t.strip();
        }
        Args.requireReadableFile("--token-file", tokenFile);
        try {
            KekRing.requirePrivate(tokenFile);
            String t = Files.readString(tokenFile, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new LorafabCommand.UserException("--token-file " + tokenFile + ": expected one token (lft_...) and nothing else");
            }
            return t;
        } catch (StoreException e) {
            throw new LorafabCommand.UserException("--token-file " + tokenFile + " is open to group or others; refusing to use it: chmod 600 "
                    + tokenFile);
        } catch (IOException e) {
            throw new LorafabCommand.UserException("--token-file: " + Args.readFailure(tokenFile, e));
        }
    }

    /** {@code --server}: an http:// or https:// URL with a host, checked before anything is asked of it. */
    private void checkServerUrl() {
        java.net.URI uri;
        try {
            uri = new java.net.URI(server.strip());
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT))) {
            throw new LorafabCommand.UserException("--server: expected a URL such as http://127.0.0.1:8080, got '" + shown(server) + "'");
        }
    }

    /**
     * Whether a refusal stops the station rather than just the unit: the token is not accepted (401, 403), the work
     * order does not exist or is no longer open, or — when allocating, where every next unit would be refused the
     * same way — the order is full or its EUI blocks are used up.
     */
    static boolean fatal(StationApiException e, boolean allocating) {
        // a switch without default: a new code does not compile until it is decided whether it stops the station
        return switch (e.code()) {
            case UNAUTHENTICATED, FORBIDDEN, TOKEN_NOT_SCOPED, WORK_ORDER_CLOSED, NOT_FOUND -> true;
            // a scanned unit of a full order may still be one of its own, to resume
            case WORK_ORDER_FULL, EUI_BLOCK_EXHAUSTED -> allocating;
            // a code from a newer server: a refused token (401, 403) still stops the station
            case UNKNOWN_ERROR -> e.status() == 401 || e.status() == 403;
            // this unit only: the next one may well go through
            case EUI_OUT_OF_RANGE, LABEL_MISMATCH, DUPLICATE, ILLEGAL_TRANSITION, RESERVED_BY_OTHER_STATION, RETEST_REQUIRED,
                    UNIT_PASSED, UNIT_FAILED, UNIT_VOID, NO_PRODUCT, NOTHING_TO_PRINT, INVALID_INPUT, BAD_JSON, BAD_QUERY,
                    CONSTRAINT_VIOLATION -> false;
            // the server or the way to it failed this time (busy, unreachable): the station tries the next unit
            case UNREACHABLE, TLS_FAILED, INTERRUPTED, BAD_RESPONSE, BUSY, DATABASE_ERROR, DATABASE_UNAVAILABLE, INTERNAL_ERROR,
                    KEK_UNKNOWN, KEY_UNWRAP_FAILED, APPEND_ONLY, PAYLOAD_TOO_LARGE, URI_TOO_LONG, HEADERS_TOO_LARGE,
                    REQUEST_TIMEOUT, BAD_REQUEST, METHOD_NOT_ALLOWED -> false;
            // no station call meets these; were one to, only this unit is concerned
            case MALFORMED_REQUEST, INVALID_CSV, MANIFEST_REFUSED, KEYS_ON_SECURE_ELEMENT, EXPORT_REFUSED, INVALID_QUANTITY,
                    JOIN_EUI_IS_DEV_EUI, EUI_BLOCK_OVERLAP,
                    NOTHING_TO_EXPORT, MALFORMED, UNKNOWN_DEVICE, NET_ID_NOT_ALLOWED, DEVICE_DISABLED, MIC_MISMATCH,
                    DEV_NONCE_REUSED, DEV_NONCE_TOO_SMALL, JOIN_NONCE_EXHAUSTED, JOIN_RATE_LIMITED, MAC_VERSION_MISMATCH,
                    OPT_NEG_MISMATCH, DEV_ADDR_EXHAUSTED, KEK_MISMATCH, KEK_NOT_ROTATABLE, KEY_FILE_NOT_PRIVATE, HSM_UNAVAILABLE, REGISTRY_MISSING,
                    SCHEMA_TOO_NEW, MIGRATION_CHECKSUM, MIGRATION_INVALID, MIGRATION_FAILED,
                    SCHEMA_NOT_EMPTY, UNSUPPORTED_DATABASE -> false;
        };
    }

    /** The port named and said to be gone, with the driver's reason. */
    private String portGone(String why) {
        return "serial port " + device + " is gone (" + why + ")";
    }

    /**
     * The operator's next line. A serial port that goes away meanwhile (USB re-plug, fixture cable pulled and put
     * back) is waited for up to {@code --replug-wait} and reopened, each said on a line, before a line is handed on:
     * no unit starts on a dead port. Only between units: a port that goes during a unit stops the station
     * ({@link #runOne}), since the unit's state on the module is then unknown.
     */
    private String readLine(OperatorInput in, JoinAttempts attempts, PrintWriter out) throws Exception {
        while (true) {
            try {
                return in.readLine();
            } catch (OperatorInput.PortGone e) {
                reopen(in, attempts, e.getMessage(), out);
            }
        }
    }

    private void reopen(OperatorInput in, JoinAttempts attempts, String why, PrintWriter out) throws Exception {
        if (positions > 1) {
            reopenPositions(in, attempts, why, out);
            return;
        }
        String goneName = device;
        if (replugWait <= 0) {
            throw new LorafabCommand.UserException("station stopped: " + portGone(why) + " while the station waited for the operator");
        }
        out.println("serial port " + goneName + " is gone (" + why + "): waiting up to " + replugWait
                + " s for it to come back (plug the adapter in again)");
        out.flush();
        OpenFixture old = fixture;
        fixture = null;
        old.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(replugWait).toNanos();
        String lastFailure = why;
        while (true) {
            // a path must reappear before it is worth opening; a Windows name (COM7) or auto: just try
            if (!goneName.contains("/") || SerialPorts.isAuto(port) || Files.exists(Path.of(goneName))) {
                try {
                    fixture = openFixture(attempts, out);
                    break;
                } catch (io.lorafab.station.at.AtException | LorafabCommand.UserException e) {
                    lastFailure = e.getMessage(); // not back yet (or not yet openable, as udev sets its permissions)
                }
            }
            if (System.nanoTime() > deadline) {
                device = goneName;
                throw new LorafabCommand.UserException("station stopped: " + portGone(why) + " and did not come back within "
                        + replugWait + " s (" + lastFailure + ") while the station waited for the operator");
            }
            Thread.sleep(250);
        }
        out.println("serial port " + device + " is back: reopened before the next unit");
        out.flush();
        if (fixture.portGone() != null) {
            in.stopWhen(fixture.portGone());
        }
    }

    /**
     * The port to open: {@code --port} as given, or for {@code auto[:VID:PID]} the one USB adapter now attached that
     * matches (said on a line, since the operator did not name it).
     */
    private String device(PrintWriter out) {
        if (!SerialPorts.isAuto(port)) {
            return port;
        }
        try {
            SerialPorts.Info chosen = SerialPorts.choose(port, SerialPorts.list());
            out.println("serial port " + chosen.name() + " (" + chosen.usbId() + (chosen.description().isEmpty() ? "" : " " + chosen.description())
                    + ") chosen by --port " + port);
            out.flush();
            return chosen.name();
        } catch (IllegalArgumentException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    private LorafabCommand.UserException stop(StationApiException e, boolean afterUnits, PrintWriter out) {
        if (afterUnits) {
            progress(out);
        }
        if (e.status() == 0) {
            // no answer at all (unreachable, TLS failed): the client's message names the server and why
            return new LorafabCommand.UserException("station stopped: " + e.getMessage());
        }
        String why = e.status() == 401 ? "the server does not accept this station's token"
                : e.status() == 403 ? "this station's token may not run a station" : "the server refused the work order";
        return new LorafabCommand.UserException("station stopped: " + why + " (" + e.wireCode() + ": " + e.getMessage() + ")");
    }

    /** What the operator scanned, for the REFUSED line: never more than a line, anything key-like hidden. */
    static String shown(String scanned) {
        if (scanned == null) {
            return "(next unit)";
        }
        String s = LorafabCommand.redactKeys(scanned.replaceAll("\\p{Cntrl}", " "));
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /**
     * Deals with the units this station left between reserve and finish, each as the operator says: resume (the
     * unit is back on the fixture; same identity and keys, programmed again) or void (scrapped; its DevEUI is
     * never reused, its keys stay on the server). Returns false when input ended before every unit was settled.
     */
    private boolean finishLeftovers(StationApiClient client, UnitRunner runner, LabelOutput labels, OperatorInput in,
            JoinAttempts attempts, PrintWriter out) throws Exception {
        for (StationApiClient.UnfinishedUnit u : client.unfinished(order)) {
            String who = u.devEui() + (u.serial() == null ? "" : " " + u.serial());
            out.printf("unit %s was left %s by %s at %s, before its test finished%n", who, u.state(), stationId, u.updatedAt());
            String decision = unfinished;
            while (decision.equals("ask")) {
                out.print(positions > 1 ? "  put it in position 1 of the fixture and type R to resume it, or V to void it: "
                        : "  put it on the fixture and type R to resume it, or V to void it: ");
                out.flush();
                String answer = readLine(in, attempts, out);
                if (answer == null) {
                    out.println();
                    out.println("input ended: the unit stays " + u.state() + " for the next start");
                    out.flush();
                    return false;
                }
                decision = switch (answer.strip().toUpperCase(java.util.Locale.ROOT)) {
                    case "R" -> "resume";
                    case "V" -> "void";
                    default -> "ask";
                };
            }
            if (decision.equals("resume")) {
                runOne(client, runner, fixture.fixture(), labels, u.devEui().toString(), out);
            } else {
                client.voidUnit(u.devEui(), "left " + u.state() + " by stopped station " + stationId + ", voided by the operator");
                out.printf("VOID %s  (left %s by a stopped station)%n", who, u.state());
                out.flush();
            }
        }
        return true;
    }

    /**
     * One unit. Anything that goes wrong with this unit ends in one line and the loop goes on: {@code REFUSED} when
     * the server would not reserve it (its error code and message), {@code FAIL} when the unit failed its test,
     * {@code STATION FAULT} when the test station failed twice (the test gateway refused the join-accept, ...) or the
     * server could not be told a later step (the unit then stays RESERVED or PROGRAMMED there, to be resumed by
     * scanning it again). Only what would refuse every next unit too — see {@link #fatal} — or a serial port that has gone stops
     * the station; the unit on the fixture then stays unfinished on the server, for the next start to resume or void.
     */
    private void runOne(StationApiClient client, UnitRunner runner, Fixture fixture, LabelOutput labels, String scanned, PrintWriter out) {
        UnitOutcome o;
        try {
            o = runner.run(fixture, scanned);
        } catch (StationApiException e) {
            if (fatal(e, scanned == null)) {
                throw stop(e, true, out);
            }
            refused++;
            out.println("REFUSED " + shown(scanned) + "  " + e.wireCode() + ": " + e.getMessage());
            progress(out);
            return;
        } catch (UnitRunner.ServerFailure e) {
            if (fatal(e.server(), false)) {
                throw stop(e.server(), true, out);
            }
            stationFaults++;
            Reason why = e.server().status() == 0 ? Reason.SERVER_UNREACHABLE : Reason.SERVER_REFUSED;
            out.println("STATION FAULT " + e.devEui() + (e.serial() == null ? "" : " " + e.serial()) + "  " + why.code() + ": "
                    + (why == Reason.SERVER_REFUSED ? e.server().wireCode() + ": " : "") + e.server().getMessage()
                    + " (the server keeps the unit unfinished: scan it again to resume it)");
            progress(out);
            return;
        } catch (UnitRunner.PortGone e) {
            progress(out);
            throw new LorafabCommand.UserException("station stopped: " + portGone(e.port().getMessage()) + "; unit " + e.devEui()
                    + (e.serial() == null ? "" : " " + e.serial())
                    + " is left unfinished on the server: start the station again to resume or void it");
        }
        switch (o.verdict()) {
            case PASSED -> passed++;
            case FAILED -> failed++;
            case STATION_FAULT -> stationFaults++;
        }
        out.println(report.line(o));
        if (o.passed() && labels != null) {
            try {
                out.println("  " + labels.deliver(client, o.devEui(), o.serial()).describe());
            } catch (LabelOutput.LabelException | StationApiException e) {
                out.println("  LABEL NOT PRINTED: " + e.getMessage() + " (reprint with lorafab labels)");
            }
        }
        progress(out);
    }

    private void progress(PrintWriter out) {
        double minutes = (System.nanoTime() - start) / 60e9;
        out.printf("  %d passed, %d failed%s%s, %.1f units/min%n", passed, failed,
                stationFaults == 0 ? "" : ", " + Plural.count(stationFaults, "station fault"), refused == 0 ? "" : ", " + refused + " refused",
                (passed + failed) / Math.max(minutes, 1e-9));
        out.flush();
    }

    /** The TLS settings for an https:// server; null for the JDK's defaults. */
    private SSLContext tls() {
        if (caCert == null && clientCert == null && clientKey == null) {
            return null;
        }
        if (!server.regionMatches(true, 0, "https://", 0, 8)) {
            throw new LorafabCommand.UserException((caCert != null ? "--ca-cert" : "--client-cert") + " needs an https:// --server");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new LorafabCommand.UserException(clientCert == null ? "--client-key needs --client-cert" : "--client-cert needs --client-key");
        }
        try {
            return TlsContexts.client(caCert == null ? null : TlsContexts.readCertificates("--ca-cert", caCert),
                    clientCert == null ? null : TlsContexts.readPem("--client-cert", clientCert, "--client-key", clientKey));
        } catch (TlsConfigException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    /**
     * The board holder this station drives, what to close when the loop ends, and — for a serial port — what
     * completes when the port goes away (else null).
     */
    /** @param longestJoin how long the unit's join attempts can take: the AT dialect's schedule, or the board's own */
    private record OpenFixture(Fixture fixture, Duration longestJoin, AutoCloseable resources, CompletionStage<Void> portGone)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    /**
     * Exactly one kind of fixture: an AT module ({@code --port} and {@code --dialect}) or image flashing
     * ({@code --image}, {@code --identity-address} and {@code --flasher}).
     */
    private OpenFixture openFixture(JoinAttempts attempts, PrintWriter out) throws IOException {
        boolean atModule = port != null || dialect != null;
        boolean flashing = image != null || identityAddress != null || flasher != null || identityOnly || flasherPreset != null;
        if (atModule == flashing) {
            throw new LorafabCommand.UserException("give either --port and --dialect (AT module) or --image, --identity-address and "
                    + "--flasher (image flashing)" + (atModule ? ", not both" : ""));
        }
        if (atModule) {
            if (port == null || dialect == null) {
                throw new LorafabCommand.UserException("an AT module needs both --port and --dialect");
            }
            Dialects.Entry d = Dialects.byName(dialect);
            if (baud != null && baud <= 0) {
                throw new LorafabCommand.UserException("--baud: expected a positive speed");
            }
            device = device(out);
            return openAt(d, device, attempts);
        }
        return openImageFixture(attempts);
    }

    /** An AT module of dialect {@code d} on serial port {@code name}. */
    private OpenFixture openAt(Dialects.Entry d, String name, JoinAttempts attempts) throws IOException {
        SerialPort serial = SerialPort.open(name, baud != null ? baud : d.defaultBaud());
        StreamTransport transport;
        try {
            transport = d.transport(serial.input(), serial.output());
        } catch (RuntimeException e) {
            serial.close();
            throw e;
        }
        AtDialect module = d.driver().apply(transport);
        return new OpenFixture(new AtFixture(module, attempts), module.longestJoin(attempts), () -> {
            try (serial; transport) {
                // closes the transport, then the port
            }
        }, transport.whenLineClosed());
    }

    /** Image or identity-only flashing. */
    private OpenFixture openImageFixture(JoinAttempts attempts) throws IOException {
        if (identityOnly || flasherPreset != null || reader != null || flasherOptions != null || encryptTo != null) {
            return openIdentityFixture(attempts);
        }
        List<String> missing = new ArrayList<>();
        if (image == null) {
            missing.add("--image");
        }
        if (identityAddress == null) {
            missing.add("--identity-address");
        }
        if (flasher == null) {
            missing.add("--flasher");
        }
        if (!missing.isEmpty()) {
            throw new LorafabCommand.UserException("image flashing also needs " + String.join(" and ", missing));
        }
        if (flasherTimeout <= 0) {
            throw new LorafabCommand.UserException("--flasher-timeout: expected a positive number of seconds");
        }
        long address = Args.address("--identity-address", identityAddress);
        long base = Args.address("--image-base", imageBase);
        Args.requireReadableFile("--image", image);
        try {
            // the flashed firmware joins by itself, on a schedule the station does not know: the period from each start
            return new OpenFixture(new ImageFixture(image, base, address, new FlasherCommand(flasher, Duration.ofSeconds(flasherTimeout)),
                    null, System::nanoTime), attempts.untilLastAttempt().plus(JoinAttempts.ATTEMPT_TIME), () -> { }, null);
        } catch (ImageFormatException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    /** Identity-only flashing: the block alone, written by a preset's or the user's commands and read back. */
    private OpenFixture openIdentityFixture(JoinAttempts attempts) {
        if (!identityOnly) {
            throw new LorafabCommand.UserException("--flasher-preset, --flasher-options, --reader and --encrypt-to go with --identity-only");
        }
        if (image != null) {
            throw new LorafabCommand.UserException("--identity-only writes the identity block alone: drop --image (the firmware is programmed once, beforehand)");
        }
        if (identityAddress == null) {
            throw new LorafabCommand.UserException("--identity-only also needs --identity-address");
        }
        if ((flasher == null) == (flasherPreset == null)) {
            throw new LorafabCommand.UserException("--identity-only needs either --flasher-preset or --flasher" + (flasher != null ? ", not both" : ""));
        }
        if (flasherTimeout <= 0) {
            throw new LorafabCommand.UserException("--flasher-timeout: expected a positive number of seconds");
        }
        RecipientKey fixtureKey = null;
        if (encryptTo != null) {
            if (flasherPreset != null) {
                throw new LorafabCommand.UserException("--encrypt-to goes with --flasher: a preset runs its tool on this machine, which "
                        + "cannot open the encrypted files; give the command that hands {hex}, {bin} or {pagebin} to the fixture machine");
            }
            if (reader != null) {
                throw new LorafabCommand.UserException("--encrypt-to: no --reader, since a read-back would bring the keys back in the "
                        + "clear; the fixture machine verifies its own write");
            }
            fixtureKey = RecipientKey.fromPem(DevicesTransferCommands.readText(encryptTo));
        }
        long address = Args.address("--identity-address", identityAddress);
        String e = erasedValue.strip();
        String digits = e.regionMatches(true, 0, "0x", 0, 2) ? e.substring(2) : e;
        if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, 16) >= 0)) {
            throw new LorafabCommand.UserException("--erased-value: expected a byte in hex, e.g. 0xFF or 0x00");
        }
        int erased = Integer.parseInt(digits, 16);
        Duration timeout = Duration.ofSeconds(flasherTimeout);
        IdentityFlasher commands;
        try {
            if (flasherPreset != null) {
                if (reader != null) {
                    throw new LorafabCommand.UserException("--reader goes with --flasher; a preset brings its own read-back");
                }
                FlasherPreset preset = FlasherPreset.byName(flasherPreset).orElseThrow(() -> new LorafabCommand.UserException(
                        "--flasher-preset: unknown '" + flasherPreset + "'; known: " + FlasherPreset.names()));
                commands = preset.flasher(flasherOptions, timeout);
            } else {
                if (flasherOptions != null) {
                    throw new LorafabCommand.UserException("--flasher-options goes with --flasher-preset; put the options in --flasher itself");
                }
                commands = IdentityFlasher.custom(flasher, reader, timeout);
            }
            return new OpenFixture(new IdentityFixture(address, pageSize, (byte) erased, commands, null, System::nanoTime, fixtureKey),
                    attempts.untilLastAttempt().plus(JoinAttempts.ATTEMPT_TIME), () -> { }, null);
        } catch (ImageFormatException x) {
            throw new LorafabCommand.UserException(x.getMessage());
        }
    }

    /** The {@code --chip-identity} command of fixture position {@code position}; null without the option. */
    private io.lorafab.station.line.ChipIdentityCommand chipIdentityCommand(int position) {
        if (chipIdentity == null) {
            return null;
        }
        try {
            return new io.lorafab.station.line.ChipIdentityCommand(chipIdentity, Duration.ofSeconds(flasherTimeout), position,
                    chipEuiIsDevEui);
        } catch (CommandTemplate.InvalidTemplateException e) {
            throw new LorafabCommand.UserException("--chip-identity: " + e.getMessage());
        }
    }
}
