package io.lorafab.provisioning.io;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;

/** Devices and keys shared by the import/export tests. Keys are chosen not to overlap the EUIs. */
final class TestDevices {

    static final String JOIN_EUI = "70b3d57ed0000000";
    static final String KEY_A = "2b7e151628aed2a6abf7158809cf4f3c";
    static final String KEY_B = "6bc1bee22e409f96e93d7e117393172a";
    static final String KEY_C = "ae2d8a571e03ac9c9eb76fac45af8e51";
    static final String KEY_D = "30c81c46a35ce411e5fbc1191a0a52ef";
    static final String KEK_HEX = "000102030405060708090a0b0c0d0e0f";

    static final WrapKek KEK = new WrapKek("lorafab-kek-1", AesKey.parse(KEK_HEX).bytes());

    /** LoRaWAN 1.0.3 in EU868 with a serial number and a name that needs quoting. */
    static final DeviceIdentity V103_NAMED = device("70b3d57ed0000001", KEY_A, null, MacVersion.V1_0_3, "EU868",
            "SN-0001", "Boiler room, 2nd floor");
    /** LoRaWAN 1.0.3 in EU868 without serial number or name. */
    static final DeviceIdentity V103_BARE = device("70b3d57ed0000002", KEY_B, null, MacVersion.V1_0_3, "EU868",
            null, null);
    /** LoRaWAN 1.1 in US915, with a serial number that is also a valid TTS serial_number and a tricky name. */
    static final DeviceIdentity V11_NAMED = device("70b3d57ed0000003", KEY_C, KEY_D, MacVersion.V1_1, "US915",
            "ab-1234", "Say \"hi\"; then\nleave");
    /** LoRaWAN 1.1 in US915 without serial number or name. */
    static final DeviceIdentity V11_BARE = device("70b3d57ed0000004", KEY_D, KEY_A, MacVersion.V1_1, "US915",
            null, null);

    private TestDevices() {
    }

    static DeviceIdentity device(String devEui, String appKey, String nwkKey, MacVersion mac, String region,
            String serial, String name) {
        return new DeviceIdentity(Eui64.parse(devEui), Eui64.parse(JOIN_EUI), AesKey.parse(appKey),
                nwkKey == null ? null : AesKey.parse(nwkKey), mac, region == null ? null : Region.byName(region), serial, name);
    }
}
