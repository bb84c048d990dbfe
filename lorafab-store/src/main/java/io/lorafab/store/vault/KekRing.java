package io.lorafab.store.vault;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KEKs a vault knows, the first one active. They come from the environment variable {@code LORAFAB_KEK}
 * ({@code HEX}, or {@code LABEL:HEX[,LABEL:HEX...]}) or else from a key file ({@code LABEL=HEX} per line,
 * first line active) that is created with owner-only permissions on first start; an existing key file that its
 * group or others can access is refused ({@code key_file_not_private}: chmod 600 it). In either, {@code pkcs11} in
 * place of HEX names a KEK held under that label in the configured PKCS#11 token ({@link Pkcs11Token}).
 */
public final class KekRing {

    public static final String ENV = "LORAFAB_KEK";
    public static final String FILE_NAME = "kek.keys";

    private final List<Kek> keks;
    private final Path file;
    private final long fileModified;
    /** The PKCS#11 token that holds the KEKs written {@code LABEL=pkcs11}, or null when none is configured. */
    private final Pkcs11Token token;

    private KekRing(List<Kek> keks, Path file, Pkcs11Token token) {
        if (keks.isEmpty()) {
            throw new LorawanFormatException("no KEK configured");
        }
        this.keks = List.copyOf(keks);
        this.file = file;
        this.fileModified = modified(file);
        this.token = token;
    }

    private static long modified(Path file) {
        try {
            return file == null ? 0 : Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    public static KekRing of(List<Kek> keks) {
        return new KekRing(keks, null, null);
    }

    /** From {@code LORAFAB_KEK} if set, else from (or a new) key file in {@code dataDir}. */
    public static KekRing load(Map<String, String> env, Path dataDir, SecureRandom random) {
        return load(env, dataDir, random, null);
    }

    /**
     * As {@link #load(Map, Path, SecureRandom)}, with a PKCS#11 token for the KEKs written {@code LABEL=pkcs11}
     * (null: none configured, and such a line is refused). A key file made on first start with a token holds a KEK
     * generated in the token, not one in the file.
     */
    public static KekRing load(Map<String, String> env, Path dataDir, SecureRandom random, Pkcs11Token token) {
        String spec = env.get(ENV);
        if (spec != null && !spec.isBlank()) {
            return new KekRing(parseEnv(spec, token), null, token);
        }
        return loadFile(dataDir.resolve(FILE_NAME), random, token);
    }

    /** Reads the key file, creating it with a fresh KEK (mode 0600 in a 0700 folder) when absent. */
    public static KekRing loadFile(Path file, SecureRandom random) {
        return loadFile(file, random, null);
    }

    private static KekRing loadFile(Path file, SecureRandom random, Pkcs11Token token) {
        try {
            if (!Files.exists(file)) {
                Path dir = file.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                restrict(dir, "rwx------");
                String label = "kek-" + System.currentTimeMillis() / 1000;
                Kek first = token == null ? Kek.generate(label, random) : token.generateKek(label);
                try {
                    writeNew(file, List.of(first));
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            requirePrivate(file);
            return new KekRing(parseFile(file, token), file, token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the KEK file " + file, e);
        }
    }

    /** KEKs written as HEX or LABEL:HEX[,LABEL:HEX...] (the form of {@code LORAFAB_KEK}). */
    public static List<Kek> parseEnv(String spec) {
        return parseEnv(spec, null);
    }

    private static List<Kek> parseEnv(String spec, Pkcs11Token token) {
        List<Kek> out = new ArrayList<>();
        String[] parts = spec.strip().split(",");
        for (String part : parts) {
            String p = part.strip();
            int colon = p.indexOf(':');
            if (colon < 0 && parts.length == 1) {
                byte[] key = Hex.parse(p, ENV);
                Kek unnamed = new Kek("env", key);
                out.add(new Kek("env-" + unnamed.checkValue(), key));
            } else if (colon > 0) {
                out.add(kek(p.substring(0, colon), p.substring(colon + 1), token, ENV));
            } else {
                throw new LorawanFormatException(ENV + ": expected HEX or LABEL:HEX[,LABEL:HEX...]");
            }
        }
        return out;
    }

    /** The KEKs of a LABEL=HEX file, or none when it does not exist (never creates it). */
    public static List<Kek> readFile(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            requirePrivate(file);
            return parseFile(file, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Refuses a key file that its group or others may read, write or execute (as OpenSSH refuses such a private
     * key): the keys in it may already have leaked, and lorafab will not go on using them silently. Skipped on
     * file systems without POSIX permissions.
     */
    public static void requirePrivate(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> open = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : perms) {
            if (!p.name().startsWith("OWNER_")) {
                open.add(p);
            }
        }
        if (!open.isEmpty()) {
            throw new StoreException(ErrorCode.KEY_FILE_NOT_PRIVATE, "key file " + file + " is open to group or others (mode "
                    + PosixFilePermissions.toString(perms) + "); refusing to use it: chmod 600 " + file);
        }
    }

    /**
     * One KEK from its label and value: HEX, or {@code pkcs11} for the token's key of that label (refused when no token
     * is configured, or the token has no such key).
     */
    private static Kek kek(String label, String value, Pkcs11Token token, String where) {
        String v = value.strip();
        if (!v.equalsIgnoreCase(Pkcs11Token.MARKER)) {
            return new Kek(label.strip(), Hex.parse(v, where));
        }
        if (token == null) {
            throw new StoreException(ErrorCode.HSM_UNAVAILABLE, "KEK '" + label.strip() + "' (" + where + ") is held in a PKCS#11 token, but none "
                    + "is configured: set " + Pkcs11Token.MODULE_ENV + ", " + Pkcs11Token.SLOT_ENV + " and " + Pkcs11Token.PIN_FILE_ENV);
        }
        return token.kek(label.strip());
    }

    private static List<Kek> parseFile(Path file, Pkcs11Token token) throws IOException {
        List<Kek> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new LorawanFormatException("KEK file " + file + ", line " + n + ": expected LABEL=HEX");
            }
            out.add(kek(t.substring(0, eq), t.substring(eq + 1), token, "KEK file line " + n));
        }
        return out;
    }

    public Kek active() {
        return keks.get(0);
    }

    public List<Kek> all() {
        return keks;
    }

    public Kek byLabel(String label) {
        for (Kek k : keks) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        return null;
    }

    /** Whether this ring is backed by a key file (and so can be rotated in place). */
    public boolean fileBacked() {
        return file != null;
    }

    /** The PKCS#11 token KEKs may live in, or null when none is configured. */
    public Pkcs11Token token() {
        return token;
    }

    /** Re-reads the key file (another process may have rotated); returns this ring when not file-backed. */
    public KekRing reload() {
        if (file == null) {
            return this;
        }
        try {
            return new KekRing(parseFile(file, token), file, token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the KEK file " + file, e);
        }
    }

    /** This ring, or a re-read one if the key file changed since it was read (another process rotated). */
    public KekRing reloadIfChanged() {
        return file != null && modified(file) != fileModified ? reload() : this;
    }

    /** A ring with {@code kek} first (active) and the others after, written to the key file atomically. */
    public KekRing withActive(Kek kek) {
        List<Kek> next = new ArrayList<>();
        next.add(kek);
        for (Kek k : keks) {
            if (!k.label().equals(kek.label())) {
                next.add(k);
            }
        }
        return persist(next);
    }

    /** A ring without the given KEKs (never the active one), written to the key file atomically. */
    public KekRing without(java.util.Collection<String> labels) {
        List<Kek> next = new ArrayList<>();
        for (Kek k : keks) {
            if (k == active() || !labels.contains(k.label())) {
                next.add(k);
            }
        }
        return persist(next);
    }

    private KekRing persist(List<Kek> next) {
        if (file != null) {
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                writeNew(tmp, next);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the KEK file " + file, e);
            }
        }
        return new KekRing(next, file, token);
    }

    private static void writeNew(Path target, List<Kek> list) throws IOException {
        StringBuilder sb = new StringBuilder("# lorafab key-encryption keys: LABEL=HEX (or LABEL=pkcs11: held in the PKCS#11 token), the first line is active. Keep secret.\n");
        for (Kek k : list) {
            sb.append(k.label()).append('=').append(k.toFileValue()).append('\n');
        }
        Files.createFile(target, posix("rw-------"));
        restrict(target, "rw-------");
        Files.writeString(target, sb.toString(), StandardCharsets.UTF_8);
    }

    private static java.nio.file.attribute.FileAttribute<?>[] posix(String perms) {
        if (!supportsPosix()) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))};
    }

    private static void restrict(Path p, String perms) throws IOException {
        if (supportsPosix()) {
            Set<PosixFilePermission> set = PosixFilePermissions.fromString(perms);
            Files.setPosixFilePermissions(p, set);
        }
    }

    private static boolean supportsPosix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
