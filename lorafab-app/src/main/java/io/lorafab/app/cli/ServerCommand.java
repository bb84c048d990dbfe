package io.lorafab.app.cli;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.NetId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab server}: the HTTP API on the registry until stopped (SIGTERM or Ctrl-C). */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the lorafab server: the JSON API, the Semtech UDP gateway listener and the join server (also for Backend Interfaces).")
public final class ServerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DbOptions db;

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all)")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int httpPort;

    @Option(names = "--http-threads", paramLabel = "N", defaultValue = "32", description = "HTTP worker threads (default: ${DEFAULT-VALUE})")
    int httpThreads;

    @Option(names = "--udp-host", paramLabel = "HOST", defaultValue = "0.0.0.0", description = "address the gateway listener binds (default: ${DEFAULT-VALUE})")
    String udpHost;

    @Option(names = "--udp-port", paramLabel = "PORT", defaultValue = "1700", description = "Semtech UDP packet-forwarder port (default: ${DEFAULT-VALUE}; 0 picks a free one; -1 turns the listener off)")
    int udpPort;

    @Option(names = "--net-id", paramLabel = "HEX", defaultValue = "000000", description = "NetID of the test network: DevAddrs come from its prefix (default: ${DEFAULT-VALUE})")
    String netId;

    @Option(names = "--mqtt", paramLabel = "URI", description = "publish radio events to this MQTT broker, e.g. tcp://127.0.0.1:1883")
    String mqtt;

    @Option(names = "--joins-per-device", paramLabel = "N", defaultValue = "10", description = "join attempts allowed per device per minute (0 = unlimited; default: ${DEFAULT-VALUE})")
    int joinsPerDevice;

    @Option(names = "--joins-per-gateway", paramLabel = "N", defaultValue = "600", description = "join attempts allowed per gateway per minute (0 = unlimited; default: ${DEFAULT-VALUE})")
    int joinsPerGateway;

    @Option(names = "--allow-gateway", paramLabel = "EUI", split = ",",
            description = "serve only these gateways (repeatable or comma-separated); others' datagrams are counted and dropped unanswered")
    List<String> allowGateway = new ArrayList<>();

    @Option(names = "--allow-gateways-file", paramLabel = "FILE", description = "the same, one gateway EUI per line (# starts a comment)")
    Path allowGatewaysFile;

    @Override
    public Integer call() throws Exception {
        JoinServerConfig config = JoinServerConfig.defaults().withNetId(Args.option("--net-id", () -> NetId.parse(netId)))
                .withRateLimits(joinsPerDevice, joinsPerGateway);
        Set<Eui64> gateways = allowedGateways();
        Lorafab lf = db.open();
        ApiServer api = new ApiServer(lf, httpHost, httpPort, httpThreads);
        JoinServerRuntime js = new JoinServerRuntime(lf, config,
                udpPort < 0 ? null : new InetSocketAddress(udpHost, udpPort), gateways, mqtt, api);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            js.close();
            api.close();
            lf.close();
            stopped.countDown();
        }, "lorafab-shutdown"));
        js.start();
        api.start();
        spec.commandLine().getOut().printf("lorafab server listening on http://%s:%d, gateways on udp %s (database %s, KEK %s, NetID %s)%n",
                httpHost, api.port(), js.udpPort() < 0 ? "off" : udpHost + ":" + js.udpPort(),
                lf.registry().database().displayUrl(), lf.vault().activeLabel(), config.netId());
        if (!gateways.isEmpty()) {
            spec.commandLine().getOut().printf("serving %d allowed gateway(s)%n", gateways.size());
        }
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    private Set<Eui64> allowedGateways() {
        Set<Eui64> out = new LinkedHashSet<>();
        for (String e : allowGateway) {
            out.add(Args.eui("--allow-gateway", e.strip()));
        }
        if (allowGatewaysFile != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(allowGatewaysFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LorafabCommand.UserException("--allow-gateways-file: cannot read " + allowGatewaysFile + ": " + e.getMessage());
            }
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).replaceFirst("#.*", "").strip();
                if (!l.isEmpty()) {
                    out.add(Args.eui("--allow-gateways-file line " + (i + 1), l));
                }
            }
            if (out.isEmpty()) {
                throw new LorafabCommand.UserException("--allow-gateways-file: " + allowGatewaysFile + " names no gateway");
            }
        }
        return out;
    }
}
