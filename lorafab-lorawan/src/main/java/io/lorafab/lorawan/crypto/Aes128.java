package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.types.AesKey;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 single-block operations (ECB, no padding) on the JDK's provider, which uses the CPU's AES
 * instructions. One cipher object per thread and direction is reused; it is re-keyed only when the key
 * differs from the one it holds, so the several operations of one join under the same root key pay for one
 * key schedule.
 */
public final class Aes128 {
    private static final ThreadLocal<KeyedCipher> ENCRYPT = ThreadLocal.withInitial(() -> new KeyedCipher(Cipher.ENCRYPT_MODE));
    private static final ThreadLocal<KeyedCipher> DECRYPT = ThreadLocal.withInitial(() -> new KeyedCipher(Cipher.DECRYPT_MODE));

    /** A cipher and the key it is initialised with. */
    private static final class KeyedCipher {
        final Cipher cipher = newCipher();
        final int mode;
        byte[] key;

        KeyedCipher(int mode) {
            this.mode = mode;
        }

        Cipher keyedWith(AesKey k) {
            byte[] bytes = k.unsafeBytes();
            if (key == null || !java.util.Arrays.equals(key, bytes)) {
                try {
                    cipher.init(mode, new SecretKeySpec(bytes, "AES"));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES key rejected by the provider", e);
                }
                key = bytes.clone();
            }
            return cipher;
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
        return ENCRYPT.get().keyedWith(key);
    }

    static Cipher decryptor(AesKey key) {
        return DECRYPT.get().keyedWith(key);
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
