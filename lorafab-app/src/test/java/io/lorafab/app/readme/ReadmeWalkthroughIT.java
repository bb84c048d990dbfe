package io.lorafab.app.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-throughs, run as a newcomer runs them: every {@code ```sh} block of the README that starts with
 * {@code # walk-through}, in order, in one bash ({@code set -euo pipefail}) in an empty folder holding a
 * {@code ./lorafab} that starts the jar this build made. The README is the input, not a copy of it: a walk-through
 * edited into something that no longer runs fails here. Runs after {@code package} (failsafe), since it needs the
 * fat jar; needs bash, curl, openssl and socat, as the README says.
 */
class ReadmeWalkthroughIT {

    static final Path README = Path.of("..", "README.md");
    static final Path JAR = Path.of("target", "lorafab.jar");

    @TempDir
    Path dir;

    static List<String> walkthroughs() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            if (block == null && line.equals("```sh")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                if (block.toString().startsWith("# walk-through")) {
                    blocks.add(block.toString());
                }
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void theReadmesWalkthroughsRunTopToBottomAsWritten() throws Exception {
        List<String> blocks = walkthroughs();
        assertThat(blocks).as("walk-throughs in the README").hasSize(2);
        Path launcher = dir.resolve("lorafab");
        Files.writeString(launcher, "#!/bin/sh\nexec java -jar '" + JAR.toAbsolutePath() + "' \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        Path script = dir.resolve("walk.sh");
        Files.writeString(script, "set -euo pipefail\n" + String.join("\n", blocks));
        Path out = dir.resolve("walk.out");
        Process p = new ProcessBuilder("bash", script.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        // whatever happened, no server or virtual module outlives the test
        p.descendants().forEach(ProcessHandle::destroy);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(done).as("finished in time:\n" + output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        assertThat(output).as("the station's three units")
                .containsPattern("PASS 70b3d57ed000000[0-9a-f] tracker-\\d{4}-000001 ")
                .contains("3 passed, 0 failed")
                .contains("firstPassYield  100.0% (3 of 3 tested units passed their first run)")
                .contains("state        CLOSED");
        assertThat(output).as("keys never printed").doesNotContainPattern("(?i)[0-9a-f]{32}");
        for (String f : List.of("devices-tts.json", "wrapped.csv", "wo-0001.json", "line-1.token", "devices.csv")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        assertThat(Files.size(dir.resolve("WO-0001.pdf"))).isPositive();
        assertThat(Files.readString(dir.resolve("label.png"), StandardCharsets.ISO_8859_1)).startsWith("\u0089PNG");
    }
}
