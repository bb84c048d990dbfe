package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.types.AesKey;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/** AES-CMAC (RFC 4493) with a 128-bit key. */
public final class AesCmac {
    private static final int BLOCK = 16;
    private static final int RB = 0x87;

    private AesCmac() {
    }

    /** The 16-byte CMAC of {@code message}. */
    public static byte[] mac(AesKey key, byte[] message) {
        return mac(key, message, 0, message.length);
    }

    public static byte[] mac(AesKey key, byte[] message, int off, int len) {
        Aes128.KeyedCipher keyed = Aes128.keyedEncryptor(key);
        Cipher aes = keyed.cipher;
        try {
            byte[] k1 = keyed.cmacK1();
            int n = (len + BLOCK - 1) / BLOCK;
            boolean complete = n > 0 && len % BLOCK == 0;
            if (n == 0) {
                n = 1;
            }
            byte[] x = new byte[BLOCK];
            byte[] y = new byte[BLOCK];
            for (int i = 0; i < n - 1; i++) {
                for (int j = 0; j < BLOCK; j++) {
                    y[j] = (byte) (x[j] ^ message[off + i * BLOCK + j]);
                }
                aes.doFinal(y, 0, BLOCK, x, 0);
            }
            byte[] last = new byte[BLOCK];
            int lastStart = (n - 1) * BLOCK;
            if (complete) {
                for (int j = 0; j < BLOCK; j++) {
                    last[j] = (byte) (message[off + lastStart + j] ^ k1[j]);
                }
            } else {
                byte[] k2 = keyed.cmacK2();
                int rem = len - lastStart;
                for (int j = 0; j < BLOCK; j++) {
                    int m = j < rem ? message[off + lastStart + j] & 0xff : (j == rem ? 0x80 : 0);
                    last[j] = (byte) (m ^ k2[j]);
                }
            }
            for (int j = 0; j < BLOCK; j++) {
                y[j] = (byte) (x[j] ^ last[j]);
            }
            return aes.doFinal(y);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CMAC failed", e);
        }
    }

    /** The subkeys K1 and K2 of RFC 4493 section 2.3, for tests. */
    public static byte[][] subkeys(AesKey key) {
        byte[] l = Aes128.encrypt(key, new byte[BLOCK]);
        byte[] k1 = shiftLeftXor(l);
        return new byte[][] {k1, shiftLeftXor(k1)};
    }

    /** (in << 1), xor Rb if the top bit of {@code in} was set. */
    static byte[] shiftLeftXor(byte[] in) {
        byte[] out = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            int next = i + 1 < BLOCK ? (in[i + 1] & 0xff) >>> 7 : 0;
            out[i] = (byte) ((in[i] << 1) | next);
        }
        if ((in[0] & 0x80) != 0) {
            out[BLOCK - 1] ^= (byte) RB;
        }
        return out;
    }
}
