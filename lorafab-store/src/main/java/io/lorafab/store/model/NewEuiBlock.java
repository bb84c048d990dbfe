package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;

/**
 * A block to create: an IEEE prefix (hex digits, e.g. "70B3D5" for an MA-L, "70B3D57ED" for an MA-S) and
 * optionally a first EUI and size inside it (default: the whole space under the prefix). The range may
 * hold neither the all-zero nor the all-ones EUI.
 */
public record NewEuiBlock(String name, Long productId, Assignment assignment, String prefix, Eui64 first, long size) {

    public NewEuiBlock {
        name = Names.require(name, "EUI block name");
        String p = prefix == null ? "" : prefix.strip().replace("-", "").replace(":", "").toLowerCase();
        if (p.isEmpty() || p.length() > 15 || !p.matches("[0-9a-f]+")) {
            throw new LorawanFormatException("EUI block: prefix must be 1..15 hex digits");
        }
        int bits = p.length() * 4;
        if (assignment.prefixBits() > 0 && assignment.prefixBits() != bits) {
            throw new LorawanFormatException("EUI block: an " + assignment.display() + " prefix has "
                    + assignment.prefixBits() / 4 + " hex digits, got " + p.length());
        }
        long prefixValue = Long.parseUnsignedLong(p, 16);
        long spaceStart = prefixValue << (64 - bits);
        long spaceSize = 1L << (64 - bits); // bits >= 4, so this fits
        if (first == null) {
            first = Eui64.of(spaceStart);
        }
        if (size == 0) {
            size = spaceSize;
        }
        long offset = first.value() - spaceStart;
        if (Long.compareUnsigned(first.value(), spaceStart) < 0 || Long.compareUnsigned(offset, spaceSize) >= 0) {
            throw new LorawanFormatException("EUI block: first EUI " + first + " is outside prefix " + p);
        }
        if (size < 0 || size > spaceSize - offset) {
            throw new LorawanFormatException("EUI block: " + size + " EUIs from " + first + " do not fit under prefix " + p);
        }
        Eui64 last = Eui64.of(first.value() + size - 1);
        if (first.isAllZero() || last.isAllOnes()) {
            throw new LorawanFormatException("EUI block: the range may not include the all-zero or all-ones EUI");
        }
        prefix = p;
        Hex.parse(p.length() % 2 == 0 ? p : "0" + p, "prefix");
    }
}
