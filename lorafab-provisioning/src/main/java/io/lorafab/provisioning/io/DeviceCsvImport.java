package io.lorafab.provisioning.io;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads lorafab's own device CSV (the format {@link DeviceCsvExport} writes) into device identities.
 *
 * <p>The file: UTF-8 (a byte order mark is skipped), RFC 4180 quoting, comma-separated, CRLF or LF line ends,
 * and a header row naming the columns in any order, case-insensitively:
 *
 * <ul>
 *   <li>{@code dev_eui}, {@code join_eui} (required): 16 hex digits, '-' or ':' between byte pairs allowed.
 *   <li>{@code app_key} (required), {@code nwk_key}: 32 hex digits. {@code nwk_key} is required for a LoRaWAN
 *       1.1 device and refused for a 1.0.x device (whose one root key is the AppKey).
 *   <li>{@code mac_version} ({@code 1.0.3}, {@code 1.1}, {@code MAC_V1_0_3}, ...) and {@code region}
 *       ({@code EU868}, {@code eu868}, {@code EU_863_870}, ...): optional, an empty cell or a missing column
 *       takes the default given to the constructor. Regions are stored by their common name ("EU868").
 *   <li>{@code serial}, {@code name}: optional free text, taken as written (no trimming); empty means none.
 *   <li>{@code kek_label}: optional; where a row has a label, its key cells hold the 48-hex-digit RFC 3394
 *       wrapping of each key under the KEK of that label, which must have been given with
 *       {@link #withKek(WrapKek)}.
 * </ul>
 *
 * <p>Any other column is an error. Blank lines (and rows whose every cell is blank) are skipped, so trailing
 * empty lines are harmless. A file without device rows is an error.
 *
 * <p>The import is all-or-nothing and reports every problem it finds (the first {@link #MAX_ERRORS} in line order,
 * and the count of all rejected rows), each with its line and column, in one {@link ImportException}: malformed CSV, a row with the wrong number of fields,
 * bad hex or a wrong length, an unknown MAC version or region, a missing required value, a 1.1 device without
 * NwkKey, a DevEUI or serial that appears twice (both lines named), a key that does not unwrap. Messages never
 * repeat the text of a cell other than a valid DevEUI or a serial (and a serial only when it does not look like
 * a key), so a key typed into the wrong column does not leak into logs.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DeviceCsvImport {

    /** At most this many errors are reported (the first, in line order); the exception says when there were more. */
    public static final int MAX_ERRORS = 100;

    private static final int EUI_BYTES = 8;
    private static final int KEY_BYTES = 16;
    private static final int WRAPPED_KEY_BYTES = 24;
    private static final Pattern HEX_RUN = Pattern.compile("[0-9A-Fa-f]{8}");

    private final MacVersion defaultMacVersion;
    private final Region defaultRegion;
    private final Map<String, WrapKek> keks;

    /**
     * @param defaultMacVersion the version of devices whose row has no {@code mac_version}
     * @param defaultRegion the region of devices whose row has no {@code region}, a name
     *     {@link Region#byName(String)} knows
     * @throws LorawanFormatException if {@code defaultRegion} is not a known region
     */
    public DeviceCsvImport(MacVersion defaultMacVersion, String defaultRegion) {
        this(defaultMacVersion, Region.byName(Objects.requireNonNull(defaultRegion, "defaultRegion")));
    }

    /**
     * @param defaultMacVersion the version of devices whose row has no {@code mac_version}
     * @param defaultRegion the region of devices whose row has no {@code region}
     */
    public DeviceCsvImport(MacVersion defaultMacVersion, Region defaultRegion) {
        this(Objects.requireNonNull(defaultMacVersion, "defaultMacVersion"), Objects.requireNonNull(defaultRegion,
                "defaultRegion"), Map.of());
    }

    private DeviceCsvImport(MacVersion defaultMacVersion, Region defaultRegion, Map<String, WrapKek> keks) {
        this.defaultMacVersion = defaultMacVersion;
        this.defaultRegion = defaultRegion;
        this.keks = keks;
    }

    /** A copy of this import that also unwraps keys of rows labelled with {@code kek}'s label. */
    public DeviceCsvImport withKek(WrapKek kek) {
        Map<String, WrapKek> more = new LinkedHashMap<>(keks);
        more.put(kek.label(), kek);
        return new DeviceCsvImport(defaultMacVersion, defaultRegion, Collections.unmodifiableMap(more));
    }

    /**
     * The devices in {@code in}, read to its end (the stream is not closed).
     *
     * @throws ImportException if anything in the file is wrong; then no device is returned
     * @throws IOException if reading the stream fails
     */
    public List<DeviceIdentity> parse(InputStream in) throws IOException {
        return parse(in.readAllBytes());
    }

    /**
     * The devices in UTF-8 bytes.
     *
     * @throws ImportException if the bytes are not UTF-8 or anything in the file is wrong
     */
    public List<DeviceIdentity> parse(byte[] utf8) {
        return parse(decode(utf8));
    }

    private static String decode(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            throw single(lineOfByte(utf8, at), null, "not UTF-8 text (invalid byte sequence at byte " + (at + 1) + ")");
        }
        out.flip();
        return out.toString();
    }

    /**
     * The devices in CSV text.
     *
     * @throws ImportException if anything in the file is wrong; then no device is returned
     */
    public List<DeviceIdentity> parse(String csv) {
        return read(csv).stream().map(ImportedDevice::device).toList();
    }

    /**
     * The devices in UTF-8 bytes, each with the line its row starts on.
     *
     * @throws ImportException if the bytes are not UTF-8 or anything in the file is wrong
     */
    public List<ImportedDevice> read(byte[] utf8) {
        return read(decode(utf8));
    }

    /**
     * The devices in CSV text, each with the line its row starts on.
     *
     * @throws ImportException if anything in the file is wrong; then no device is returned
     */
    public List<ImportedDevice> read(String csv) {
        ImportFile file = readFile(csv);
        file.problems().throwIfAny();
        return file.devices();
    }

    /**
     * The whole file read in one pass, problems and all: the devices of its good rows, what identifies every data
     * row (for the checks against the registry), and every problem found. Only a file that cannot be read as rows at
     * all (not UTF-8, malformed CSV, no or a faulty header, no data rows) is refused at once.
     *
     * @throws ImportException if the file cannot be read as rows
     */
    public ImportFile readFile(byte[] utf8) {
        return readFile(decode(utf8));
    }

    /** As {@link #readFile(byte[])}, for CSV text. */
    public ImportFile readFile(String csv) {
        Objects.requireNonNull(csv, "csv");
        List<CsvRecord> records;
        try {
            records = CsvReader.read(csv, ',');
        } catch (CsvSyntaxException e) {
            throw single(e.line(), null, e.getMessage());
        }
        List<CsvRecord> rows = records.stream().filter(r -> !r.isBlank()).collect(Collectors.toList());
        if (rows.isEmpty()) {
            throw single(1, null, "empty file: expected a header row naming at least dev_eui, join_eui and app_key");
        }
        ImportProblems problems = new ImportProblems();
        CsvRecord header = rows.get(0);
        Map<DeviceCsvColumn, Integer> columns = header(header, problems);
        problems.throwIfAny();
        if (rows.size() == 1) {
            throw single(header.line(), null, "no devices: the file has a header row but no device rows");
        }
        Map<Eui64, Integer> seen = new HashMap<>();
        Map<String, Integer> serials = new HashMap<>();
        List<ImportedDevice> devices = new ArrayList<>();
        List<ImportedRow> identities = new ArrayList<>();
        for (CsvRecord row : rows.subList(1, rows.size())) {
            // every row is read, also past the first problems: the count of rejected rows is exact
            Row r = new Row(row, columns, header.fields().size(), problems);
            DeviceIdentity d = r.device(seen, serials);
            identities.add(r.identity());
            if (d != null) {
                devices.add(new ImportedDevice(row.line(), d));
            }
        }
        return new ImportFile(devices, identities, problems);
    }

    private static Map<DeviceCsvColumn, Integer> header(CsvRecord header, ImportProblems errors) {
        Map<DeviceCsvColumn, Integer> columns = new EnumMap<>(DeviceCsvColumn.class);
        List<String> cells = header.fields();
        if (cells.stream().noneMatch(c -> DeviceCsvColumn.byHeader(c).isPresent())
                && cells.stream().anyMatch(c -> HEX_RUN.matcher(c).find())) {
            errors.file(header.line(), null, "no header row: the first line looks like data; it must name the"
                    + " columns (" + DeviceCsvColumn.allHeaders() + ")");
            return columns;
        }
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i).strip();
            if (cell.isEmpty()) {
                errors.file(header.line(), null, "column " + (i + 1) + " of the header has no name");
                continue;
            }
            var column = DeviceCsvColumn.byHeader(cell);
            if (column.isEmpty()) {
                errors.file(header.line(), headerLabel(cell), "unknown column (known: " + DeviceCsvColumn.allHeaders() + ")");
            } else if (columns.containsKey(column.get())) {
                errors.file(header.line(), column.get().header(), "column appears twice (columns "
                        + (columns.get(column.get()) + 1) + " and " + (i + 1) + ")");
            } else {
                columns.put(column.get(), i);
            }
        }
        for (DeviceCsvColumn c : DeviceCsvColumn.values()) {
            if (c.required() && !columns.containsKey(c)) {
                errors.file(header.line(), c.header(), "required column missing from the header");
            }
        }
        return columns;
    }

    /**
     * A header cell as a column name in a message: only if it looks like a name (short, a letter first, no run
     * of 8 hex digits), so that a key in a file without a header row is never repeated.
     */
    private static String headerLabel(String cell) {
        boolean nameLike = cell.length() <= 32 && cell.matches("[A-Za-z][A-Za-z0-9_. -]*")
                && !HEX_RUN.matcher(cell).find();
        return nameLike ? cell : "(not shown)";
    }

    /**
     * Free text (a serial number) quoted for a message, unless it holds a run of 32 hex digits: a key typed
     * into the wrong column is never repeated.
     */
    public static String shown(String text) {
        return KEY_LIKE.matcher(text).find() || text.length() > 64 ? "(value not shown)" : "\"" + text + "\"";
    }

    private static final Pattern KEY_LIKE = Pattern.compile("[0-9A-Fa-f]{32}");

    private static int lineOfByte(byte[] b, int end) {
        int line = 1;
        for (int i = 0; i < end; i++) {
            if (b[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static ImportException single(int line, String column, String message) {
        return new ImportException(List.of(new ImportError(line, column, message)), false, 0);
    }

    /** One data row being read: its cells, and the errors it adds. */
    private final class Row {
        private final CsvRecord record;
        private final Map<DeviceCsvColumn, Integer> columns;
        private final int width;
        private final ImportProblems errors;
        private Eui64 devEui;
        private String serial;

        Row(CsvRecord record, Map<DeviceCsvColumn, Integer> columns, int width, ImportProblems errors) {
            this.record = record;
            this.columns = columns;
            this.width = width;
            this.errors = errors;
        }

        /** What identifies this row for the registry checks, as far as {@link #device} could read it. */
        ImportedRow identity() {
            return new ImportedRow(record.line(), devEui, serial);
        }

        DeviceIdentity device(Map<Eui64, Integer> seen, Map<String, Integer> serials) {
            if (record.fields().size() != width) {
                errors.row(record.line(), null, "expected " + width + " fields as in the header, got "
                        + record.fields().size());
                return null;
            }
            int before = errors.count();
            devEui = eui(DeviceCsvColumn.DEV_EUI);
            Eui64 joinEui = eui(DeviceCsvColumn.JOIN_EUI);
            MacVersion mac = macVersion();
            Region region = region();
            String label = cell(DeviceCsvColumn.KEK_LABEL).strip();
            WrapKek kek = null;
            boolean keysReadable = true;
            if (!label.isEmpty()) {
                kek = keks.get(label);
                if (kek == null) {
                    keysReadable = false;
                    error(DeviceCsvColumn.KEK_LABEL, "no KEK was given for this row's label"
                            + (keks.isEmpty() ? " (none configured)" : " (configured: " + String.join(", ", keks.keySet()) + ")"));
                }
            }
            AesKey appKey = keysReadable ? key(DeviceCsvColumn.APP_KEY, kek) : null;
            boolean hasNwkKey = !cell(DeviceCsvColumn.NWK_KEY).isBlank();
            AesKey nwkKey = keysReadable && hasNwkKey ? key(DeviceCsvColumn.NWK_KEY, kek) : null;
            if (mac != null && mac.is11() && !hasNwkKey) {
                error(DeviceCsvColumn.NWK_KEY, "missing: a LoRaWAN 1.1 device needs a NwkKey");
            }
            if (mac != null && !mac.is11() && hasNwkKey) {
                error(DeviceCsvColumn.NWK_KEY, "given for a LoRaWAN " + mac
                        + " device; only 1.1 devices have a NwkKey (a 1.0.x device's root key is its AppKey)");
            }
            if (devEui != null) {
                Integer first = seen.putIfAbsent(devEui, record.line());
                if (first != null) {
                    error(DeviceCsvColumn.DEV_EUI, "duplicate DevEUI " + devEui + ", also on line " + first);
                }
            }
            String serial = cell(DeviceCsvColumn.SERIAL);
            this.serial = serial.isEmpty() ? null : serial;
            if (!serial.isEmpty()) {
                Integer first = serials.putIfAbsent(serial, record.line());
                if (first != null) {
                    error(DeviceCsvColumn.SERIAL, "duplicate " + shown(serial) + ", also on line " + first);
                }
            }
            if (errors.count() > before || !keysReadable) {
                return null;
            }
            String name = cell(DeviceCsvColumn.NAME);
            try {
                return new DeviceIdentity(devEui, joinEui, appKey, nwkKey, mac, region,
                        serial.isEmpty() ? null : serial, name.isEmpty() ? null : name);
            } catch (LorawanFormatException e) {
                errors.row(record.line(), null, "not a valid device: " + e.getMessage());
                return null;
            }
        }

        private String cell(DeviceCsvColumn column) {
            Integer i = columns.get(column);
            return i == null ? "" : record.fields().get(i);
        }

        private void error(DeviceCsvColumn column, String message) {
            errors.row(record.line(), column.header(), message);
        }

        private Eui64 eui(DeviceCsvColumn column) {
            String s = cell(column).strip().replace("-", "").replace(":", "");
            byte[] b = hex(column, s, EUI_BYTES, "");
            return b == null ? null : Eui64.fromBytes(b);
        }

        private AesKey key(DeviceCsvColumn column, WrapKek kek) {
            String s = cell(column).strip();
            if (kek == null) {
                byte[] b = hex(column, s, KEY_BYTES, "");
                return b == null ? null : AesKey.of(b);
            }
            byte[] wrapped = hex(column, s, WRAPPED_KEY_BYTES, " of RFC 3394-wrapped key");
            if (wrapped == null) {
                return null;
            }
            try {
                return kek.unwrap(wrapped);
            } catch (LorawanFormatException e) {
                error(column, "does not unwrap under the KEK labelled '" + kek.label()
                        + "' (wrong KEK or altered data)");
                return null;
            }
        }

        /** Strict hex of exactly {@code bytes} bytes; reports lengths and positions, never the text. */
        private byte[] hex(DeviceCsvColumn column, String s, int bytes, String what) {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                s = s.substring(2);
            }
            if (s.isEmpty()) {
                error(column, "missing value");
                return null;
            }
            for (int i = 0; i < s.length(); i++) {
                if (io.lorafab.lorawan.types.Hex.digit(s.charAt(i)) < 0) {
                    error(column, "character " + (i + 1) + " is not a hex digit");
                    return null;
                }
            }
            if (s.length() != 2 * bytes) {
                error(column, "expected " + bytes + " bytes (" + 2 * bytes + " hex digits)" + what + ", got "
                        + (s.length() % 2 == 0 ? s.length() / 2 + " bytes (" + s.length() + " hex digits)"
                                : s.length() + " hex digits"));
                return null;
            }
            byte[] out = new byte[bytes];
            for (int i = 0; i < bytes; i++) {
                out[i] = (byte) (io.lorafab.lorawan.types.Hex.digit(s.charAt(2 * i)) << 4 | io.lorafab.lorawan.types.Hex.digit(s.charAt(2 * i + 1)));
            }
            return out;
        }

        private MacVersion macVersion() {
            String s = cell(DeviceCsvColumn.MAC_VERSION).strip();
            if (s.isEmpty()) {
                return defaultMacVersion;
            }
            try {
                return MacVersion.parse(s);
            } catch (LorawanFormatException e) {
                error(DeviceCsvColumn.MAC_VERSION, "unknown LoRaWAN version (expected 1.0.0, 1.0.1, 1.0.2, 1.0.3,"
                        + " 1.0.4 or 1.1)");
                return null;
            }
        }

        private Region region() {
            String s = cell(DeviceCsvColumn.REGION).strip();
            if (s.isEmpty()) {
                return defaultRegion;
            }
            try {
                return Region.byName(s);
            } catch (LorawanFormatException e) {
                error(DeviceCsvColumn.REGION, "unknown region (known: " + Region.all().stream().map(Region::name)
                        .collect(Collectors.joining(", ")) + ")");
                return null;
            }
        }
    }
}
