package io.lorafab.lorawan.region;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The registry behind {@link Region#byName(String)} and {@link Region#all()}. Kept apart from {@link Region}
 * so that the superclass's initialization never depends on its subclasses' instances.
 */
final class Regions {

    static final List<Region> ALL = List.of(Eu868.INSTANCE, Us915.INSTANCE, Cn470.INSTANCE, As923.AS923_1,
            As923.AS923_2, As923.AS923_3, As923.AS923_4, Au915.INSTANCE, In865.INSTANCE, Kr920.INSTANCE);

    private static final Map<String, Region> BY_NAME = index();

    private Regions() {
    }

    static Region byName(String name) {
        Region r = name == null ? null : BY_NAME.get(normalize(name));
        if (r == null) {
            throw new LorawanFormatException("unknown LoRaWAN region " + (name == null ? "null" : "'" + name + "'")
                    + "; known: " + ALL.stream().map(Region::name).collect(Collectors.joining(", ")));
        }
        return r;
    }

    /** Upper case without '-', '_' and blanks: "as923_2", "AS923-2" and "AS 923 2" all become "AS9232". */
    static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.strip().toUpperCase(Locale.ROOT).toCharArray()) {
            if (c != '-' && c != '_' && !Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Map<String, Region> index() {
        Map<String, Region> m = new HashMap<>();
        for (Region r : ALL) {
            put(m, normalize(r.name()), r);
            for (String alias : r.aliases()) {
                put(m, alias, r);
            }
        }
        return Map.copyOf(m);
    }

    private static void put(Map<String, Region> m, String key, Region r) {
        Region old = m.put(key, r);
        if (old != null && old != r) {
            throw new IllegalStateException("region name " + key + " used by both " + old + " and " + r);
        }
    }
}
