package io.lorafab.gateway;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The gateways a {@link SemtechUdpConnector} serves: gateway EUIs, each optionally tied to the source addresses
 * (single addresses or CIDR blocks) it may send from. Semtech UDP carries no authentication, so the EUI in a
 * datagram proves nothing; the source address is the one thing an attacker off the gateways' network cannot
 * choose freely (short of spoofing, which yields no answers). Empty: every gateway from every address.
 *
 * <p>Entries are written {@code EUI}, {@code EUI@ADDRESS} or {@code EUI@ADDRESS/PREFIX} (IPv4 or IPv6, literal
 * addresses only: a host name would make the list depend on DNS); an EUI given several times may send from any of
 * its addresses.
 */
public final class GatewayAllowList {

    /** What the list says of a datagram's gateway EUI and source address. */
    public enum Verdict {
        ALLOWED,
        /** The EUI is not on the list. */
        EUI_NOT_ALLOWED,
        /** The EUI is on the list, but not from this address. */
        ADDRESS_NOT_ALLOWED
    }

    private static final GatewayAllowList ANY = new GatewayAllowList(Map.of());

    /** EUI → the address blocks it may send from; an empty list: any address. */
    private final Map<Eui64, List<Cidr>> entries;

    private GatewayAllowList(Map<Eui64, List<Cidr>> entries) {
        this.entries = entries;
    }

    /** Every gateway, from anywhere. */
    public static GatewayAllowList any() {
        return ANY;
    }

    /** These gateways, from any address. */
    public static GatewayAllowList of(Set<Eui64> gateways) {
        Map<Eui64, List<Cidr>> m = new LinkedHashMap<>();
        gateways.forEach(eui -> m.put(Objects.requireNonNull(eui, "gateway EUI"), List.of()));
        return new GatewayAllowList(java.util.Collections.unmodifiableMap(m));
    }

    /**
     * Parses entries such as {@code 0016c001ff10a235}, {@code 0016c001ff10a235@192.0.2.10} or
     * {@code 0016c001ff10a235@192.0.2.0/24}.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static GatewayAllowList parse(Collection<String> entries) {
        Map<Eui64, List<Cidr>> m = new LinkedHashMap<>();
        for (String raw : entries) {
            String e = raw.strip();
            int at = e.indexOf('@');
            Eui64 eui;
            try {
                eui = Eui64.parse(at < 0 ? e : e.substring(0, at));
            } catch (LorawanFormatException | IllegalArgumentException ex) {
                throw new IllegalArgumentException("'" + e + "' does not start with a gateway EUI (16 hex digits)");
            }
            List<Cidr> blocks = m.computeIfAbsent(eui, k -> new ArrayList<>());
            if (at < 0) {
                blocks.clear();
                blocks.add(null); // marker: any address, whatever else is listed for this EUI
            } else if (!blocks.contains(null)) {
                blocks.add(Cidr.parse(e.substring(at + 1), e));
            }
        }
        Map<Eui64, List<Cidr>> out = new LinkedHashMap<>();
        m.forEach((eui, blocks) -> out.put(eui, blocks.contains(null) ? List.of() : List.copyOf(blocks)));
        return new GatewayAllowList(java.util.Collections.unmodifiableMap(out)); // in the order given
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether some entry ties its gateway to addresses. */
    public boolean pinsAddresses() {
        return entries.values().stream().anyMatch(b -> !b.isEmpty());
    }

    public Set<Eui64> gateways() {
        return entries.keySet();
    }

    /** A few hash lookups and, for an EUI with address blocks, a byte comparison per block. */
    public Verdict check(Eui64 gateway, InetAddress from) {
        if (entries.isEmpty()) {
            return Verdict.ALLOWED;
        }
        List<Cidr> blocks = entries.get(gateway);
        if (blocks == null) {
            return Verdict.EUI_NOT_ALLOWED;
        }
        if (blocks.isEmpty()) {
            return Verdict.ALLOWED;
        }
        for (Cidr c : blocks) {
            if (c.contains(from)) {
                return Verdict.ALLOWED;
            }
        }
        return Verdict.ADDRESS_NOT_ALLOWED;
    }

    @Override
    public String toString() {
        List<String> out = new ArrayList<>();
        entries.forEach((eui, blocks) -> {
            if (blocks.isEmpty()) {
                out.add(eui.toString());
            } else {
                blocks.forEach(b -> out.add(eui + "@" + b));
            }
        });
        return String.join(",", out);
    }

    /**
     * An address block. Written by hand: the JDK has no CIDR type, and the gateway module needs nothing else from
     * the libraries that have one.
     */
    record Cidr(byte[] network, int prefixLength) {
        private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

        static Cidr parse(String text, String entry) {
            int slash = text.indexOf('/');
            String addr = slash < 0 ? text : text.substring(0, slash);
            // Only literals reach InetAddress.getByName, which then does no name lookup.
            boolean v4 = IPV4.matcher(addr).matches()
                    && java.util.Arrays.stream(addr.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
            boolean v6 = addr.indexOf(':') >= 0 && addr.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.');
            if (!v4 && !v6) {
                throw new IllegalArgumentException("'" + entry + "': '" + addr + "' is not an IPv4 or IPv6 address");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("'" + entry + "': '" + addr + "' is not an IPv4 or IPv6 address");
            }
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String p = text.substring(slash + 1);
                try {
                    prefix = Integer.parseInt(p);
                } catch (NumberFormatException ex) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits || !p.chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0.." + bits + ", got '" + p + "'");
                }
            }
            return new Cidr(mask(bytes, prefix), prefix);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            return java.util.Arrays.equals(mask(b, prefixLength), network);
        }

        private static byte[] mask(byte[] address, int prefix) {
            byte[] out = address.clone();
            for (int i = 0; i < out.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                out[i] &= (byte) (0xFF << (8 - keep));
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(network) * 31 + prefixLength;
        }

        @Override
        public String toString() {
            try {
                String a = InetAddress.getByAddress(network).getHostAddress();
                return prefixLength == network.length * 8 ? a : a + "/" + prefixLength;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
