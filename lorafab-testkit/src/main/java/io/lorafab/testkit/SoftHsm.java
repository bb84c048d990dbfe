package io.lorafab.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SoftHSM2 tokens for the HSM key vault's tests: each {@link #freshToken()} is a token nobody has used, with its
 * own user PIN in an owner-only file. There is no silent skip: without Debian's {@code softhsm2} (installed by
 * {@code .ci/run}) the tests fail.
 *
 * <p>SoftHSM2 reads its configuration ({@code SOFTHSM2_CONF}, set per module by the build) and its token folder
 * once, when the process first loads the module, and does not see tokens made after that. So the first call
 * makes a pool of tokens for the whole test run, before any test opens one; a run that needs more than
 * {@link #POOL} fails, saying so.
 */
public final class SoftHsm {
    public static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    /** Tokens made for one test process. */
    public static final int POOL = 24;
    private static final String SO_PIN = "so-pin-0000";

    /** One initialised token: its slot ID, its user PIN and a file holding the PIN (mode 0600). */
    public record Token(long slot, String pin, Path pinFile) {
        /** The environment that points lorafab at this token (module, slot, PIN file). */
        public Map<String, String> env() {
            return Map.of("LORAFAB_PKCS11_MODULE", MODULE.toString(), "LORAFAB_PKCS11_SLOT", Long.toString(slot),
                    "LORAFAB_PKCS11_PIN_FILE", pinFile.toString());
        }
    }

    private static Deque<Token> pool;

    private SoftHsm() {
    }

    /** A token no test has used yet. */
    public static synchronized Token freshToken() {
        if (pool == null) {
            pool = makePool();
        }
        if (pool.isEmpty()) {
            throw new IllegalStateException("SoftHsm: all " + POOL + " tokens of this test process are used; raise SoftHsm.POOL");
        }
        return pool.pop();
    }

    private static Deque<Token> makePool() {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: the build sets it for the tests (root pom, surefire)");
        }
        if (!Files.isRegularFile(MODULE)) {
            throw new IllegalStateException("SoftHSM2 is required for these tests: " + MODULE + " is missing (apt-get install softhsm2)");
        }
        try {
            Path confFile = Path.of(conf);
            Path dir = confFile.getParent();
            Path tokens = dir.resolve("tokens");
            if (Files.exists(tokens)) {
                try (Stream<Path> walk = Files.walk(tokens)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                    StandardCharsets.UTF_8);
            Deque<Token> out = new ArrayDeque<>();
            Pattern slot = Pattern.compile("reassigned to slot (\\d+)");
            for (int i = 0; i < POOL; i++) {
                String pin = "user-pin-" + i;
                Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "lorafab-test-" + i,
                        "--so-pin", SO_PIN, "--pin", pin).redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("softhsm2-util --init-token failed: " + text.strip());
                }
                Matcher m = slot.matcher(text);
                if (!m.find()) {
                    throw new IllegalStateException("softhsm2-util did not say which slot the token went to: " + text.strip());
                }
                Path pinFile = dir.resolve("pin-" + i);
                Files.deleteIfExists(pinFile);
                Files.createFile(pinFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(pinFile, pin + "\n", StandardCharsets.UTF_8);
                out.add(new Token(Long.parseLong(m.group(1)), pin, pinFile));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("SoftHSM2 is required for these tests (softhsm2-util): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted making SoftHSM2 tokens", e);
        }
    }
}
