package io.lorafab.provisioning.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random input into the CSV import gives devices or an {@link ImportException}, never anything else; and
 * lorafab's csv export followed by the import gives back exactly the devices exported. Seeds are fixed so
 * that the suite is deterministic; change one to explore new samples.
 */
class DeviceCsvImportProperties {

    static final DeviceCsvImport IMPORT = new DeviceCsvImport(MacVersion.V1_0_3, "EU868").withKek(TestDevices.KEK);

    @Property(tries = 300, seed = "20241")
    void anyTextGivesDevicesOrImportException(@ForAll("csvLike") String text) {
        parsesOrRefuses(() -> IMPORT.parse(text));
    }

    @Property(tries = 300, seed = "20242")
    void anyBytesGiveDevicesOrImportException(@ForAll byte[] bytes) {
        parsesOrRefuses(() -> IMPORT.parse(bytes));
    }

    @Property(tries = 300, seed = "20243")
    void mutatedExportGivesDevicesOrImportException(@ForAll("deviceLists") List<DeviceIdentity> devices,
            @ForAll boolean wrapped, @ForAll @IntRange(min = 0, max = 10_000) int at,
            @ForAll("csvChars") char replacement) {
        String text = new String(export(devices, wrapped), StandardCharsets.UTF_8);
        int i = at % text.length();
        String mutated = text.substring(0, i) + replacement + text.substring(i + 1);
        parsesOrRefuses(() -> IMPORT.parse(mutated));
    }

    @Property(tries = 200, seed = "20244")
    void csvExportThenImportIsIdentity(@ForAll("deviceLists") List<DeviceIdentity> devices, @ForAll boolean wrapped) {
        assertThat(IMPORT.parse(export(devices, wrapped))).isEqualTo(devices);
    }

    private static byte[] export(List<DeviceIdentity> devices, boolean wrapped) {
        ExportOptions options = wrapped ? ExportOptions.defaults().withWrapKek(TestDevices.KEK) : ExportOptions.defaults();
        return DeviceExportFormat.CSV.export(devices, options);
    }

    private static void parsesOrRefuses(ThrowingSupplier parse) {
        try {
            List<DeviceIdentity> devices = parse.get();
            assertThat(devices).isNotEmpty().doesNotContainNull();
        } catch (ImportException e) {
            assertThat(e.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(DeviceCsvImport.MAX_ERRORS);
        }
    }

    interface ThrowingSupplier {
        List<DeviceIdentity> get();
    }

    @Provide
    Arbitrary<Character> csvChars() {
        return Arbitraries.of(',', '"', '\r', '\n', ' ', 'x', '0', 'f', ';', '\uFEFF', '-', ':', 'é');
    }

    /** Text built from header words, hex, separators and quotes, so that parsing gets past the header often. */
    @Provide
    Arbitrary<String> csvLike() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("dev_eui", "join_eui", "app_key", "nwk_key", "mac_version", "region", "serial", "name",
                        "kek_label", "1.1", "1.0.3", "EU868", "lorafab-kek-1", TestDevices.KEY_A, "70b3d57ed0000001"),
                Arbitraries.strings().withChars("0123456789abcdefxyz").ofMaxLength(50),
                csvChars().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(5));
        return token.list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<DeviceIdentity>> deviceLists() {
        return devices().list().ofMinSize(1).ofMaxSize(12).uniqueElements(DeviceIdentity::devEui);
    }

    private Arbitrary<DeviceIdentity> devices() {
        Arbitrary<Eui64> euis = Arbitraries.longs().map(Eui64::of);
        Arbitrary<AesKey> keys = Arbitraries.bytes().array(byte[].class).ofSize(16).map(AesKey::of);
        Arbitrary<Region> regions = Arbitraries.of(Region.all());
        Arbitrary<String> text = Arbitraries.strings()
                .withChars(",;\"\r\n\t =-'")
                .withCharRange('a', 'z')
                .withCharRange('0', '9')
                .withCharRange('\u00c0', '\u00ff')
                .withChars('€', '漢', '\uFEFF')
                .ofMinLength(1).ofMaxLength(30)
                .injectNull(0.3);
        return Combinators.combine(euis, euis, keys, keys, Arbitraries.of(MacVersion.class), regions, text, text)
                .as((dev, join, app, nwk, mac, region, serial, name) ->
                        new DeviceIdentity(dev, join, app, mac.is11() ? nwk : null, mac, region, serial, name));
    }
}
