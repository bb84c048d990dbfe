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
     * The export KEKs as the Backend Interfaces service asks for them: the file is looked at on every request, so
     * that a KEK added to it (or a file opened to others) counts without a restart; a label no KEK carries is "none",
     * a file that cannot be read is not.
     */
    public static ExportKekSource forBackendInterfaces(Map<String, String> env, Path dataDir) {
        Current current = new Current(env, dataDir);
        return new ExportKekSource() {
            @Override
            public Optional<KeyEnvelope.Kek> byLabel(String label) {
                for (Kek k : current.keks()) {
                    if (k.label().equals(label)) {
                        return Optional.of(new KeyEnvelope.Kek(k.label(), k.keyBytes()));
                    }
                }
                return Optional.empty();
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

    /**
     * The export KEKs as they are now, parsed again only when the variable's text or the file has changed. Reading
     * and parsing them twice for every JoinReq (the network server's KEK and its application server's) was a tenth of
     * a Backend Interfaces join's CPU; one {@code stat} of the file tells whether anything changed: its inode, size,
     * modification and change time (the change time moves on {@code chmod} too, so a file opened to others is refused
     * at the next request, as before). A file modified in the last {@link #RACY} is read anyway: on a file system
     * whose clock ticks coarsely, a second write in the same tick with the same size would otherwise go unseen.
     */
    static final class Current {
        static final java.time.Duration RACY = java.time.Duration.ofSeconds(2);
        private static final String STAT = "unix:dev,ino,size,lastModifiedTime,ctime,mode";
        private final Map<String, String> env;
        private final Path file;
        private final java.time.Clock clock;
        /** The last good reading; replaced whole, so readers on other threads see one consistent state. */
        private volatile Snapshot last;

        private record Snapshot(String envSpec, Object fileState, List<Kek> keks) {
        }

        Current(Map<String, String> env, Path dataDir) {
            this(env, dataDir, java.time.Clock.systemUTC());
        }

        Current(Map<String, String> env, Path dataDir, java.time.Clock clock) {
            this.env = env;
            this.file = dataDir.resolve(FILE_NAME);
            this.clock = clock;
        }

        List<Kek> keks() {
            String spec = env.get(ENV);
            Object state = fileState();
            Snapshot s = last;
            if (s != null && state != null && java.util.Objects.equals(s.envSpec(), spec) && s.fileState().equals(state)) {
                return s.keks();
            }
            List<Kek> all = all(env, file.getParent());
            // a reading is kept only if the file was not changing under it (same state before and after) and is old enough
            if (state != null && state.equals(fileState())) {
                last = new Snapshot(spec, state, List.copyOf(all));
            }
            return all;
        }

        /** What identifies the file's content and mode now; null when it cannot be trusted to (too recent, no POSIX stat). */
        private Object fileState() {
            try {
                Map<String, Object> a = java.nio.file.Files.readAttributes(file, STAT);
                java.nio.file.attribute.FileTime modified = (java.nio.file.attribute.FileTime) a.get("lastModifiedTime");
                java.nio.file.attribute.FileTime changed = (java.nio.file.attribute.FileTime) a.get("ctime");
                java.time.Instant newest = modified.toInstant().isAfter(changed.toInstant()) ? modified.toInstant() : changed.toInstant();
                if (newest.isAfter(clock.instant().minus(RACY))) {
                    return null;
                }
                return a;
            } catch (java.nio.file.NoSuchFileException e) {
                return "absent";
            } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return null; // not to be cached: read it every time, as before
            }
        }
    }
}
