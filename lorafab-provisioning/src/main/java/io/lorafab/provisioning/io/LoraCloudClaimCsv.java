package io.lorafab.provisioning.io;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.ChipIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The units' chip identities as the maker claims them on the vendor's join service (Semtech LoRa Cloud's device claim
 * takes a ChipEUI, its JoinEUI and its PIN): one line per unit, {@code DevEUI,ChipEUI,JoinEUI,PIN}, upper-case hex,
 * JoinEUI empty where the fixture did not report it. The DevEUI is the unit's in lorafab, which is the ChipEUI when the
 * product uses the chip's EUI as its DevEUI (the standard use-case) and lets the two be told apart when it does not.
 */
public final class LoraCloudClaimCsv {

    /** The format's ID on the command line and in the audit record. */
    public static final String FORMAT = "loracloud-claim";

    public static final String HEADER = "DevEUI,ChipEUI,JoinEUI,PIN";

    /** One unit's line. */
    public record Claim(Eui64 devEui, ChipIdentity chip) {
    }

    private LoraCloudClaimCsv() {
    }

    public static byte[] export(List<Claim> claims) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (Claim c : claims) {
            out.append(hex(c.devEui())).append(',').append(hex(c.chip().chipEui())).append(',')
                    .append(c.chip().joinEui() == null ? "" : hex(c.chip().joinEui())).append(',')
                    .append(c.chip().pin().hex()).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(Eui64 e) {
        return e.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
