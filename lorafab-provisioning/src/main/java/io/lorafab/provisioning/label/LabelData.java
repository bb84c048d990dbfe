package io.lorafab.provisioning.label;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.qr.Tr005;
import io.lorafab.provisioning.qr.Tr005Code;

/**
 * What one device label shows: the TR005 QR code, the DevEUI in grouped hex, the serial number and the product
 * name. Identifiers only; a label never carries a key, and there is no field to put one in.
 *
 * <p>{@code tr005} must be a valid TR005 code (see {@link Tr005#parse}) with no surrounding whitespace, whose
 * DevEUI and JoinEUI are {@code devEui} and {@code joinEui}, and whose SerNum, if it has one, equals a
 * non-empty {@code serialNumber}. {@code serialNumber} and {@code productName} may be empty but not null, and
 * must not contain control characters.
 */
public record LabelData(Eui64 devEui, Eui64 joinEui, String serialNumber, String productName, String tr005) {

    public LabelData {
        if (devEui == null || joinEui == null || serialNumber == null || productName == null || tr005 == null) {
            throw new LorawanFormatException("label: DevEUI, JoinEUI, serial number, product name and TR005 code"
                    + " are required (use \"\" for no serial number or product name)");
        }
        checkText("serial number", serialNumber);
        checkText("product name", productName);
        if (!tr005.equals(tr005.strip())) {
            throw new LorawanFormatException("label " + devEui + ": TR005 code has surrounding whitespace");
        }
        Tr005Code code = Tr005.parse(tr005);
        if (!code.devEui().equals(devEui) || !code.joinEui().equals(joinEui)) {
            throw new LorawanFormatException("label " + devEui + ": TR005 code is for DevEUI " + code.devEui()
                    + ", JoinEUI " + code.joinEui() + ", not for this device (JoinEUI " + joinEui + ")");
        }
        code.serialNumber().ifPresent(s -> {
            if (!serialNumber.isEmpty() && !s.equals(serialNumber)) {
                throw new LorawanFormatException("label " + devEui + ": serial number \"" + serialNumber
                        + "\" differs from the TR005 SerNum \"" + s + "\"");
            }
        });
    }

    /** A label whose QR code is {@code code} written with a CheckSum. */
    public static LabelData of(Tr005Code code, String serialNumber, String productName) {
        return new LabelData(code.devEui(), code.joinEui(), serialNumber, productName, Tr005.format(code, true));
    }

    /** The DevEUI as printed for people: 16 upper-case hex digits in groups of four, e.g. "0004 A30B 001C 0530". */
    public String devEuiGrouped() {
        String hex = String.format("%016X", devEui.value());
        return hex.substring(0, 4) + ' ' + hex.substring(4, 8) + ' ' + hex.substring(8, 12) + ' ' + hex.substring(12);
    }

    private static void checkText(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new LorawanFormatException("label: " + what + " contains a control character at position "
                        + i);
            }
        }
    }
}
