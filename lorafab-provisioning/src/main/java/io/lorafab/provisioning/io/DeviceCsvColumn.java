package io.lorafab.provisioning.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The columns of lorafab's own device CSV, shared by {@link DeviceCsvImport} and {@link DeviceCsvExport}. */
enum DeviceCsvColumn {
    DEV_EUI("dev_eui", true),
    JOIN_EUI("join_eui", true),
    APP_KEY("app_key", true),
    NWK_KEY("nwk_key", false),
    MAC_VERSION("mac_version", false),
    REGION("region", false),
    SERIAL("serial", false),
    NAME("name", false),
    KEK_LABEL("kek_label", false);

    private final String header;
    private final boolean required;

    DeviceCsvColumn(String header, boolean required) {
        this.header = header;
        this.required = required;
    }

    String header() {
        return header;
    }

    boolean required() {
        return required;
    }

    /** Matches a header cell, ignoring case and surrounding blanks. */
    static Optional<DeviceCsvColumn> byHeader(String cell) {
        String h = cell.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.header.equals(h)).findFirst();
    }

    static String allHeaders() {
        return Arrays.stream(values()).map(DeviceCsvColumn::header).collect(Collectors.joining(", "));
    }
}
