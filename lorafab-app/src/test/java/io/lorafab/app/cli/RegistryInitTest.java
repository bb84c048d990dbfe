package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.testkit.TestPostgres;
import io.lorafab.store.model.NewProduct;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only {@code lorafab init} and {@code lorafab server} create a registry; every other command refuses a missing
 * one with one line that names it. What is created is owner-only: the data folder 0700, every file in it 0600.
 */
class RegistryInitTest {

    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aCommandOnADataFolderThatDoesNotExistIsRefusedAndCreatesNothing() {
        Path typo = dir.resolve("lorafab-dta");
        for (List<String> cmd : List.of(List.of("products", "list"), List.of("devices", "list"), List.of("tokens", "create", "--role", "admin"),
                List.of("keys", "rotate"), List.of("orders", "list"))) {
            Cli.Run r = new Cli(typo).run(cmd.toArray(String[]::new));
            assertThat(r.exit()).as(cmd.toString()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("error: no lorafab registry at " + typo.resolve("lorafab.db") + " (no such folder): run "
                    + "'lorafab init --data-dir " + typo + "' to create it (or 'lorafab server', which creates it too)\n");
        }
        assertThat(typo).doesNotExist();
    }

    @Test
    void aDataFolderWithoutADatabaseIsRefusedToo() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Cli.Run r = new Cli(dir.resolve("empty")).run("products", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: no lorafab registry at " + dir.resolve("empty").resolve("lorafab.db") + ": run 'lorafab init");
        try (var files = Files.list(dir.resolve("empty"))) {
            assertThat(files).isEmpty(); // no KEK file, no database
        }
    }

    @Test
    void aPostgresDatabaseWithoutTheSchemaIsRefusedUntilInit() {
        String url = TestPostgres.freshSchema();
        try {
            Cli cli = new Cli(dir, url);
            Cli.Run r = cli.run("products", "list");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: no lorafab registry in the database jdbc:postgresql:").contains("run 'lorafab init --db ")
                    .doesNotContain("\n" + "error");
            Cli.Run init = cli.run("init");
            assertThat(init.exit()).as(init.err()).isZero();
            assertThat(init.out()).startsWith("registry ready: database jdbc:postgresql:");
            assertThat(cli.run("products", "list").exit()).isZero();
        } finally {
            TestPostgres.drop(url);
        }
    }

    @Test
    void initMakesTheDataFolderOwnerOnlyWithEveryFileInIt0600() throws Exception {
        Path data = dir.resolve("a").resolve("lorafab-data");
        Cli.Run r = new Cli(data).run("init");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("registry ready: database jdbc:sqlite:" + data.resolve("lorafab.db"));
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("lorafab.db"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("kek.keys"))).isEqualTo("rw-------");
        assertThat(new Cli(data).run("init").exit()).isZero(); // an existing registry is left as it is
        assertThat(new Cli(data).run("products", "list").exit()).isZero();
    }

    @Test
    void withTheKekFromTheEnvironmentTheDatabaseAndItsWalAndShmAreOwnerOnlyToo() throws Exception {
        Path data = dir.resolve("lorafab-data");
        try (Lorafab lf = Lorafab.open(null, data, Map.of("LORAFAB_KEK", "000102030405060708090a0b0c0d0e0f"), Clock.systemUTC())) {
            lf.registry().createProduct(new NewProduct("p", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, Region.byName("EU868"),
                    new ProfileId(1, 1), null, null, null));
            // while the database is open in WAL mode its -wal and -shm files exist
            assertThat(data.resolve("lorafab.db-wal")).exists();
            assertThat(data.resolve("lorafab.db-shm")).exists();
            try (var files = Files.list(data)) {
                for (Path f : files.toList()) {
                    assertThat(mode(f)).as(f.getFileName().toString()).isEqualTo("rw-------");
                }
            }
        }
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(data.resolve("kek.keys")).doesNotExist();
    }
}
