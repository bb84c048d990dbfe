package io.lorafab.app.wiring;

import io.lorafab.provisioning.qr.Tr005;
import io.lorafab.provisioning.qr.Tr005Code;
import io.lorafab.provisioning.service.Provisioning;

/**
 * Reads what a barcode scanner typed: a LoRa Alliance TR005 QR string ("LW:D0:JoinEUI:DevEUI:ProfileID...",
 * checksum verified when present) or a plain DevEUI.
 */
final class ScannedLabels {
    private ScannedLabels() {
    }

    static Provisioning.ScannedLabel parse(String text) {
        String t = text.strip();
        if (t.startsWith("LW:")) {
            Tr005Code code = Tr005.parse(t);
            return new Provisioning.ScannedLabel(code.devEui(), code.joinEui(), code.profileId(), code.serialNumber().orElse(null));
        }
        return Provisioning.plainDevEui(t);
    }
}
