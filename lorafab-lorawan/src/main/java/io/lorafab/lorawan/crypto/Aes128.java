package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.types.AesKey;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 single-block operations (ECB, no padding) on the JDK's provider, which uses the CPU's AES
 * instructions. Each thread keeps, per direction, a few cipher objects each keyed with one key ({@link
 * #SLOTS}), so that a frame that needs several keys pays for each key's schedule once, not once per switch:
 * a data uplink is verified under the NwkSKey and decrypted under the AppSKey, a 1.1 join uses the NwkKey, the
 * JSIntKey and the AppKey. With a single keyed cipher per thread, alternating keys re-keyed it every time, and
 * the JDK's key expansion (about 1.5 µs) then cost 7–9 times the AES of the frame itself.
 *
 * <p>Why here and not in the callers (e.g. keyed objects held beside a cached session): the callers unwrap
 * session keys from the vault per frame and pass {@link AesKey} values; a cache inside the crypto package helps
 * every caller (join, uplink, downlink, the decode command) without handing cipher objects, which hold key
 * schedules, to the layers above. The cost is that a thread keeps up to {@link #SLOTS} keys per direction after
 * use, as it kept one before; they are never formatted (a slot has no {@code toString} of its key).
 */
public final class Aes128 {
    /** Keyed ciphers kept per thread and direction: the most keys one frame or join needs (1.1: three) plus one. */
    static final int SLOTS = 4;
    private static final ThreadLocal<KeyedCiphers> ENCRYPT = ThreadLocal.withInitial(() -> new KeyedCiphers(Cipher.ENCRYPT_MODE));
    private static final ThreadLocal<KeyedCiphers> DECRYPT = ThreadLocal.withInitial(() -> new KeyedCiphers(Cipher.DECRYPT_MODE));

    /** A cipher and the key it is initialised with, and (for CMAC) that key's subkeys once asked for. */
    static final class KeyedCipher {
        final Cipher cipher = newCipher();
        private byte[] key;
        private long lastUse;
        private byte[] cmacK1;
        private byte[] cmacK2;

        /** RFC 4493 K1 and K2 under this key, computed once per key: one AES block saved per CMAC. */
        byte[] cmacK1() {
            if (cmacK1 == null) {
                byte[] l = run(cipher, new byte[16]);
                cmacK1 = AesCmac.shiftLeftXor(l);
                cmacK2 = AesCmac.shiftLeftXor(cmacK1);
            }
            return cmacK1;
        }

        byte[] cmacK2() {
            cmacK1();
            return cmacK2;
        }

        @Override
        public String toString() {
            return "KeyedCipher[redacted]";
        }
    }

    /** The keyed ciphers of one thread and direction; on a miss the least recently used is re-keyed. */
    private static final class KeyedCiphers {
        final KeyedCipher[] slots = new KeyedCipher[SLOTS];
        final int mode;
        long uses;

        KeyedCiphers(int mode) {
            this.mode = mode;
        }

        KeyedCipher keyedWith(AesKey k) {
            byte[] bytes = k.unsafeBytes();
            long now = ++uses;
            KeyedCipher victim = null;
            for (int i = 0; i < SLOTS; i++) {
                KeyedCipher c = slots[i];
                if (c == null) {
                    victim = slots[i] = new KeyedCipher();
                    break;
                }
                if (java.util.Arrays.equals(c.key, bytes)) {
                    c.lastUse = now;
                    return c;
                }
                if (victim == null || c.lastUse < victim.lastUse) {
                    victim = c;
                }
            }
            try {
                victim.cipher.init(mode, new SecretKeySpec(bytes, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES key rejected by the provider", e);
            }
            if (victim.key == null) {
                victim.key = bytes.clone();
            } else {
                System.arraycopy(bytes, 0, victim.key, 0, 16);
            }
            victim.cmacK1 = null;
            victim.cmacK2 = null;
            victim.lastUse = now;
            return victim;
        }
    }

    private Aes128() {
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/ECB/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is not available in this JDK", e);
        }
    }

    /** A cipher of this thread keyed for encryption with {@code key}; use it before the next call on this thread. */
    static Cipher encryptor(AesKey key) {
        return ENCRYPT.get().keyedWith(key).cipher;
    }

    /** As {@link #encryptor}, with the key's CMAC subkeys. */
    static KeyedCipher keyedEncryptor(AesKey key) {
        return ENCRYPT.get().keyedWith(key);
    }

    static Cipher decryptor(AesKey key) {
        return DECRYPT.get().keyedWith(key).cipher;
    }

    /** aes128_encrypt(key, block) for one 16-byte block. */
    public static byte[] encrypt(AesKey key, byte[] block) {
        return run(encryptor(key), block);
    }

    /** aes128_decrypt(key, data) for a whole number of 16-byte blocks. */
    public static byte[] decrypt(AesKey key, byte[] blocks) {
        return run(decryptor(key), blocks);
    }

    /** aes128_encrypt(key, data) for a whole number of 16-byte blocks. */
    public static byte[] encryptBlocks(AesKey key, byte[] blocks) {
        return run(encryptor(key), blocks);
    }

    static byte[] run(Cipher c, byte[] data) {
        if (data.length % 16 != 0) {
            throw new IllegalArgumentException("AES: data is not a whole number of blocks: " + data.length);
        }
        try {
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES block operation failed", e);
        }
    }
}
