package io.lorafab.provisioning.io;

import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.List;

/** Writes devices in one network server's (or lorafab's own) import format. */
public interface DeviceExporter {

    /**
     * The devices as a file in this format (UTF-8 text).
     *
     * @throws ExportException if the devices or options cannot be written in this format: see each format
     */
    byte[] export(List<DeviceIdentity> devices, ExportOptions options);

    /** Whether this format can carry RFC 3394-wrapped root keys ({@link ExportOptions#wrapKek()}). */
    boolean carriesWrappedKeys();
}
