package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.MHdr;
import io.lorafab.lorawan.types.AesKey;
import java.util.Arrays;

/**
 * Join-accept encryption. The network "encrypts" with an AES decrypt so that the device needs only the AES
 * encrypt operation: ciphertext = aes128_decrypt(key, JoinNonce .. MIC). The key is the AppKey (1.0), the
 * NwkKey (1.1 join-request) or the JSEncKey (1.1 rejoin-request).
 */
public final class JoinAcceptCipher {
    private JoinAcceptCipher() {
    }

    public static EncryptedJoinAccept encryptJoinAccept(AesKey key, JoinAccept plaintext) {
        byte[] p = plaintext.encode();
        byte[] body = Aes128.decrypt(key, Arrays.copyOfRange(p, 1, p.length));
        return new EncryptedJoinAccept(plaintext.mhdr(), body);
    }

    /** Decrypts and parses; a CFList of unknown type in the decrypted bytes is a {@link LorawanFormatException}. */
    public static JoinAccept decryptJoinAccept(AesKey key, EncryptedJoinAccept encrypted) {
        return JoinAccept.decode(decryptJoinAcceptBytes(key, encrypted));
    }

    /** The decrypted bytes, MHDR first, without parsing them. */
    public static byte[] decryptJoinAcceptBytes(AesKey key, EncryptedJoinAccept encrypted) {
        byte[] body = Aes128.encryptBlocks(key, encrypted.ciphertext());
        byte[] out = new byte[1 + body.length];
        out[0] = encrypted.mhdr().encode();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Encrypts raw plaintext bytes (MHDR first, MIC last) without parsing them. */
    public static byte[] encryptJoinAcceptBytes(AesKey key, byte[] plaintext) {
        if (plaintext.length != 17 && plaintext.length != 33) {
            throw new LorawanFormatException("join-accept: expected 17 or 33 plaintext bytes, got " + plaintext.length);
        }
        MHdr.decode(plaintext[0] & 0xff);
        byte[] body = Aes128.decrypt(key, Arrays.copyOfRange(plaintext, 1, plaintext.length));
        byte[] out = new byte[plaintext.length];
        out[0] = plaintext[0];
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
