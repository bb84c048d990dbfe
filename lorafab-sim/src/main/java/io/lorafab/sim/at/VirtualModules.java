package io.lorafab.sim.at;

import io.lorafab.sim.SimException;
import io.lorafab.sim.SimGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The virtual AT modules by the dialect names the station's {@code --dialect} uses. */
public final class VirtualModules {

    /** Builds a virtual module on a serial line's streams. */
    @FunctionalInterface
    public interface Factory {
        VirtualAtModule create(InputStream in, OutputStream out, SimGateway gateway, Path nvmDir, VirtualAtModule.Behaviour behaviour);
    }

    private static final Map<String, Factory> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("rak3172", VirtualRak3172::new);
        BY_NAME.put("lora-e5", VirtualLoraE5::new);
    }

    private VirtualModules() {
    }

    /** The names, in the order of the help text: {@code rak3172}, {@code lora-e5}. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The factory for {@code name} (case and surrounding blanks ignored). */
    public static Factory byName(String name) {
        Factory f = name == null ? null : BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new SimException("unknown dialect '" + (name == null ? "" : name.strip()) + "' (virtual modules: "
                    + String.join(", ", names()) + ")");
        }
        return f;
    }
}
