package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.NetId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The network servers, by NetID, that may join a device over Backend Interfaces and so receive its session keys
 * (The Things Stack's Join Server keeps one such NetID per device, falling back to its application's home NetID;
 * lorafab keeps a list per product, which a device may replace). Empty means no network server at all: the safe
 * default. Written as NetIDs in hex separated by commas, e.g. {@code 000013,000042}; stored in that canonical
 * form (lower case, ascending, no duplicates).
 */
public record AllowedNetIds(List<NetId> netIds) {

    private static final AllowedNetIds NONE = new AllowedNetIds(List.of());

    public AllowedNetIds {
        TreeSet<NetId> sorted = new TreeSet<>(Comparator.comparingInt(NetId::value));
        sorted.addAll(netIds);
        netIds = List.copyOf(sorted);
    }

    public static AllowedNetIds none() {
        return NONE;
    }

    public static AllowedNetIds of(Collection<NetId> netIds) {
        return new AllowedNetIds(new ArrayList<>(netIds));
    }

    /**
     * Reads {@code 000013,000042} (blanks around entries are ignored; an empty text is no NetID).
     *
     * @throws LorawanFormatException naming the entry that is not a NetID
     */
    public static AllowedNetIds parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<NetId> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            if (!p.matches("[0-9A-Fa-f]{6}")) {
                throw new LorawanFormatException("'" + p + "' is not a NetID (6 hex digits, e.g. 000013); "
                        + "separate several with commas");
            }
            out.add(NetId.parse(p));
        }
        return new AllowedNetIds(out);
    }

    public boolean allows(NetId netId) {
        return netIds.contains(netId);
    }

    public boolean isEmpty() {
        return netIds.isEmpty();
    }

    /** The NetIDs as hex strings, for JSON. */
    public List<String> texts() {
        return netIds.stream().map(NetId::toString).toList();
    }

    /** The canonical form, as stored: {@code 000013,000042}, or "" for none. */
    @Override
    public String toString() {
        return String.join(",", texts());
    }
}
