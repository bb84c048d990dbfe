package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.Dialects;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lorafab sim at-module} refusing what it cannot run: one {@code error:} line, no stack trace, no PTY left
 * behind. (Serving a station is tested end to end in {@code SerialLineTest}.)
 */
class SimAtModuleCommandTest {

    @TempDir
    Path dir;

    private static void assertOneErrorLine(Cli.Run r, String expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).containsExactly("error: " + expected);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void everyVirtualModuleIsNamedAsTheStationNamesItsDialect() {
        assertThat(VirtualModules.names()).containsExactly("rak3172", "lora-e5");
        for (String name : VirtualModules.names()) {
            assertThat(Dialects.byName(name).cliName()).isEqualTo(name);
        }
    }

    @Test
    void anUnknownDialect() {
        Path tty = dir.resolve("tty");
        assertOneErrorLine(Cli.raw("sim", "at-module", "--dialect", "rn2483", "--pty", tty.toString(), "--server", "127.0.0.1:1700"),
                "--dialect: unknown dialect 'rn2483' (virtual modules: rak3172, lora-e5)");
        assertThat(Files.exists(tty, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aServerWithoutPort() {
        assertOneErrorLine(Cli.raw("sim", "at-module", "--dialect", "lora-e5", "--pty", dir.resolve("tty").toString(), "--server", "localhost"),
                "--server: expected HOST:PORT, got 'localhost'");
    }

    @Test
    void aBadGatewayEui() {
        Cli.Run r = Cli.raw("sim", "at-module", "--dialect", "lora-e5", "--pty", dir.resolve("tty").toString(), "--server", "127.0.0.1:1700",
                "--gateway-eui", "00800000a0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: --gateway-eui: ").doesNotContain("\tat ");
    }

    @Test
    void modulesOnDifferentPtysHaveTheirOwnGatewayEuiAndKeepItAcrossRestarts() {
        // one EUI shared by several modules made the server's downlink route for it jump between their addresses
        var a = SimCommand.AtModule.defaultGatewayEui(dir.resolve("ttyLORA0"));
        var b = SimCommand.AtModule.defaultGatewayEui(dir.resolve("ttyLORA1"));
        var c = SimCommand.AtModule.defaultGatewayEui(dir.resolve("ttyLORA2"));
        assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
        assertThat(SimCommand.AtModule.defaultGatewayEui(dir.resolve("ttyLORA0"))).isEqualTo(a);
        assertThat(a.toString()).startsWith("00800000");
    }

    @Test
    void aMissingOptionIsAUsageError() {
        Cli.Run r = Cli.raw("sim", "at-module", "--dialect", "lora-e5");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--pty");
        // which address is needed depends on --gateway: checked after parsing, before the PTY is made
        Path tty = dir.resolve("tty");
        assertOneErrorLine(Cli.raw("sim", "at-module", "--dialect", "lora-e5", "--pty", tty.toString()),
                "--server HOST:PORT is needed with --gateway udp");
        assertOneErrorLine(Cli.raw("sim", "at-module", "--dialect", "lora-e5", "--pty", tty.toString(), "--gateway", "basics-station"),
                "--lns URI is needed with --gateway basics-station, e.g. ws://127.0.0.1:1887");
        assertThat(Files.exists(tty, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void noLnsListening() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing answers there
        }
        Path tty = dir.resolve("tty");
        Cli.Run r = Cli.raw("sim", "at-module", "--dialect", "rak3172", "--pty", tty.toString(), "--gateway", "basics-station",
                "--lns", "ws://127.0.0.1:" + port);
        assertOneErrorLine(r, "sim at-module: no answer from a server on Basics Station LNS ws://127.0.0.1:" + port
                + " (is lorafab server running there?): connecting to ws://127.0.0.1:" + port + "/router-info: connection refused");
        assertThat(Files.exists(tty, LinkOption.NOFOLLOW_LINKS)).as("the PTY link was removed").isFalse();
    }

    @Test
    void theLnsCredentialsAreCheckedBeforeAnythingStarts() throws Exception {
        Path tty = dir.resolve("tty");
        Path pem = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path junk = Files.writeString(dir.resolve("tc.key"), "Bearer only-a-token\n");
        assertOneErrorLine(Cli.raw("sim", "at-module", "--dialect", "rak3172", "--pty", tty.toString(), "--gateway", "basics-station",
                "--lns", "ws://127.0.0.1:1887", "--lns-key", pem.toString()),
                "--lns-key " + pem + ": a PEM private key needs its certificate in --lns-cert");
        assertOneErrorLine(Cli.raw("sim", "at-module", "--dialect", "rak3172", "--pty", tty.toString(), "--gateway", "basics-station",
                "--lns", "ws://127.0.0.1:1887", "--lns-key", junk.toString()),
                "--lns-key " + junk + ", line 1: expected 'Name: value', e.g. 'Authorization: Bearer TOKEN'");
        assertOneErrorLine(Cli.raw("sim", "at-module", "--dialect", "rak3172", "--pty", tty.toString(), "--gateway", "basics-station",
                "--lns", "ws://127.0.0.1:1887", "--lns-trust", pem.toString()),
                "--lns-trust and --lns-cert are for a wss:// LNS, not ws://");
        assertThat(Files.exists(tty, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void noServerListening() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing answers there
        }
        Path tty = dir.resolve("tty");
        Cli.Run r = Cli.raw("sim", "at-module", "--dialect", "rak3172", "--pty", tty.toString(), "--server", "127.0.0.1:" + port);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("error: sim at-module: no answer from a server on udp 127.0.0.1:" + port);
        assertThat(Files.exists(tty, LinkOption.NOFOLLOW_LINKS)).as("the PTY link was removed").isFalse();
    }

    @Test
    void socatMissingFromThePath() throws Exception {
        ProcessBuilder p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main",
                "sim", "at-module", "--dialect", "lora-e5", "--pty", dir.resolve("tty").toString(), "--server", "127.0.0.1:1700"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        p.environment().put("PATH", dir.resolve("empty").toString());
        Process run = p.start();
        String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(err).isEqualTo(1);
        assertThat(err.lines().toList()).singleElement().asString()
                .startsWith("error: sim at-module: socat is needed for pseudo-terminals")
                .contains("apt-get install socat");
    }

    @Test
    void theNvmFolderIsTheSameForTheSameDialectAndPtyAndUnderTheDataFolder() {
        Path data = dir.resolve("data");
        Path a = SimCommand.AtModule.defaultNvmDir(data, "rak3172", Path.of("/tmp/ttyLORA0"));
        assertThat(a).isEqualTo(SimCommand.AtModule.defaultNvmDir(data, "rak3172", Path.of("/tmp/ttyLORA0")));
        assertThat(a).isEqualTo(data.resolve("at-module-nvm").resolve("rak3172-tmp_ttyLORA0"));
        assertThat(SimCommand.AtModule.defaultNvmDir(data, "lora-e5", Path.of("/tmp/ttyLORA0"))).isNotEqualTo(a);
        assertThat(SimCommand.AtModule.defaultNvmDir(data, "rak3172", Path.of("/tmp/ttyLORA1"))).isNotEqualTo(a);
        assertThat(SimCommand.AtModule.defaultNvmDir(data, "rak3172", Path.of("/dev/pts/../ttyX")).startsWith(data.resolve("at-module-nvm"))).isTrue();
    }
}
