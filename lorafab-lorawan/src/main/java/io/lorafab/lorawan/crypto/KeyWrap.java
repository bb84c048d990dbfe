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

    /**
     * AES-ECB under a KEK this process does not hold, e.g. a key that never leaves a PKCS#11 token (the caller's
     * cipher runs in the token): {@code blocks} is one or more independent 16-byte blocks, the result as long.
     */
    @FunctionalInterface
    public interface AesBlock {
        byte[] apply(byte[] blocks);
    }

    /**
     * Several keys of one length wrapped as {@link #wrap(AesBlock, byte[])} would wrap each, in lock step: the
     * t-th step of every key is one call with one block per key. A token pays per call far more than per block,
     * so a join's four session keys cost twelve calls instead of forty-eight.
     */
    public static java.util.List<byte[]> wrapAll(AesBlock encrypt, java.util.List<byte[]> keys) {
        int len = keys.isEmpty() ? 0 : keys.get(0).length;
        boolean same = keys.stream().allMatch(k -> k.length == len);
        if (keys.size() < 2 || !same) {
            java.util.List<byte[]> out = new java.util.ArrayList<>(keys.size());
            for (byte[] k : keys) {
                out.add(wrap(encrypt, k));
            }
            return out;
        }
        if (len < 16 || len % 8 != 0) {
            throw new LorawanFormatException("key wrap: key data must be a multiple of 8 bytes, at least 16; got " + len);
        }
        int m = keys.size();
        int n = len / 8;
        byte[][] a = new byte[m][];
        byte[][] r = new byte[m][];
        for (int k = 0; k < m; k++) {
            a[k] = DEFAULT_IV.clone();
            r[k] = keys.get(k).clone();
        }
        byte[] b = new byte[16 * m];
        for (int j = 0; j <= 5; j++) {
            for (int i = 1; i <= n; i++) {
                for (int k = 0; k < m; k++) {
                    System.arraycopy(a[k], 0, b, 16 * k, 8);
                    System.arraycopy(r[k], (i - 1) * 8, b, 16 * k + 8, 8);
                }
                byte[] out = encrypt.apply(b);
                for (int k = 0; k < m; k++) {
                    System.arraycopy(out, 16 * k, a[k], 0, 8);
                    xorCounter(a[k], (long) n * j + i);
                    System.arraycopy(out, 16 * k + 8, r[k], (i - 1) * 8, 8);
                }
                java.util.Arrays.fill(out, (byte) 0);
            }
        }
        java.util.Arrays.fill(b, (byte) 0);
        java.util.List<byte[]> result = new java.util.ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            byte[] c = new byte[len + 8];
            System.arraycopy(a[k], 0, c, 0, 8);
            System.arraycopy(r[k], 0, c, 8, len);
            java.util.Arrays.fill(r[k], (byte) 0);
            result.add(c);
        }
        return result;
    }

    /**
     * RFC 3394 section 2.2.1 (index-based wrap) built on the KEK's AES encryption of single blocks, for a KEK that
     * only a token can use: the result is byte for byte {@link #wrap(byte[], byte[])}'s under the same KEK. Written
     * out here because JDK 17's PKCS#11 provider offers no key-wrap cipher, only AES-ECB in the token.
     */
    public static byte[] wrap(AesBlock encrypt, byte[] keyData) {
        if (keyData.length < 16 || keyData.length % 8 != 0) {
            throw new LorawanFormatException("key wrap: key data must be a multiple of 8 bytes, at least 16; got " + keyData.length);
        }
        int n = keyData.length / 8;
        byte[] a = DEFAULT_IV.clone();
        byte[] r = keyData.clone();
        byte[] b = new byte[16];
        for (int j = 0; j <= 5; j++) {
            for (int i = 1; i <= n; i++) {
                System.arraycopy(a, 0, b, 0, 8);
                System.arraycopy(r, (i - 1) * 8, b, 8, 8);
                byte[] out = encrypt.apply(b);
                System.arraycopy(out, 0, a, 0, 8);
                xorCounter(a, (long) n * j + i);
                System.arraycopy(out, 8, r, (i - 1) * 8, 8);
            }
        }
        byte[] c = new byte[keyData.length + 8];
        System.arraycopy(a, 0, c, 0, 8);
        System.arraycopy(r, 0, c, 8, r.length);
        java.util.Arrays.fill(r, (byte) 0);
        java.util.Arrays.fill(b, (byte) 0);
        return c;
    }

    /**
     * RFC 3394 section 2.2.2 (index-based unwrap) on the KEK's AES decryption of single blocks; checks the
     * integrity value (2.2.3) as {@link #unwrap(byte[], byte[])} does.
     */
    public static byte[] unwrap(AesBlock decrypt, byte[] wrapped) {
        if (wrapped.length < 24 || wrapped.length % 8 != 0) {
            throw new LorawanFormatException("key unwrap: wrapped data must be a multiple of 8 bytes, at least 24; got " + wrapped.length);
        }
        int n = wrapped.length / 8 - 1;
        byte[] a = java.util.Arrays.copyOf(wrapped, 8);
        byte[] r = java.util.Arrays.copyOfRange(wrapped, 8, wrapped.length);
        byte[] b = new byte[16];
        for (int j = 5; j >= 0; j--) {
            for (int i = n; i >= 1; i--) {
                xorCounter(a, (long) n * j + i);
                System.arraycopy(a, 0, b, 0, 8);
                System.arraycopy(r, (i - 1) * 8, b, 8, 8);
                byte[] out = decrypt.apply(b);
                System.arraycopy(out, 0, a, 0, 8);
                System.arraycopy(out, 8, r, (i - 1) * 8, 8);
                java.util.Arrays.fill(out, (byte) 0);
            }
        }
        java.util.Arrays.fill(b, (byte) 0);
        if (!java.security.MessageDigest.isEqual(a, DEFAULT_IV)) {
            java.util.Arrays.fill(r, (byte) 0);
            throw new LorawanFormatException("key unwrap: integrity check failed (wrong KEK or altered data)");
        }
        return r;
    }

    private static final byte[] DEFAULT_IV = {(byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6,
            (byte) 0xA6, (byte) 0xA6};

    /** A ^= t, t as a 64-bit big-endian counter. */
    private static void xorCounter(byte[] a, long t) {
        for (int k = 7; k >= 0 && t != 0; k--) {
            a[k] ^= (byte) t;
            t >>>= 8;
        }
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
