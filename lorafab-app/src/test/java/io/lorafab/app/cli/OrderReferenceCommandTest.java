package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 11 on the command line: {@code orders create} checks a reference by the same rule as the API. */
class OrderReferenceCommandTest {

    @TempDir
    Path dir;

    @Test
    void aReferenceWithAPathOrMarkupIsRefusedInOneLineWithoutRepeatingIt() {
        Cli cli = new Cli(dir).init();
        assertThat(cli.run("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001").exit()).isZero();

        Cli.Run path = cli.run("orders", "create", "--product", "sensor", "--quantity", "5", "--reference", "../WO-1");
        Cli.Run markup = cli.run("orders", "create", "--product", "sensor", "--quantity", "5", "--reference", "<b>WO</b>");
        Cli.Run plain = cli.run("orders", "create", "--product", "sensor", "--quantity", "5", "--reference", "WO-1");

        for (Cli.Run r : java.util.List.of(path, markup)) {
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).hasLineCount(1).startsWith("error: --reference: work order reference: expected 1-64 letters, digits")
                    .doesNotContain("WO");
        }
        assertThat(plain.exit()).as(plain.err()).isZero();
    }
}
