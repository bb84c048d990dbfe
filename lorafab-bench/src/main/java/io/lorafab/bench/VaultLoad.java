package io.lorafab.bench;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.store.model.WrappedKeys;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.KeyVault;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.store.vault.Pkcs11Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The key vault's share of a join, alone: one unwrap of a root key and one wrap of the four session keys (what a
 * LoRaWAN 1.0.x join asks of the vault), per second, with the KEK in a key file or in the PKCS#11 token named by
 * {@code LORAFAB_PKCS11_MODULE}, {@code _SLOT} and {@code _PIN_FILE}. JoinLoad measures whole joins; this says how
 * much of a join's time the vault takes.
 *
 * <pre>
 * java -cp lorafab-bench/target/benchmarks.jar io.lorafab.bench.VaultLoad [--vault file|hsm] [--threads 1] [--seconds 10]
 * </pre>
 */
public final class VaultLoad {

    public static void main(String[] args) throws Exception {
        String vault = "file";
        int threads = 1;
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vault": vault = args[++i]; break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--seconds": seconds = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SecureRandom random = new SecureRandom();
        Path dir = Files.createTempDirectory("lorafab-vault-load");
        Pkcs11Token token = vault.equals("hsm") ? Pkcs11Token.fromEnv(System.getenv()) : null;
        if (vault.equals("hsm") && token == null) {
            throw new IllegalArgumentException("--vault hsm: set LORAFAB_PKCS11_MODULE, LORAFAB_PKCS11_SLOT and LORAFAB_PKCS11_PIN_FILE");
        }
        LocalKeyVault v = new LocalKeyVault(KekRing.load(Map.of(), dir, random, token), null);
        byte[] b = new byte[16];
        random.nextBytes(b);
        AesKey root = AesKey.of(b);
        WrappedKeys stored = v.wrap(root, null);
        // warm-up, then the measured interval
        run(v, stored, threads, 2);
        long[] r = run(v, stored, threads, seconds);
        System.out.printf("vault=%s threads=%d joins'-vault-work=%d in %d s rate=%.0f/s (%.0f us each per thread)%n", vault, threads, r[0],
                seconds, r[0] / (r[1] / 1e9), threads * r[1] / 1e3 / r[0]);
    }

    private static long[] run(KeyVault v, WrappedKeys stored, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        List<Future<Long>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    AesKey k = v.unwrapAppKey(stored);
                    KeyVault.WrappedSet w = v.wrapAll(k, k, k, k);
                    if (w.wrapped().size() != 4) {
                        throw new AssertionError();
                    }
                    n++;
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Long> f : fs) {
            total += f.get();
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        return new long[] {total, elapsed};
    }
}
