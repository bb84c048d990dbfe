package io.lorafab.sim.at;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.sim.DeviceIdentity;
import io.lorafab.sim.DeviceNvm;
import io.lorafab.sim.JoinOutcome;
import io.lorafab.sim.VirtualDevice;
import io.lorafab.sim.VirtualGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A virtual RAK3172 (RUI3 firmware, LoRaWAN 1.0.3) on a serial line: the AT commands a production station uses
 * (version and model, OTAA mode, band, DevEUI/AppEUI/AppKey set and read back, join, send) answered as the RUI3
 * manual documents them (OK, AT_PARAM_ERROR, AT_ERROR; asynchronous +EVT: lines). Its radio is a
 * {@link VirtualDevice} heard by a {@link VirtualGateway}. Faults for the failure path: a module that rejects
 * the AppKey, and one out of radio range (its frames never reach the gateway).
 */
public final class VirtualRak3172 implements Runnable {
    private static final System.Logger LOG = System.getLogger(VirtualRak3172.class.getName());

    /** How the simulated unit behaves. */
    public record Behaviour(int rssi, double snr, boolean rejectsAppKey, boolean outOfRange) {
        public static final Behaviour GOOD = new Behaviour(-62, 8.5, false, false);
    }

    private final InputStream in;
    private final OutputStream out;
    private final VirtualGateway gateway;
    private final Path nvmDir;
    private volatile Behaviour behaviour;
    private final ExecutorService radio = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "virtual-rak3172-radio");
        t.setDaemon(true);
        return t;
    });
    private final Object writeLock = new Object();

    private Eui64 devEui = Eui64.of(0);
    private Eui64 appEui = Eui64.of(0);
    private AesKey appKey = AesKey.of(new byte[16]);
    private VirtualDevice device;

    public VirtualRak3172(InputStream in, OutputStream out, VirtualGateway gateway, Path nvmDir, Behaviour behaviour) {
        this.in = in;
        this.out = out;
        this.gateway = gateway;
        this.nvmDir = nvmDir;
        this.behaviour = behaviour;
    }

    /**
     * The next board in the fixture: forgets the previous unit's identity and session (its NVM file stays, as a
     * real board's flash would) and behaves as {@code next}.
     */
    public synchronized void insertBoard(Behaviour next) {
        this.behaviour = next;
        this.devEui = Eui64.of(0);
        this.appEui = Eui64.of(0);
        this.appKey = AesKey.of(new byte[16]);
        this.device = null;
    }

    /** Answers commands until the line closes. */
    @Override
    public void run() {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                String cmd = line.strip();
                if (!cmd.isEmpty()) {
                    handle(cmd);
                }
            }
        } catch (IOException closed) {
            // the station closed the port
        } finally {
            radio.shutdownNow();
        }
    }

    void handle(String cmd) throws IOException {
        String upper = cmd.toUpperCase();
        if (upper.equals("AT")) {
            reply("OK");
        } else if (upper.equals("AT+VER=?")) {
            reply("AT+VER=RUI_4.0.6_RAK3172-E", "OK");
        } else if (upper.equals("AT+HWMODEL=?")) {
            reply("AT+HWMODEL=rak3172", "OK");
        } else if (upper.matches("AT\\+(NWM|NJM|CFM|BAND|ADR|DR|CLASS)=\\d+")) {
            reply("OK");
        } else if (upper.equals("AT+DEVEUI=?")) {
            reply("AT+DEVEUI=" + devEui, "OK");
        } else if (upper.equals("AT+APPEUI=?")) {
            reply("AT+APPEUI=" + appEui, "OK");
        } else if (upper.equals("AT+APPKEY=?")) {
            reply("AT+APPKEY=" + appKey.toHex(), "OK");
        } else if (upper.startsWith("AT+DEVEUI=")) {
            devEui = eui(cmd.substring(10));
            reply(devEui == null ? "AT_PARAM_ERROR" : "OK");
            devEui = devEui == null ? Eui64.of(0) : devEui;
        } else if (upper.startsWith("AT+APPEUI=")) {
            Eui64 e = eui(cmd.substring(10));
            reply(e == null ? "AT_PARAM_ERROR" : "OK");
            appEui = e == null ? appEui : e;
        } else if (upper.startsWith("AT+APPKEY=")) {
            if (behaviour.rejectsAppKey()) {
                reply("AT_PARAM_ERROR");
                return;
            }
            try {
                appKey = AesKey.parse(cmd.substring(10));
                reply("OK");
            } catch (RuntimeException e) {
                reply("AT_PARAM_ERROR");
            }
        } else if (upper.startsWith("AT+JOIN")) {
            reply("OK");
            radio.execute(this::join);
        } else if (upper.startsWith("AT+SEND=")) {
            String[] parts = cmd.substring(8).split(":", 2);
            if (parts.length != 2 || device == null || device.session().isEmpty()) {
                reply(device == null || device.session().isEmpty() ? "AT_NO_NETWORK_JOINED" : "AT_PARAM_ERROR");
                return;
            }
            byte[] payload;
            int port;
            try {
                port = Integer.parseInt(parts[0]);
                payload = Hex.parse(parts[1], "payload");
            } catch (RuntimeException e) {
                reply("AT_PARAM_ERROR");
                return;
            }
            reply("OK");
            radio.execute(() -> send(port, payload));
        } else {
            reply("AT_COMMAND_NOT_FOUND");
        }
    }

    private void join() {
        try {
            // RUI3 implements LoRaWAN 1.0.3; its join and session behaviour is that of the simulator's 1.0.2 device
            // (random DevNonce, 1.0 MICs and keys).
            DeviceIdentity id = new DeviceIdentity(devEui, appEui, appKey, null, MacVersion.V1_0_2, Region.byName("EU868"));
            device = new VirtualDevice(id, DeviceNvm.open(nvmDir.resolve(devEui + ".json")), new SplittableRandom());
            byte[] jr = device.joinRequest();
            Optional<byte[]> accept = behaviour.outOfRange() ? Optional.empty()
                    : gateway.deliver(device, jr, 868_100_000L, 7, behaviour.rssi(), behaviour.snr());
            if (accept.isEmpty()) {
                event("+EVT:JOIN_FAILED_RX_TIMEOUT");
                return;
            }
            JoinOutcome o = device.acceptJoin(accept.get());
            event(o.joined() ? "+EVT:JOINED" : "+EVT:JOIN_FAILED_RX_TIMEOUT");
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "virtual RAK3172 " + devEui + ": join failed: " + e);
            event("+EVT:JOIN_FAILED_RX_TIMEOUT");
        }
    }

    private void send(int port, byte[] payload) {
        try {
            byte[] up = device.uplink(port, payload, false);
            if (!behaviour.outOfRange()) {
                gateway.push(up, 868_300_000L, 7, behaviour.rssi(), behaviour.snr());
            }
            event("+EVT:TX_DONE");
        } catch (IOException | RuntimeException e) {
            event("+EVT:TX_DONE");
        }
    }

    private static Eui64 eui(String hex) {
        try {
            return Eui64.parse(hex);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void event(String line) {
        try {
            reply(line);
        } catch (IOException closed) {
            // nobody listening any more
        }
    }

    private void reply(String... lines) throws IOException {
        synchronized (writeLock) {
            for (String l : lines) {
                out.write((l + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
    }
}
