package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.ImagePatcher;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command with its typical mistakes: each ends with exactly one line on stderr, {@code error: ...}, that says
 * what is wrong in the user's terms (the phrase in the table) — never a Java class name, a stack frame or a
 * library's internals — and exit code 1 (bad input, refusal, failure) or 2 (usage). One row per mistake; add a row
 * for a new command or option.
 *
 * <p>Placeholders in the command lines: {@code {dir}} a data folder with a product, block and order WO-1,
 * {@code {tcp}} / {@code {udp}} ports in use on 127.0.0.1, {@code {down}} a TCP port where nothing listens,
 * {@code {tty}} the station end of a pseudo-terminal (socat), {@code {csv}} a CSV file with two faulty rows,
 * {@code {key}} a valid AppKey; in the folder, {@code patched.hex} an image with an identity block, and NVM folders
 * whose device file is not JSON ({@code nvm}) or JSON of another shape ({@code nvm2}).
 */
class CliErrorSweepTest {

    static final String KEY = "2b7e151628aed2a6abf7158809cf4f3c";
    static final String JOIN_EUI = "70b3d57ed0000000";

    /** What a user must never see: a Java class name, a stack frame, a JDK package. */
    static final Pattern CLASS_LIKE = Pattern.compile("[A-Z][a-z]+[A-Z]\\w*Exception");

    @TempDir
    static Path dir;

    private static ServerSocket busyTcp;
    private static DatagramSocket busyUdp;
    private static int downPort;
    private static PtyPair pty;

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // the command line itself
                row("no command", 2, "missing command", ""),
                row("unknown command", 2, "frobnicate", "frobnicate"),
                row("unknown option", 2, "Unknown option: '--all'", "devices list --all --data-dir {dir}"),
                row("help for an unknown command", 2, "frobnicate", "help frobnicate"),
                // demo
                row("demo: not a number", 2, "--devices", "demo --devices ten"),
                row("demo: unknown timing", 2, "expected on-air or compressed", "demo --timing fast"),
                row("demo: unwritable data folder", 1, "/proc/lorafab", "demo --devices 1 --data-dir /proc/lorafab"),
                // decode
                row("decode: payload missing", 2, "PAYLOAD", "decode"),
                row("decode: bad hex", 1, "base64", "decode 00zz!"),
                row("decode: bad key", 1, "--app-key", "decode 0001010101010101010202020202020202030309b97b32 --app-key 00112233"),
                row("decode: DevNonce out of range", 1, "DevNonce", "decode 0001010101010101010202020202020202030309b97b32 --dev-nonce 70000"),
                row("decode: --fcnt32 not a number", 1, "--fcnt32", "decode 0001010101010101010202020202020202030309b97b32 --fcnt32 x"),
                // every registry command: the data folder
                row("data folder that is not there", 1, "no lorafab registry at /proc/lorafab/lorafab.db (no such folder)",
                        "products list --data-dir /proc/lorafab"),
                row("KEK file is a folder", 1, "dirkek/kek.keys: Is a directory", "products list --data-dir {dir}/dirkek"),
                // products, EUI blocks, orders
                row("products create: required option missing", 2, "--join-eui",
                        "products create --name x --mac-version 1.0.3 --region EU868 --profile-id 12340001 --data-dir {dir}"),
                row("products create: ProfileID or VendorID missing", 2, "Missing required argument",
                        "products create --name x --join-eui " + JOIN_EUI + " --mac-version 1.0.3 --region EU868 --data-dir {dir}"),
                row("products create: bad EUI", 1, "--join-eui", "products create --name x --join-eui 70b3 --mac-version 1.0.3 "
                        + "--region EU868 --profile-id 12340001 --data-dir {dir}"),
                row("products create: RSSI not a number", 2, "--rssi-min", "products create --name x --join-eui " + JOIN_EUI
                        + " --mac-version 1.0.3 --region EU868 --profile-id 12340001 --rssi-min low --data-dir {dir}"),
                row("eui-blocks create: size not a number", 2, "--size",
                        "eui-blocks create --name b --assignment MA-L --prefix 70b3d6 --size many --data-dir {dir}"),
                row("eui-blocks create: bad prefix", 1, "prefix", "eui-blocks create --name b --assignment MA-L --prefix 7g --data-dir {dir}"),
                row("orders create: unknown product", 1, "product 'nope' not found", "orders create --product nope --quantity 1 --data-dir {dir}"),
                row("orders create: negative quantity", 1, "--quantity", "orders create --product tracker --quantity -1 --data-dir {dir}"),
                row("orders show: reference missing", 2, "REF", "orders show --data-dir {dir}"),
                row("orders show: unknown order", 1, "work order 'WO-404' not found", "orders show WO-404 --data-dir {dir}"),
                // devices
                row("devices add: bad key", 1, "--app-key", "devices add --dev-eui 0011223344556677 --join-eui " + JOIN_EUI
                        + " --app-key 00zz --data-dir {dir}"),
                row("devices add: bad DevEUI", 1, "--dev-eui", "devices add --dev-eui 0011 --join-eui " + JOIN_EUI
                        + " --app-key {key} --data-dir {dir}"),
                row("devices list: unknown state", 1, "unknown state 'broken'", "devices list --state broken --data-dir {dir}"),
                row("devices import: missing file", 1, "no such file", "devices import {dir}/none.csv --data-dir {dir}"),
                row("devices import: bad CSV", 1, "2 rejected rows", "devices import {csv} --data-dir {dir}"),
                row("devices export: folder that cannot be made", 1, "cannot write /proc/lorafab/x.csv",
                        "devices export --format csv --out /proc/lorafab/x.csv --data-dir {dir}"),
                row("devices export: unknown format", 1, "unknown export format 'xml'", "devices export --format xml --out - --data-dir {dir}"),
                row("devices export: unknown KEK", 1, "ns9", "devices export --format csv --out - --wrap-kek-label ns9 --data-dir {dir}"),
                row("devices export: recipient key missing", 1, "none.pem", "devices export --format csv --out - --encrypt-to {dir}/none.pem --data-dir {dir}"),
                row("devices export: recipient is not a PEM", 1, "not a PEM public key", "devices export --format csv --out - --encrypt-to /etc/hostname --data-dir {dir}"),
                // decrypt
                row("decrypt: no --key", 2, "--key", "decrypt --out {dir}/x.csv {dir}/x.jwe"),
                row("decrypt: key is not a private key", 1, "no PEM private key", "decrypt --key /etc/hostname --out {dir}/x.csv /etc/hostname"),
                // tokens, keys, labels
                row("tokens create: unknown role", 1, "unknown 'root'", "tokens create --role root --data-dir {dir}"),
                row("tokens revoke: id not a number", 2, "ID", "tokens revoke abc --data-dir {dir}"),
                row("keys rotate: bad label", 1, "KEK label", "keys rotate --label a/b --data-dir {dir}"),
                row("labels: unknown order", 1, "work order 'WO-404' not found", "labels --order WO-404 --out {dir}/x.pdf --data-dir {dir}"),
                row("qr: bad DevEUI", 1, "--dev-eui", "qr --dev-eui zz --out {dir}/x.png --data-dir {dir}"),
                row("qr: unwritable folder", 1, "cannot write /proc/lorafab/x.png", "qr --dev-eui 0011223344556600 --out /proc/lorafab/x.png --data-dir {dir}"),
                row("qr: unknown file type", 1, ".png or .svg", "qr --dev-eui 70b3d50000001000 --out {dir}/x.gif --data-dir {dir}"),
                // server
                row("server: port out of range", 1, "--http-port: expected a port 0-65535, got 70000",
                        "server --http-port 70000 --udp-port -1 --data-dir {dir}"),
                row("server: negative UDP port", 1, "--udp-port: expected a port 0-65535, or -1 for no gateway listener, got -2",
                        "server --http-port 0 --udp-port -2 --data-dir {dir}"),
                row("server: no worker threads", 1, "--http-threads: expected at least 1, got 0",
                        "server --http-port 0 --udp-port -1 --http-threads 0 --data-dir {dir}"),
                row("server: HTTP port in use", 1, "--http-port: http 127.0.0.1:{tcp} is already in use",
                        "server --http-port {tcp} --udp-port -1 --data-dir {dir}"),
                row("server: UDP port in use", 1, "--udp-port: udp 127.0.0.1:{udp} is already in use",
                        "server --http-port 0 --udp-host 127.0.0.1 --udp-port {udp} --data-dir {dir}"),
                row("server: unresolvable host", 1, "--http-host: cannot resolve host 'nohost.invalid'",
                        "server --http-host nohost.invalid --http-port 0 --udp-port -1 --data-dir {dir}"),
                row("server: bad NetID", 1, "--net-id", "server --net-id zz --http-port 0 --udp-port -1 --data-dir {dir}"),
                row("server: port not a number", 2, "--udp-port", "server --udp-port x --data-dir {dir}"),
                row("server: MQTT broker down", 1, "--mqtt: broker tcp://127.0.0.1:{down} did not accept the connection",
                        "server --mqtt tcp://127.0.0.1:{down} --http-port 0 --udp-port -1 --data-dir {dir}"),
                // station
                row("station: order missing", 2, "--order", "station --server http://127.0.0.1:{down} --allocate"),
                row("station: not a URL", 1, "--server: expected http://HOST[:PORT] or https://HOST[:PORT], got 127.0.0.1", "station --server 127.0.0.1 --order WO-1 --token-file " + Cli.tokenFile() + " --port {tty} --dialect rak3172"),
                row("station: no token", 1, "an operator token is required: set LORAFAB_TOKEN or give --token-file FILE",
                        "station --server http://127.0.0.1:{down} --order WO-1 --port {tty} --dialect rak3172"),
                row("station: token on the command line", 1, "--token is not accepted",
                        "station --server http://127.0.0.1:{down} --order WO-1 --token t --port {tty} --dialect rak3172"),
                row("station: unknown dialect", 1, "dialect", "station --server http://127.0.0.1:{down} --order WO-1 --token-file " + Cli.tokenFile() + " --port {tty} --dialect rak9"),
                row("station: serial port missing", 1, "/dev/lorafab-none", "station --server http://127.0.0.1:{down} --order WO-1 --token-file " + Cli.tokenFile() + " "
                        + "--port /dev/lorafab-none --dialect rak3172"),
                // this machine has no USB-serial adapter: auto finds none (one line, the candidates or that there are none)
                row("station: no adapter with those USB IDs", 1, "--port auto:1a86:7523: no USB serial port 1a86:7523 found; ",
                        "station --server http://127.0.0.1:{down} --order WO-1 --token-file " + Cli.tokenFile() + " --port auto:1a86:7523 --dialect rak3172"),
                row("station: auto with malformed IDs", 1, "--port auto:1a86: expected auto or auto:VID:PID with hex USB IDs",
                        "station --server http://127.0.0.1:{down} --order WO-1 --token-file " + Cli.tokenFile() + " --port auto:1a86 --dialect rak3172"),
                row("station: server down", 1, "connection refused", "station --server http://127.0.0.1:{down} --order WO-1 --token-file " + Cli.tokenFile() + " "
                        + "--port {tty} --dialect rak3172 --unfinished void"),
                row("station: server host unknown", 1, "server http://nohost.invalid:8080 unreachable: cannot resolve its host name",
                        "station --server http://nohost.invalid:8080 --insecure --order WO-1 --token-file " + Cli.tokenFile()
                        + " --port {tty} --dialect rak3172 --unfinished void"),
                row("station: plain http to another machine", 1, "is plain http:// to another machine",
                        "station --server http://nohost.invalid:8080 --order WO-1 --token-file " + Cli.tokenFile()
                        + " --port {tty} --dialect rak3172"),
                // simulator
                row("sim joins: unresolvable host", 1, "--server: cannot resolve host 'nohost.invalid'",
                        "sim joins --server nohost.invalid:11700 --devices 1 --data-dir {dir}"),
                row("sim joins: port out of range", 1, "--server: expected a port 1-65535", "sim joins --server 127.0.0.1:70000 --data-dir {dir}"),
                row("sim joins: no devices", 1, "--devices: 1..", "sim joins --server 127.0.0.1:1700 --devices 0 --data-dir {dir}"),
                row("sim joins: server down", 1, "sim joins", "sim joins --server 127.0.0.1:{down} --devices 1 --gateways 1 --data-dir {dir}"),
                row("sim at-module: unknown dialect", 1, "--dialect", "sim at-module --dialect rn2483 --pty {dir}/tty --server 127.0.0.1:1700"),
                row("sim at-module: PTY missing", 2, "--pty", "sim at-module --dialect rak3172 --server 127.0.0.1:1700"),
                row("sim flash: missing image", 1, "no such file", "sim flash --image {dir}/fw.hex --identity-address 0x0803F800 --server 127.0.0.1:1700"),
                row("sim flash: NVM file not JSON", 1, "not a device state (syntax error at line 1, column 3)",
                        "sim flash --image {dir}/patched.hex --identity-address 0x0803F800 --server 127.0.0.1:{down} --nvm-dir {dir}/nvm"),
                row("sim flash: NVM file of another shape", 1, "not a device state (not the expected fields or types",
                        "sim flash --image {dir}/patched.hex --identity-address 0x0803F800 --server 127.0.0.1:{down} --nvm-dir {dir}/nvm2"),
                row("sim flash: bad address", 1, "--identity-address", "sim flash --image {dir}/fw.hex --identity-address 0xZZ --server 127.0.0.1:1700"));
    }

    static Arguments row(String name, int exit, String phrase, String commandLine) {
        return Arguments.of(name, exit, phrase, commandLine);
    }

    @BeforeAll
    static void setUp() throws Exception {
        Cli cli = new Cli(dir).init();
        ok(cli.run("products", "create", "--name", "tracker", "--join-eui", JOIN_EUI, "--mac-version", "1.0.3", "--region", "EU868",
                "--profile-id", "12340001"));
        ok(cli.run("eui-blocks", "create", "--name", "line-1", "--assignment", "MA-L", "--prefix", "70b3d5", "--first",
                "70b3d50000001000", "--size", "100"));
        ok(cli.run("orders", "create", "--product", "tracker", "--quantity", "10", "--reference", "WO-1"));
        ok(cli.run("devices", "add", "--dev-eui", "0011223344556600", "--join-eui", JOIN_EUI, "--app-key", KEY, "--product", "tracker"));
        Files.writeString(dir.resolve("devices.csv"), "dev_eui,join_eui,app_key\n0011223344556677," + JOIN_EUI + "," + KEY
                + "\n00112233445566zz," + JOIN_EUI + "," + KEY + "\n0011223344556688," + JOIN_EUI + ",short\n");
        byte[] code = new byte[2048];
        java.util.Arrays.fill(code, (byte) 0x5a);
        String fw = IntelHex.write(MemoryImage.ofBinary(0x0800_0000L, code), 16);
        Files.writeString(dir.resolve("patched.hex"), ImagePatcher.patchHex(fw, 0x0803_F800L, new IdentityBlock(Eui64.parse(
                "70b3d57ed00a0001"), Eui64.parse(JOIN_EUI), AesKey.parse(KEY), Optional.empty(), "SN-7")));
        Files.createDirectories(dir.resolve("nvm"));
        Files.writeString(dir.resolve("nvm/70b3d57ed00a0001.json"), "{ " + KEY + " }");
        Files.createDirectories(dir.resolve("nvm2"));
        Files.writeString(dir.resolve("nvm2/70b3d57ed00a0001.json"), "{\"nextDevNonce\": {\"key\": \"" + KEY + "\"}}");
        ok(new Cli(dir.resolve("dirkek")).run("init"));
        Files.delete(dir.resolve("dirkek/kek.keys"));
        Files.createDirectories(dir.resolve("dirkek/kek.keys"));
        Files.setPosixFilePermissions(dir.resolve("dirkek/kek.keys"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        busyTcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        busyUdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            downPort = s.getLocalPort();
        }
        pty = PtyPair.open(dir.resolve("tty-station"), dir.resolve("tty-module"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        busyTcp.close();
        busyUdp.close();
        pty.close();
    }

    private static void ok(Cli.Run r) {
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeIsOneClearLineAndExitOneOrTwo(String name, int exit, String phrase, String commandLine) {
        String[] args = args(commandLine);
        Cli.Run r = Cli.raw(args);
        String err = r.err();
        assertThat(err.lines().toList()).as("stderr of: lorafab %s", String.join(" ", args)).hasSize(1);
        assertThat(err).startsWith("error: ").contains(fill(phrase));
        assertThat(r.exit()).as(err).isEqualTo(exit);
        assertThat(err).doesNotContain("Exception").doesNotContain("java.").doesNotContain("at io.")
                .doesNotContain("Error: ").doesNotContain(KEY);
        assertThat(CLASS_LIKE.matcher(err).find()).as(err).isFalse();
    }

    private static String[] args(String commandLine) {
        List<String> out = new ArrayList<>();
        for (String a : commandLine.split(" ", -1)) {
            if (!commandLine.isEmpty()) {
                out.add(fill(a));
            }
        }
        return out.toArray(String[]::new);
    }

    private static String fill(String s) {
        return s.replace("{dir}", dir.toString()).replace("{tcp}", String.valueOf(busyTcp.getLocalPort()))
                .replace("{udp}", String.valueOf(busyUdp.getLocalPort())).replace("{down}", String.valueOf(downPort))
                .replace("{tty}", pty.stationSide().toString()).replace("{csv}", dir.resolve("devices.csv").toString())
                .replace("{key}", KEY);
    }
}
