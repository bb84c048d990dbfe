package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/**
 * The LoRa Alliance TR005 ProfileID: the 16-bit VendorID assigned by the LoRa Alliance followed by the
 * vendor's 16-bit ModelID, written as 8 hex digits.
 */
public record ProfileId(int vendorId, int modelId) {

    public ProfileId {
        if (vendorId < 0 || vendorId > 0xffff || modelId < 0 || modelId > 0xffff) {
            throw new LorawanFormatException("ProfileID: VendorID and ModelID must each fit in 16 bits");
        }
    }

    public static ProfileId parse(String text) {
        byte[] b = Hex.parse(text, "ProfileID", 4);
        return new ProfileId((int) Bytes.readBe(b, 0, 2), (int) Bytes.readBe(b, 2, 2));
    }

    @Override
    public String toString() {
        return String.format("%04X%04X", vendorId, modelId);
    }
}
