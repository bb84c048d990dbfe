package io.lorafab.provisioning.io;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "csv": lorafab's own device CSV, exactly what {@link DeviceCsvImport} reads, so that export then import
 * gives the same devices back.
 *
 * <p>RFC 4180, comma-separated, CRLF line ends, UTF-8 without a byte order mark, and a header row:
 * {@code dev_eui,join_eui,app_key,nwk_key,mac_version,region,serial,name}. EUIs and keys are lower-case hex;
 * {@code nwk_key} is empty for 1.0.x devices; {@code mac_version} is e.g. {@code 1.0.3} or {@code 1.1};
 * {@code region} is the device's region as stored (empty if it has none: the importer then applies its
 * default); empty {@code serial} and {@code name} mean none.
 *
 * <p>With a KEK in the options a {@code kek_label} column is added and every key cell holds the 24-byte
 * RFC 3394 wrapping of the key (48 hex digits) under that KEK; {@link DeviceCsvImport#withKek(WrapKek)}
 * unwraps them.
 */
public final class DeviceCsvExport implements DeviceExporter {

    static final String FORMAT = "csv";

    @Override
    public byte[] export(List<DeviceIdentity> devices, ExportOptions options) {
        ExportChecks.devices(FORMAT, devices);
        for (DeviceIdentity d : devices) {
            ExportChecks.keyed(FORMAT, d, "export it as tts-json or chirpstack-csv");
        }
        Optional<WrapKek> wrap = options.wrapKek();
        List<String> header = new ArrayList<>(List.of(DeviceCsvColumn.DEV_EUI.header(), DeviceCsvColumn.JOIN_EUI.header(),
                DeviceCsvColumn.APP_KEY.header(), DeviceCsvColumn.NWK_KEY.header(), DeviceCsvColumn.MAC_VERSION.header(),
                DeviceCsvColumn.REGION.header(), DeviceCsvColumn.SERIAL.header(), DeviceCsvColumn.NAME.header()));
        wrap.ifPresent(k -> header.add(DeviceCsvColumn.KEK_LABEL.header()));
        CsvWriter csv = new CsvWriter(',').row(header);
        for (DeviceIdentity d : devices) {
            List<String> row = new ArrayList<>(List.of(d.devEui().toString(), d.joinEui().toString(),
                    key(d.appKey(), wrap), key(d.nwkKey(), wrap), d.macVersion().text(), d.region() == null ? "" : d.region().name(),
                    orEmpty(d.serialNumber()), orEmpty(d.name())));
            wrap.ifPresent(k -> row.add(k.label()));
            csv.row(row);
        }
        return ExportChecks.utf8(csv.text());
    }

    @Override
    public boolean carriesWrappedKeys() {
        return true;
    }

    private static String key(AesKey key, Optional<WrapKek> wrap) {
        if (key == null) {
            return "";
        }
        return wrap.map(k -> Hex.format(k.wrap(key))).orElseGet(key::toHex);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
