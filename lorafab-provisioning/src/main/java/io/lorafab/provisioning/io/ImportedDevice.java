package io.lorafab.provisioning.io;

import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.Objects;

/** A device read from an import file, with the line its row starts on (for errors found later, e.g. in the database). */
public record ImportedDevice(int line, DeviceIdentity device) {

    public ImportedDevice {
        Objects.requireNonNull(device, "device");
    }
}
