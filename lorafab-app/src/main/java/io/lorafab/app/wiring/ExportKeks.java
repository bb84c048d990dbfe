package io.lorafab.app.wiring;

import io.lorafab.api.ErrorCode;
import io.lorafab.joinserver.bi.BiIdentity;
import io.lorafab.joinserver.bi.ExportKekSource;
import io.lorafab.joinserver.bi.KeyEnvelope;
import io.lorafab.provisioning.io.WrapKek;
import io.lorafab.provisioning.io.WrapKeks;
import io.lorafab.store.StoreException;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KEKs shared with network servers, to export devices with their keys wrapped (RFC 3394) rather than in the
 * clear: from {@code LORAFAB_EXPORT_KEKS} ({@code LABEL:HEX[,LABEL:HEX...]}) and the file
 * {@code export-kek.keys} in the data folder ({@code LABEL=HEX} per line). These are not the vault's own KEKs.
 */
public final class ExportKeks {
    public static final String ENV = "LORAFAB_EXPORT_KEKS";
    public static final String FILE_NAME = "export-kek.keys";
    /** The {@link StoreException#code()} for a label no KEK carries. */
    public static final ErrorCode UNKNOWN = ErrorCode.KEK_UNKNOWN;

    private ExportKeks() {
    }

    public static WrapKek byLabel(String label, Map<String, String> env, Path dataDir) {
        for (Kek k : all(env, dataDir)) {
            if (k.label().equals(label)) {
                return new WrapKek(k.label(), k.keyBytes());
            }
        }
        throw new StoreException(UNKNOWN, "no export KEK labelled '" + label + "' (set " + ENV + " or add LABEL=HEX to "
                + dataDir.resolve(FILE_NAME) + ")");
    }

    private static List<Kek> all(Map<String, String> env, Path dataDir) {
        List<Kek> all = new ArrayList<>();
        String spec = env.get(ENV);
        if (spec != null && !spec.isBlank()) {
            all.addAll(KekRing.parseEnv(spec));
        }
        all.addAll(KekRing.readFile(dataDir.resolve(FILE_NAME)));
        return all;
    }

    /** The export KEKs as the console offers them for an export: read anew on every call, like the API's. */
    public static WrapKeks forExports(Map<String, String> env, Path dataDir) {
        return new WrapKeks() {
            @Override
            public List<String> labels() {
                return all(env, dataDir).stream().map(Kek::label).distinct().toList();
            }

            @Override
            public WrapKek byLabel(String label) {
                return ExportKeks.byLabel(label, env, dataDir);
            }
        };
    }

    /**
     * The export KEKs as the Backend Interfaces service asks for them: read anew on every request, so that a KEK
     * added to the file is used without a restart; a label no KEK carries is "none", a file that cannot be read is
     * not.
     */
    public static ExportKekSource forBackendInterfaces(Map<String, String> env, Path dataDir) {
        return new ExportKekSource() {
            @Override
            public Optional<KeyEnvelope.Kek> byLabel(String label) {
                try {
                    WrapKek k = ExportKeks.byLabel(label, env, dataDir);
                    return Optional.of(new KeyEnvelope.Kek(k.label(), k.kek()));
                } catch (StoreException e) {
                    if (e.code() == UNKNOWN) {
                        return Optional.empty();
                    }
                    throw e;
                }
            }

            @Override
            public String howToAllow(BiIdentity caller) {
                String label = caller.isNetworkServer() ? caller.netId().toString() : caller.asId();
                String plain = caller.isNetworkServer() ? label : BiIdentity.AS_PREFIX + label;
                return "add " + label + "=<32 hex digits> to " + FILE_NAME + " in lorafab's data folder or " + label + ":<hex> to "
                        + ENV + ", or allow plain keys for it with lorafab server --bi-plain-keys " + plain;
            }
        };
    }
}
