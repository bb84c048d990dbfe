package io.lorafab.store.vault;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * A PKCS#11 token (an HSM, or SoftHSM2) that holds KEKs, used through the JDK's SunPKCS11 provider. A KEK in the
 * token is the secret-key object whose {@code CKA_LABEL} is the KEK's label; it is generated in the token as
 * sensitive and not extractable, so its value never leaves it.
 *
 * <p>How keys are wrapped and unwrapped with it: PKCS#11's own {@code CKM_AES_KEY_WRAP} is not reachable from
 * JDK 17 — its SunPKCS11 provider offers no key-wrap cipher ({@code AES/KW/NoPadding} came to it later), and
 * {@code C_UnwrapKey} would in any case leave the root key as an object in the token, while the join server needs
 * its bytes for AES-CMAC in software (so it would have to be unwrapped as extractable and read back, which is the
 * same exposure with an object left behind to destroy). So lorafab runs RFC 3394 itself ({@link KeyWrap#wrap(
 * KeyWrap.AesBlock, byte[])}) and asks the token for each of its AES block operations (AES-ECB with the KEK,
 * twelve per 128-bit key). The KEK stays in the token; the wrapped bytes are exactly RFC 3394's, the same as the
 * file vault writes under the same KEK value, so keys move between a file KEK and a token KEK by the ordinary
 * re-wrap. The price: the KEK needs {@code CKA_ENCRYPT}/{@code CKA_DECRYPT} rather than only
 * {@code CKA_WRAP}/{@code CKA_UNWRAP}, so whoever holds the PIN can decrypt single blocks under it — no more than
 * an unwrap permission gives them, since unwrapped root keys must come out of the token anyway.
 *
 * <p>Configured from the environment, never the command line: {@value #MODULE_ENV} (the module's path),
 * {@value #SLOT_ENV} (the slot ID, as {@code pkcs11-tool --list-slots} and {@code softhsm2-util --show-slots}
 * print it; unset: the first slot with a token) and the user PIN from {@value #PIN_FILE_ENV} (a file only its owner
 * may read) or {@value #PIN_ENV}. Everything that can go wrong on opening — no module, no such slot or token, a
 * wrong PIN — is one {@code hsm_unavailable} line, raised before the server opens any port.
 */
public final class Pkcs11Token {

    public static final String MODULE_ENV = "LORAFAB_PKCS11_MODULE";
    public static final String SLOT_ENV = "LORAFAB_PKCS11_SLOT";
    public static final String PIN_ENV = "LORAFAB_PKCS11_PIN";
    public static final String PIN_FILE_ENV = "LORAFAB_PKCS11_PIN_FILE";
    /** What a key file line ({@code LABEL=pkcs11}) or a {@code LORAFAB_KEK} entry carries instead of HEX for a KEK in the token. */
    public static final String MARKER = "pkcs11";

    private final Provider provider;
    private final KeyStore store;
    private final String where;

    private Pkcs11Token(Provider provider, KeyStore store, String where) {
        this.provider = provider;
        this.store = store;
        this.where = where;
    }

    /** The token the environment configures, or null when {@value #MODULE_ENV} is not set (KEKs in files only). */
    public static Pkcs11Token fromEnv(Map<String, String> env) {
        String module = env.get(MODULE_ENV);
        if (module == null || module.isBlank()) {
            return null;
        }
        String slotText = env.get(SLOT_ENV);
        Long slot = null;
        if (slotText != null && !slotText.isBlank()) {
            try {
                slot = Long.parseLong(slotText.strip());
            } catch (NumberFormatException e) {
                throw unavailable(SLOT_ENV + ": expected a slot ID (a number, as 'pkcs11-tool --list-slots' prints it)");
            }
        }
        return open(Path.of(module.strip()), slot, pin(env));
    }

    private static char[] pin(Map<String, String> env) {
        String file = env.get(PIN_FILE_ENV);
        if (file != null && !file.isBlank()) {
            Path p = Path.of(file.strip());
            try {
                if (!Files.isRegularFile(p)) {
                    throw unavailable("the PIN file " + p + " (" + PIN_FILE_ENV + ") does not exist");
                }
                KekRing.requirePrivate(p);
                String s = Files.readString(p, StandardCharsets.UTF_8);
                int end = s.length();
                while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
                    end--;
                }
                return s.substring(0, end).toCharArray();
            } catch (IOException e) {
                throw unavailable("cannot read the PIN file " + p + " (" + PIN_FILE_ENV + ")");
            }
        }
        String pin = env.get(PIN_ENV);
        if (pin == null || pin.isEmpty()) {
            throw unavailable(MODULE_ENV + " is set but no PIN is: set " + PIN_FILE_ENV + " (a file only its owner can read) or "
                    + PIN_ENV);
        }
        return pin.toCharArray();
    }

    /**
     * Loads the module, opens the slot ({@code null}: the first with a token) and logs in with the user PIN.
     * The PIN array is cleared afterwards.
     */
    public static Pkcs11Token open(Path module, Long slot, char[] pin) {
        String where = (slot == null ? "the first slot" : "slot " + slot) + " of " + module;
        try {
            if (!Files.isRegularFile(module)) {
                throw unavailable("PKCS#11 module " + module + " not found (" + MODULE_ENV + ")");
            }
            // Secret keys the provider generates are made sensitive and not extractable: a KEK never leaves the token.
            Provider sunPkcs11 = Security.getProvider("SunPKCS11");
            if (sunPkcs11 == null) {
                throw unavailable("this Java runtime has no PKCS#11 provider (module jdk.crypto.cryptoki)");
            }
            // quoted: a path with spaces is one value; absolute: the provider refuses a relative library path
            String config = "--name=lorafab\nlibrary=\"" + module.toAbsolutePath() + "\"\n" + (slot == null ? "slotListIndex=0\n" : "slot=" + slot + "\n")
                    + "attributes(generate,CKO_SECRET_KEY,CKK_AES) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n"
                    + "  CKA_ENCRYPT = true\n  CKA_DECRYPT = true\n}\n";
            Provider p;
            try {
                p = sunPkcs11.configure(config);
            } catch (ProviderException | java.security.InvalidParameterException e) {
                String reason = pkcs11Reason(e);
                if ("CKR_SLOT_ID_INVALID".equals(reason) || "CKR_TOKEN_NOT_PRESENT".equals(reason)) {
                    throw unavailable("no token in " + where + " (" + SLOT_ENV + "; 'pkcs11-tool --module " + module
                            + " --list-slots' lists them)");
                }
                throw unavailable("the PKCS#11 module " + module + " cannot be used with " + (slot == null ? "its first slot" : "slot " + slot)
                        + (reason == null ? "" : " (" + reason + ")"));
            }
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            try {
                ks.load(null, pin);
            } catch (IOException e) {
                String reason = pkcs11Reason(e);
                if ("CKR_PIN_INCORRECT".equals(reason) || "CKR_PIN_LEN_RANGE".equals(reason)) {
                    throw unavailable("the token in " + where + " refused the PIN (" + PIN_FILE_ENV + " or " + PIN_ENV + ")");
                }
                if ("CKR_PIN_LOCKED".equals(reason)) {
                    throw unavailable("the token in " + where + " has locked its user PIN");
                }
                if ("CKR_USER_PIN_NOT_INITIALIZED".equals(reason) || "CKR_TOKEN_NOT_RECOGNIZED".equals(reason)) {
                    throw unavailable("the token in " + where + " is not initialised (no user PIN)");
                }
                throw unavailable("cannot log in to the token in " + where + (reason == null ? "" : " (" + reason + ")"));
            }
            return new Pkcs11Token(p, ks, where);
        } catch (GeneralSecurityException e) {
            throw unavailable("the PKCS#11 token in " + where + " cannot be used (" + pkcs11Reason(e) + ")");
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** The PKCS#11 return code (CKR_...) somewhere in the chain, if any: a user line names it, never a Java class. */
    private static String pkcs11Reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null) {
                java.util.regex.Matcher mm = java.util.regex.Pattern.compile("CKR_[A-Z_]+").matcher(m);
                if (mm.find()) {
                    return mm.group();
                }
            }
        }
        return null;
    }

    private static StoreException unavailable(String message) {
        return new StoreException(ErrorCode.HSM_UNAVAILABLE, message);
    }

    /** Where the token is, for messages: "slot N of MODULE". */
    public String where() {
        return where;
    }

    /** Whether the token holds a KEK (a secret-key object) with this label. */
    public boolean holds(String label) {
        try {
            return store.containsAlias(label) && store.isKeyEntry(label);
        } catch (GeneralSecurityException e) {
            throw unavailable("cannot list the keys of the token in " + where);
        }
    }

    /** The KEK the token holds under {@code label}; {@code kek_unknown} when there is none. */
    public Kek kek(String label) {
        Key key;
        try {
            key = store.getKey(label, null);
        } catch (GeneralSecurityException e) {
            throw unavailable("cannot read key '" + label + "' from the token in " + where);
        }
        if (!(key instanceof SecretKey) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
            throw new StoreException(ErrorCode.KEK_UNKNOWN, "no AES key labelled '" + label + "' in the token in " + where);
        }
        return Kek.held(label, new Held(label, (SecretKey) key));
    }

    /** Generates a 256-bit KEK in the token (sensitive, not extractable) and stores it under {@code label}. */
    public Kek generateKek(String label) {
        new Kek(label, new byte[16]); // checks the label's form
        if (holds(label)) {
            throw new StoreException(ErrorCode.DUPLICATE, "the token in " + where + " already holds a key labelled '" + label + "'");
        }
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES", provider);
            g.init(256);
            SecretKey session = g.generateKey();
            store.setEntry(label, new KeyStore.SecretKeyEntry(session), null);
        } catch (GeneralSecurityException | ProviderException e) {
            throw unavailable("cannot generate a KEK in the token in " + where + " (" + pkcs11Reason(e) + ")");
        }
        return kek(label);
    }

    /**
     * Stores a KEK whose value exists outside already (a migration of a file KEK into the token, or a test that
     * compares with the file vault) under its label. The value was outside before: prefer {@link #generateKek}.
     */
    public Kek importKek(Kek outside) {
        if (holds(outside.label())) {
            throw new StoreException(ErrorCode.DUPLICATE, "the token in " + where + " already holds a key labelled '" + outside.label() + "'");
        }
        try {
            byte[] k = outside.keyBytes();
            store.setEntry(outside.label(), new KeyStore.SecretKeyEntry(new javax.crypto.spec.SecretKeySpec(k, "AES")), null);
            Arrays.fill(k, (byte) 0);
        } catch (GeneralSecurityException | ProviderException e) {
            throw unavailable("cannot store a KEK in the token in " + where + " (" + pkcs11Reason(e) + ")");
        }
        return kek(outside.label());
    }

    /**
     * The token's AES block operations with one KEK. A {@link Cipher} is not thread-safe, so each thread keeps one
     * per direction; the provider gives each its own session.
     */
    final class Held {
        private final String label;
        private final SecretKey key;
        private final ThreadLocal<Cipher> enc;
        private final ThreadLocal<Cipher> dec;

        private Held(String label, SecretKey key) {
            this.label = label;
            this.key = key;
            this.enc = ThreadLocal.withInitial(() -> cipher(Cipher.ENCRYPT_MODE));
            this.dec = ThreadLocal.withInitial(() -> cipher(Cipher.DECRYPT_MODE));
        }

        private Cipher cipher(int mode) {
            try {
                Cipher c = Cipher.getInstance("AES/ECB/NoPadding", provider);
                c.init(mode, key);
                return c;
            } catch (GeneralSecurityException | ProviderException e) {
                throw unavailable("the token in " + where + " cannot use KEK '" + label + "' (" + pkcs11Reason(e) + ")");
            }
        }

        byte[] encrypt(byte[] block) {
            return run(enc, block);
        }

        byte[] decrypt(byte[] block) {
            return run(dec, block);
        }

        private byte[] run(ThreadLocal<Cipher> c, byte[] block) {
            try {
                return c.get().doFinal(block);
            } catch (GeneralSecurityException | ProviderException e) {
                // the next call starts from a fresh cipher (and session): the token may be back by then
                c.remove();
                throw unavailable("the token in " + where + " failed an operation with KEK '" + label + "' (" + pkcs11Reason(e) + ")");
            }
        }

        /** Whether the token reports the key as extractable (a generated KEK is not). */
        boolean extractable() {
            return key.getEncoded() != null;
        }
    }
}
