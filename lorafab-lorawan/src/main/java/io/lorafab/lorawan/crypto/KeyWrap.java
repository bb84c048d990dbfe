package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES key wrap (RFC 3394, default IV A6A6A6A6A6A6A6A6), as used by LoRaWAN Backend Interfaces KeyEnvelopes
 * and by lorafab's key vault. The key-encryption key may be 128, 192 or 256 bits.
 */
public final class KeyWrap {
    /** One key-wrap cipher per thread: looking the transformation up costs more than wrapping a key. */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/KW/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap is not available in this JDK", e);
        }
    });

    private KeyWrap() {
    }

    public static byte[] wrap(byte[] kek, byte[] keyData) {
        checkKek(kek);
        if (keyData.length < 16 || keyData.length % 8 != 0) {
            throw new LorawanFormatException("key wrap: key data must be a multiple of 8 bytes, at least 16; got " + keyData.length);
        }
        return run(Cipher.ENCRYPT_MODE, kek, keyData);
    }

    public static byte[] wrap(AesKey kek, AesKey key) {
        return wrap(kek.unsafeBytes(), key.unsafeBytes());
    }

    /** Unwraps and checks the integrity value; a wrong KEK or altered data is a {@link LorawanFormatException}. */
    public static byte[] unwrap(byte[] kek, byte[] wrapped) {
        checkKek(kek);
        if (wrapped.length < 24 || wrapped.length % 8 != 0) {
            throw new LorawanFormatException("key unwrap: wrapped data must be a multiple of 8 bytes, at least 24; got " + wrapped.length);
        }
        return run(Cipher.DECRYPT_MODE, kek, wrapped);
    }

    public static AesKey unwrapAesKey(AesKey kek, byte[] wrapped) {
        byte[] k = unwrap(kek.unsafeBytes(), wrapped);
        if (k.length != AesKey.SIZE) {
            throw new LorawanFormatException("key unwrap: expected a 16-byte key, got " + k.length + " bytes");
        }
        return AesKey.of(k);
    }

    private static void checkKek(byte[] kek) {
        if (kek.length != 16 && kek.length != 24 && kek.length != 32) {
            throw new LorawanFormatException("key wrap: KEK must be 16, 24 or 32 bytes, got " + kek.length);
        }
    }

    private static byte[] run(int mode, byte[] kek, byte[] data) {
        try {
            Cipher c = CIPHER.get();
            c.init(mode, new SecretKeySpec(kek, "AES"));
            return c.doFinal(data);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new LorawanFormatException("key unwrap: integrity check failed (wrong KEK or altered data)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap is not available in this JDK", e);
        }
    }
}
