package io.lorafab.sim.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.sim.JoinOutcome;
import io.lorafab.sim.VirtualGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A virtual RAK3172 (RUI3 firmware, LoRaWAN 1.0.3) on a serial line: the AT commands a production station uses
 * (version and model, OTAA mode, band, DevEUI/AppEUI/AppKey set and read back, join, send) answered as the RUI3
 * manual documents them (OK, AT_PARAM_ERROR, AT_ERROR; asynchronous +EVT: lines). RUI3's join and session
 * behaviour is that of the simulator's 1.0.2 device (random DevNonce, 1.0 MICs and keys); see
 * {@link VirtualAtModule} for the radio and the faults.
 */
public final class VirtualRak3172 extends VirtualAtModule {

    public VirtualRak3172(InputStream in, OutputStream out, VirtualGateway gateway, Path nvmDir, Behaviour behaviour) {
        super("rak3172", in, out, gateway, nvmDir, behaviour);
    }

    @Override
    protected void handle(String cmd) throws IOException {
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
            reply("AT+DEVEUI=" + devEui(), "OK");
        } else if (upper.equals("AT+APPEUI=?")) {
            reply("AT+APPEUI=" + appEui(), "OK");
        } else if (upper.equals("AT+APPKEY=?")) {
            reply("AT+APPKEY=" + appKey().toHex(), "OK");
        } else if (upper.startsWith("AT+DEVEUI=")) {
            // a malformed DevEUI clears the one programmed before
            Eui64 e = eui(cmd.substring(10));
            devEui(e == null ? Eui64.of(0) : e);
            reply(e == null ? "AT_PARAM_ERROR" : "OK");
        } else if (upper.startsWith("AT+APPEUI=")) {
            Eui64 e = eui(cmd.substring(10));
            if (e != null) {
                appEui(e);
            }
            reply(e == null ? "AT_PARAM_ERROR" : "OK");
        } else if (upper.startsWith("AT+APPKEY=")) {
            if (behaviour().rejectsAppKey()) {
                reply("AT_PARAM_ERROR");
                return;
            }
            try {
                appKey(AesKey.parse(cmd.substring(10)));
                reply("OK");
            } catch (RuntimeException e) {
                reply("AT_PARAM_ERROR");
            }
        } else if (upper.startsWith("AT+JOIN")) {
            reply("OK");
            onRadio(this::join);
        } else if (upper.startsWith("AT+SEND=")) {
            send(cmd.substring(8));
        } else {
            reply("AT_COMMAND_NOT_FOUND");
        }
    }

    private void send(String args) throws IOException {
        String[] parts = args.split(":", 2);
        boolean joined = session().isPresent();
        if (parts.length != 2 || !joined) {
            reply(joined ? "AT_PARAM_ERROR" : "AT_NO_NETWORK_JOINED");
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
        onRadio(() -> {
            // RUI3 reports the transmission done whether or not a gateway heard it
            uplinkOverTheAir(port, payload, false);
            event("+EVT:TX_DONE");
        });
    }

    private void join() {
        Optional<JoinOutcome> o = joinOverTheAir();
        event(o.isPresent() && o.get().joined() ? "+EVT:JOINED" : "+EVT:JOIN_FAILED_RX_TIMEOUT");
    }

    private static Eui64 eui(String hex) {
        try {
            return Eui64.parse(hex);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
