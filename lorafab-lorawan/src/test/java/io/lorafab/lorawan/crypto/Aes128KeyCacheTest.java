package io.lorafab.lorawan.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The per-thread keyed ciphers of {@link Aes128}: whichever keys a thread switches between, and however many more
 * than it keeps, every operation gives what a cipher keyed afresh gives.
 */
class Aes128KeyCacheTest {

    static final int KEYS = Aes128.SLOTS + 3; // more keys than slots, so slots are re-keyed on the way

    static List<AesKey> keys() {
        Random r = new Random(17);
        List<AesKey> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            byte[] k = new byte[16];
            r.nextBytes(k);
            keys.add(AesKey.of(k));
        }
        return keys;
    }

    static byte[] jdk(int mode, AesKey key, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
        c.init(mode, new SecretKeySpec(key.bytes(), "AES"));
        return c.doFinal(data);
    }

    /** The CMAC of each key computed on a thread that never used any other key. */
    static List<String> macsEachOnItsOwnThread(List<AesKey> keys, byte[] msg) throws Exception {
        List<String> out = new ArrayList<>();
        for (AesKey k : keys) {
            ExecutorService one = Executors.newSingleThreadExecutor();
            try {
                out.add(one.submit(() -> Hex.format(AesCmac.mac(k, msg))).get());
            } finally {
                one.shutdown();
            }
        }
        return out;
    }

    @Test
    void encryptionDecryptionAndCmacUnderKeysUsedInAnyOrderMatchAFreshlyKeyedCipher() throws Exception {
        List<AesKey> keys = keys();
        byte[] msg = Hex.parse("40112233440000010002fa0b0c0d0e0f1011121314151617", "message");
        List<String> macs = macsEachOnItsOwnThread(keys, msg);
        Random order = new Random(4);
        byte[] block = new byte[32];
        for (int i = 0; i < 2_000; i++) {
            int k = order.nextInt(KEYS);
            AesKey key = keys.get(k);
            order.nextBytes(block);
            switch (order.nextInt(3)) {
                case 0 -> assertThat(Aes128.encryptBlocks(key, block)).as("encrypt, step %d, key %d", i, k)
                        .isEqualTo(jdk(Cipher.ENCRYPT_MODE, key, block));
                case 1 -> assertThat(Aes128.decrypt(key, block)).as("decrypt, step %d, key %d", i, k)
                        .isEqualTo(jdk(Cipher.DECRYPT_MODE, key, block));
                default -> assertThat(Hex.format(AesCmac.mac(key, msg))).as("cmac, step %d, key %d", i, k)
                        .isEqualTo(macs.get(k));
            }
        }
    }

    @Test
    void aKeyedCipherDoesNotShowItsKey() {
        AesKey key = keys().get(0);
        Aes128.KeyedCipher keyed = Aes128.keyedEncryptor(key);
        keyed.cmacK1();
        assertThat(keyed.toString()).doesNotContainIgnoringCase(key.toHex()).doesNotContainIgnoringCase(Hex.format(keyed.cmacK1()));
    }
}
