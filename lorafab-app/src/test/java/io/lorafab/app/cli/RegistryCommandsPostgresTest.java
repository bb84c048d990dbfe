package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.testkit.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry commands on PostgreSQL ({@code --db jdbc:postgresql://...}), the KEK file in the data folder. */
class RegistryCommandsPostgresTest {

    @TempDir
    Path dir;

    String url;

    @BeforeEach
    void schema() {
        url = TestPostgres.freshSchema();
    }

    @AfterEach
    void drop() {
        TestPostgres.drop(url);
    }

    @Test
    void productsCreateAndListOnPostgres() {
        Cli cli = new Cli(dir, url).init();
        Cli.Run created = cli.run("products", "create", "--name", "tracker", "--join-eui", "70b3d57ed0000000",
                "--mac-version", "1.0.4", "--region", "US915", "--vendor-id", "4660", "--model-id", "2", "--rssi-min", "-95");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(cli.run("products", "create", "--name", "tracker", "--join-eui", "70b3d57ed0000000", "--mac-version",
                "1.0.4", "--region", "US915", "--profile-id", "12340002").err().strip()).isEqualTo("error: already exists: product.name \"tracker\"");
        Cli.Run list = cli.run("products", "list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode products = list.json();
        assertThat(products).hasSize(1);
        JsonNode p = products.get(0);
        assertThat(p.get("name").asText()).isEqualTo("tracker");
        assertThat(p.get("macVersion").asText()).isEqualTo("1.0.4");
        assertThat(p.get("region").asText()).isEqualTo("US915");
        assertThat(p.get("profileId").asText()).isEqualTo("12340002");
        assertThat(p.get("rssiMinDbm").asDouble()).isEqualTo(-95.0);
        assertThat(p.get("snrMinDb").isNull()).isTrue();
        assertThat(cli.run("products", "list").out()).containsPattern("(?m)^ 1  tracker  70b3d57ed0000000  1\\.0\\.4  US915 ");
        assertThat(dir.resolve("kek.keys")).exists();
        assertThat(dir.resolve("lorafab.db")).doesNotExist();
    }
}
