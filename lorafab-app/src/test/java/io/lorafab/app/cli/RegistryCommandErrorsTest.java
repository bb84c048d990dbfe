package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Refusals and usage errors of the registry commands: exit 1 with one line "error: ..." on stderr (never a
 * key given), exit 2 for a usage error, nothing on stdout.
 */
class RegistryCommandErrorsTest {

    static final String KEY = "2b7e151628aed2a6abf7158809cf4f3c";
    static final String BAD_KEY = "2b7e151628aed2a6abf7158809cf4fXY";
    static final String DEV_EUI = "0011223344556677";
    static final String JOIN_EUI = "70b3d57ed0000000";

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void registry() {
        cli = new Cli(dir).init();
        ok("products", "create", "--name", "tracker", "--join-eui", JOIN_EUI, "--mac-version", "1.0.3", "--region", "EU868",
                "--profile-id", "12340001");
        ok("eui-blocks", "create", "--name", "line-1", "--assignment", "MA-L", "--prefix", "70b3d5", "--first",
                "70b3d50000001000", "--size", "100");
        ok("orders", "create", "--product", "tracker", "--quantity", "10", "--reference", "WO-1");
        ok("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI, "--app-key", KEY);
    }

    private void ok(String... args) {
        Cli.Run r = cli.run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("unknown product", List.of("orders", "create", "--product", "nope", "--quantity", "1"),
                        "error: product 'nope' not found"),
                Arguments.of("unknown product for a device", List.of("devices", "add", "--dev-eui", "0011223344556688",
                        "--join-eui", JOIN_EUI, "--app-key", KEY, "--product", "nope"), "error: product 'nope' not found"),
                Arguments.of("unknown work order", List.of("orders", "show", "WO-404"), "error: work order 'WO-404' not found"),
                Arguments.of("unknown work order filter", List.of("devices", "list", "--order", "WO-404"),
                        "error: work order 'WO-404' not found"),
                Arguments.of("bad DevEUI", List.of("devices", "add", "--dev-eui", "00112233445566ZZ", "--join-eui", JOIN_EUI,
                        "--app-key", KEY), "error: --dev-eui: EUI-64: not a hex digit at position 14"),
                Arguments.of("short JoinEUI", List.of("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", "70b3d5",
                        "--app-key", KEY), "error: --join-eui: EUI-64: expected 8 bytes (16 hex digits), got 3"),
                Arguments.of("bad AppKey", List.of("devices", "add", "--dev-eui", "0011223344556688", "--join-eui", JOIN_EUI,
                        "--app-key", BAD_KEY), "error: --app-key: AES-128 key: not a hex digit at position 30"),
                Arguments.of("short NwkKey", List.of("devices", "add", "--dev-eui", "0011223344556688", "--join-eui", JOIN_EUI,
                        "--app-key", KEY, "--mac-version", "1.1", "--nwk-key", KEY.substring(0, 30)),
                        "error: --nwk-key: AES-128 key: expected 16 bytes (32 hex digits), got 15"),
                Arguments.of("NwkKey on a 1.0 device", List.of("devices", "add", "--dev-eui", "0011223344556688",
                        "--join-eui", JOIN_EUI, "--app-key", KEY, "--nwk-key", KEY),
                        "error: --nwk-key: only LoRaWAN 1.1 devices have a NwkKey (1.0.3 uses the AppKey alone)"),
                Arguments.of("reserved DevEUI", List.of("devices", "add", "--dev-eui", "ffffffffffffffff", "--join-eui",
                        JOIN_EUI, "--app-key", KEY), "error: --dev-eui: the all-zero and all-ones EUIs are reserved"),
                Arguments.of("duplicate device", List.of("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI,
                        "--app-key", KEY), "error: DevEUI 0011223344556677 is already registered"),
                Arguments.of("duplicate product", List.of("products", "create", "--name", "tracker", "--join-eui", JOIN_EUI,
                        "--mac-version", "1.0.3", "--region", "EU868", "--profile-id", "12340001"), "error: already exists: product.name \"tracker\""),
                Arguments.of("duplicate order reference", List.of("orders", "create", "--product", "tracker", "--quantity", "1",
                        "--reference", "WO-1"), "error: already exists: work_order.reference \"WO-1\""),
                Arguments.of("import a missing file", List.of("devices", "import", "/nonexistent.csv"),
                        "error: cannot read /nonexistent.csv: no such file"),
                Arguments.of("import a folder", List.of("devices", "import", "/"), "error: cannot read /: is a directory"),
                Arguments.of("unknown region", List.of("products", "create", "--name", "x", "--join-eui", JOIN_EUI,
                        "--mac-version", "1.0.3", "--region", "MARS433", "--profile-id", "12340001"), "error: --region: "),
                Arguments.of("unknown MAC version", List.of("products", "create", "--name", "x", "--join-eui", JOIN_EUI,
                        "--mac-version", "2.0", "--region", "EU868", "--profile-id", "12340001"),
                        "error: --mac-version: MAC version: unknown '2.0' (expected 1.0.0, 1.0.1, 1.0.2, 1.0.3, 1.0.4 or 1.1)"),
                Arguments.of("VendorID out of range", List.of("products", "create", "--name", "x", "--join-eui", JOIN_EUI,
                        "--mac-version", "1.0.3", "--region", "EU868", "--vendor-id", "70000", "--model-id", "1"),
                        "error: --vendor-id/--model-id: ProfileID: VendorID and ModelID must each fit in 16 bits"),
                Arguments.of("overlapping EUI block", List.of("eui-blocks", "create", "--name", "line-2", "--assignment", "MA-L",
                        "--prefix", "70b3d5", "--first", "70b3d50000001050", "--size", "100"),
                        "error: EUI block 70b3d50000001050..70b3d500000010b3 overlaps block 'line-1' (70b3d50000001000..70b3d50000001063)"),
                Arguments.of("prefix of the wrong length", List.of("eui-blocks", "create", "--name", "x", "--assignment", "MA-S",
                        "--prefix", "70b3d5"), "error: EUI block: an MA-S prefix has 9 hex digits, got 6"),
                Arguments.of("unknown assignment", List.of("eui-blocks", "create", "--name", "x", "--assignment", "OUI",
                        "--prefix", "70b3d5"), "error: --assignment: assignment: unknown 'OUI' (expected MA-L, MA-M, MA-S or CUSTOM)"),
                Arguments.of("zero quantity", List.of("orders", "create", "--product", "tracker", "--quantity", "0"),
                        "error: --quantity: must be positive"),
                Arguments.of("unknown state", List.of("devices", "list", "--state", "broken"),
                        "error: --state: unknown state 'broken' (expected reserved, programmed, passed, failed or void)"),
                Arguments.of("unknown role", List.of("tokens", "create", "--role", "root"),
                        "error: --role: role: unknown 'root' (expected operator, engineer, admin or network-server)"),
                Arguments.of("network-server token without a NetID", List.of("tokens", "create", "--role", "network-server"),
                        "error: --name: a network-server token must carry the identity it speaks for, not 'network-server': name a "
                                + "network-server token after the NetID it speaks for (--name 000013), or as:<AS-ID> for an application "
                                + "server (--name as:my-as)"),
                Arguments.of("network-server token named otherwise", List.of("tokens", "create", "--role", "network-server", "--name",
                        "chirpstack"), "error: --name: a network-server token must carry the identity it speaks for, not 'chirpstack': "
                                + "name a network-server token after the NetID it speaks for (--name 000013), or as:<AS-ID> for an "
                                + "application server (--name as:my-as)"),
                Arguments.of("unknown token", List.of("tokens", "revoke", "42"), "error: active token 42 not found"),
                Arguments.of("bad KEK label", List.of("keys", "rotate", "--label", "new=key"),
                        "error: KEK label: 1..64 characters of A-Z a-z 0-9 . _ -"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalIsOneLineAndExitOne(String name, List<String> args, String expected) {
        Cli.Run r = cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith(expected).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
        assertThat(r.err().toLowerCase()).doesNotContain(KEY).doesNotContain(BAD_KEY.toLowerCase())
                .doesNotContain(KEY.substring(0, 16));
    }

    @Test
    void aDuplicateDeviceChangesNothing() {
        Cli.Run r = cli.run("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI, "--app-key",
                "000102030405060708090a0b0c0d0e0f", "--serial", "SN-9");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("already");
        assertThat(cli.run("devices", "list", "--json").json()).hasSize(1);
        assertThat(cli.run("devices", "list", "--json").json().get(0).get("serial").isNull()).isTrue();
    }

    static Stream<Arguments> importProblems() {
        String other = "0011223344556699";
        return Stream.of(
                Arguments.of("serial twice in the file", "dev_eui,join_eui,app_key,serial\n0011223344556688," + JOIN_EUI + "," + KEY
                        + ",SN-B\n" + other + "," + JOIN_EUI + "," + KEY + ",SN-B\n",
                        List.of("line 3, serial: duplicate \"SN-B\", also on line 2"), "1 rejected row"),
                Arguments.of("DevEUI and serial already registered", "dev_eui,join_eui,app_key,serial\n" + DEV_EUI + "," + JOIN_EUI
                        + "," + KEY + ",SN-A\n" + other + "," + JOIN_EUI + "," + KEY + ",SN-9\n",
                        List.of("line 2, dev_eui: " + DEV_EUI + " already registered", "line 3, serial: \"SN-9\" already registered"),
                        "2 rejected rows"),
                Arguments.of("a key typed as serial is not repeated", "dev_eui,join_eui,app_key,serial\n" + other + "," + JOIN_EUI
                        + "," + KEY + "," + KEY + "\n0011223344556688," + JOIN_EUI + "," + KEY + "," + KEY + "\n",
                        List.of("line 3, serial: duplicate (value not shown), also on line 2"), "1 rejected row"),
                Arguments.of("faulty rows and clashes with the registry in one pass; a row with two problems counts once",
                        "dev_eui,join_eui,app_key,serial\n" + DEV_EUI + "," + JOIN_EUI + ",00zz,SN-C\n" + other + ",70b3," + KEY
                                + ",SN-D\n0011223344556688," + JOIN_EUI + "," + KEY + ",SN-9\n",
                        List.of("line 2, app_key: character 3 is not a hex digit", "line 2, dev_eui: " + DEV_EUI + " already registered",
                                "line 3, join_eui: expected 8 bytes (16 hex digits), got 2 bytes (4 hex digits)",
                                "line 4, serial: \"SN-9\" already registered"), "3 rejected rows"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("importProblems")
    void everyProblemOfAnImportIsListedByLineAndNothingIsImported(String name, String csv, List<String> expected, String rows)
            throws Exception {
        ok("devices", "add", "--dev-eui", "0011223344556600", "--join-eui", JOIN_EUI, "--app-key", KEY, "--serial", "SN-9");
        Path file = dir.resolve("import.csv");
        java.nio.file.Files.writeString(file, csv);
        Cli.Run r = cli.run("devices", "import", file.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out().lines().toList()).isEqualTo(expected);
        assertThat(r.err()).isEqualTo("error: " + file + ": " + rows + ", nothing imported (" + expected.size()
                + (expected.size() == 1 ? " problem" : " problems") + " listed above)\n");
        assertThat((r.out() + r.err()).toLowerCase()).doesNotContain(KEY);
        assertThat(cli.run("devices", "list", "--json").json()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"kek.keys, devices|list", "export-kek.keys, devices|export|--format|csv|--out|-|--wrap-kek-label|ns1"})
    void aKeyFileOthersCanReadStopsTheCommand(String name, String args) throws Exception {
        Path file = dir.resolve(name);
        if (!java.nio.file.Files.exists(file)) {
            java.nio.file.Files.writeString(file, "ns1=" + "5a".repeat(16) + "\n");
        }
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Cli.Run r = cli.run(args.split("\\|"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: key file " + file + " is open to group or others (mode rw-r--r--); refusing to use it: "
                + "chmod 600 " + file + "\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(cli.run(args.split("\\|")).exit()).as(name + " private again").isZero();
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("products create without --join-eui", List.of("products", "create", "--name", "x",
                        "--mac-version", "1.0.3", "--region", "EU868", "--profile-id", "12340001"), "--join-eui"),
                Arguments.of("products create without a ProfileID", List.of("products", "create", "--name", "x", "--join-eui",
                        JOIN_EUI, "--mac-version", "1.0.3", "--region", "EU868"), "--profile-id"),
                Arguments.of("products create with --vendor-id alone", List.of("products", "create", "--name", "x",
                        "--join-eui", JOIN_EUI, "--mac-version", "1.0.3", "--region", "EU868", "--vendor-id", "1"), "--model-id"),
                Arguments.of("products create with both ProfileID forms", List.of("products", "create", "--name", "x",
                        "--join-eui", JOIN_EUI, "--mac-version", "1.0.3", "--region", "EU868", "--profile-id", "12340001",
                        "--vendor-id", "1", "--model-id", "2"), "mutually exclusive"),
                Arguments.of("devices add without --app-key", List.of("devices", "add", "--dev-eui", DEV_EUI, "--join-eui",
                        JOIN_EUI), "--app-key"),
                Arguments.of("orders create without --quantity", List.of("orders", "create", "--product", "tracker"),
                        "--quantity"),
                Arguments.of("quantity not a number", List.of("orders", "create", "--product", "tracker", "--quantity", "ten"),
                        "--quantity"),
                Arguments.of("eui-blocks create without --prefix", List.of("eui-blocks", "create", "--name", "x",
                        "--assignment", "MA-L"), "--prefix"),
                Arguments.of("tokens create without --role", List.of("tokens", "create"), "--role"),
                Arguments.of("tokens revoke without an id", List.of("tokens", "revoke"), "ID"),
                Arguments.of("orders show without a reference", List.of("orders", "show"), "REF"),
                Arguments.of("an unknown subcommand", List.of("keys", "drop"), "drop"),
                Arguments.of("an unknown option", List.of("devices", "list", "--all"), "--all"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorExitsTwo(String name, List<String> args, String mentioned) {
        Cli.Run r = cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains(mentioned);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadGatewayAllowListStopsTheServerBeforeItStarts() throws Exception {
        java.nio.file.Path list = java.nio.file.Files.createTempFile("gateways", ".txt");
        java.nio.file.Files.writeString(list, "# line 1\n00800000a0000001\nnot-an-eui\n");
        Cli.Run r = Cli.raw("server", "--allow-gateways-file", list.toString(), "--http-port", "0", "--udp-port", "0", "--lns-port", "-1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: --allow-gateways-file line 3").doesNotContain("Exception");
        java.nio.file.Files.writeString(list, "# nobody\n");
        assertThat(Cli.raw("server", "--allow-gateways-file", list.toString()).err()).contains("names no gateway");
        assertThat(Cli.raw("server", "--allow-gateway", "00800000a0000001,zz").err()).startsWith("error: --allow-gateway");
    }

    @Test
    void plainSessionKeysAreAllowedOnlyToNamedNetIdsOrApplicationServers() {
        for (String bad : List.of("13", "000013,network-a", "as:")) {
            Cli.Run r = Cli.raw("server", "--bi-plain-keys", bad, "--http-port", "0", "--udp-port", "0", "--lns-port", "-1");
            assertThat(r.exit()).as(bad).isEqualTo(1);
            assertThat(r.err().strip()).as(bad).matches("error: --bi-plain-keys: '[^']*' is neither a NetID \\(6 hex digits, e\\.g\\. "
                    + "000013\\) nor as:<AS-ID>");
        }
    }

    @Test
    void gatewayAddressesAndTheAddressChangeBlockAreCheckedBeforeTheServerStarts() {
        // arguments -> the one line on stderr
        String[][] cases = {
            {"--allow-gateway", "00800000a0000001@gw.example.com",
                "error: --allow-gateway: '00800000a0000001@gw.example.com': 'gw.example.com' is not an IPv4 or IPv6 address"},
            {"--allow-gateway", "00800000a0000001@192.0.2.0/40",
                "error: --allow-gateway: '00800000a0000001@192.0.2.0/40': the prefix length must be 0..32, got '40'"},
            {"--gateway-addr-change-block", "a minute",
                "error: --gateway-addr-change-block: expected a duration such as 30s, 5m or 0, got 'a minute'"},
            {"--udp-rxpk-per-address", "-1", "error: --udp-rxpk-per-address: must not be negative, got -1"},
        };
        for (String[] c : cases) {
            Cli.Run r = Cli.raw("server", c[0], c[1], "--http-port", "0", "--udp-port", "0", "--lns-port", "-1");
            assertThat(r.exit()).as(c[1]).isEqualTo(1);
            assertThat(r.err().strip()).as(c[1]).isEqualTo(c[2]);
        }
    }

    @Test
    void theGatewayListenerStaysOnLoopbackUnlessGatewaysAreNamed() {
        // --udp-host, allow-list -> bind address
        assertThat(ServerCommand.udpBindHost(null, io.lorafab.gateway.GatewayAllowList.any())).isEqualTo("127.0.0.1");
        assertThat(ServerCommand.udpBindHost(null, io.lorafab.gateway.GatewayAllowList.parse(List.of("00800000a0000001@192.0.2.7"))))
                .isEqualTo("0.0.0.0");
        assertThat(ServerCommand.udpBindHost("192.0.2.1", io.lorafab.gateway.GatewayAllowList.any())).isEqualTo("192.0.2.1");
        assertThat(ServerCommand.duration("--x", "90")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(ServerCommand.duration("--x", "5m")).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(ServerCommand.duration("--x", "0")).isZero();
    }

    @Test
    void aGroupWithoutASubcommandIsAUsageError() {
        for (String group : List.of("products", "eui-blocks", "orders", "devices", "tokens", "keys")) {
            Cli.Run r = Cli.raw(group);
            assertThat(r.exit()).as(group).isEqualTo(2);
            assertThat(r.err()).startsWith("error: missing subcommand (try: lorafab " + group + " --help)");
        }
    }

    @Test
    void everyCommandHasHelpWithTheDatabaseOptions() {
        List<List<String>> commands = List.of(List.of("products", "create"), List.of("products", "list"),
                List.of("eui-blocks", "create"), List.of("eui-blocks", "list"), List.of("orders", "create"),
                List.of("orders", "list"), List.of("orders", "show"), List.of("devices", "add"), List.of("devices", "list"),
                List.of("tokens", "create"), List.of("tokens", "list"), List.of("tokens", "revoke"), List.of("keys", "rotate"),
                List.of("keys", "rewrap"));
        for (List<String> c : commands) {
            String[] args = Stream.concat(c.stream(), Stream.of("--help")).toArray(String[]::new);
            Cli.Run r = Cli.raw(args);
            assertThat(r.exit()).as(String.join(" ", c)).isZero();
            assertThat(r.out()).as(String.join(" ", c)).contains("--db=URL").contains("--data-dir=DIR").contains("--help");
        }
        for (String group : List.of("products", "eui-blocks", "orders", "devices", "tokens", "keys")) {
            Cli.Run r = Cli.raw(group, "--help");
            assertThat(r.exit()).as(group).isZero();
            assertThat(r.out()).as(group).contains("Commands:");
        }
        assertThat(Cli.raw("--help").out()).contains("products").contains("eui-blocks").contains("orders")
                .contains("devices").contains("tokens").contains("keys").contains("decode");
    }

    @Test
    void anUnreachableDatabaseIsOneLine() {
        Cli.Run r = new Cli(dir, "jdbc:postgresql://127.0.0.1:1/none?user=nobody&connectTimeout=2").run("products", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("error: cannot open database");
    }
}
