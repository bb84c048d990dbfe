package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.at.ProgramResult.Field;
import io.lorafab.station.at.ProgramResult.FieldStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The per-dialect test table: factory, recorded session, and the error transcripts. */
final class DialectCases {

    static final Identity ID = new Identity(Eui64.parse("70B3D57ED0012345"), Eui64.parse("70B3D57ED0000001"),
            AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C"), Optional.empty());
    static final String KEY_HEX = "2B7E151628AED2A6ABF7158809CF4F3C";
    static final String OTHER_KEY_HEX = "000102030405060708090A0B0C0D0E0F";

    record Case(
            String name,
            Function<AtTransport, AtDialect> factory,
            String session,
            ModuleInfo info,
            Map<Field, FieldStatus> fields,
            /* setIdentity where the module rejects the AppKey command; the label expected in the message */
            String keyError, String keyErrorLabel,
            /* join that ends in failure: with THREE_ATTEMPTS for a dialect that retries by itself, else one join */
            String joinFailed,
            /* what the driver sends when it gives up waiting for the join ("" when nothing) */
            String stopJoin,
            /* the first command of identify() with no answer */
            String silentIdentify,
            /* readBack where the DevEUI differs */
            String devEuiMismatch,
            /* readBack where the AppKey differs, or null when the dialect cannot read keys */
            String appKeyMismatch,
            /* unconfirmed send of 0x01 0x02 on port 2 */
            String unconfirmedSend) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Three join attempts, 10 s apart: what a line station asks of a module that retries by itself. */
    static final JoinAttempts THREE_ATTEMPTS = new JoinAttempts(3, java.time.Duration.ofSeconds(10));

    static List<Case> all() {
        return List.of(rak(), e5(), rn(), stm(), murata());
    }

    private static Map<Field, FieldStatus> fields(FieldStatus appKey, FieldStatus nwkKey) {
        return Map.of(Field.DEV_EUI, FieldStatus.MATCH, Field.JOIN_EUI, FieldStatus.MATCH,
                Field.APP_KEY, appKey, Field.NWK_KEY, nwkKey);
    }

    static Case rak() {
        return new Case("RAK3172 RUI3", Rak3172Rui3::new, "rak3172-rui3-session.txt",
                new ModuleInfo("rak3172-rui3", "rak3172", "RUI_4.0.5_RAK3172-E"),
                fields(FieldStatus.MATCH, FieldStatus.NOT_APPLICABLE),
                """
                > AT+NWM=?
                < AT+NWM=1
                < OK
                > AT+NJM=1
                < OK
                > AT+BAND=4
                < OK
                > AT+DEVEUI=70B3D57ED0012345
                < OK
                > AT+APPEUI=70B3D57ED0000001
                < OK
                > AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                < AT_PARAM_ERROR
                """, "AT+APPKEY",
                """
                > AT+VER=?
                < AT+VER=RUI_4.0.5_RAK3172-E
                < OK
                # three attempts are two re-attempts; RUI3 reports each failed attempt once its RX2 window has
                # closed and starts the next one the period (10 s) after that
                > AT+JOIN=1:0:10:2
                < OK
                ~ 6s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                ~ 16s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                ~ 16s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                """,
                """
                > AT+JOIN=0
                < OK
                """,
                "> AT+VER=?",
                """
                > AT+DEVEUI=?
                < AT+DEVEUI=70B3D57ED0012346
                < OK
                > AT+APPEUI=?
                < AT+APPEUI=70B3D57ED0000001
                < OK
                > AT+APPKEY=?
                < AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                < OK
                """,
                """
                > AT+DEVEUI=?
                < AT+DEVEUI=70B3D57ED0012345
                < OK
                > AT+APPEUI=?
                < AT+APPEUI=70B3D57ED0000001
                < OK
                > AT+APPKEY=?
                < AT+APPKEY=000102030405060708090A0B0C0D0E0F
                < OK
                """,
                """
                > AT+CFM=0
                < OK
                > AT+SEND=2:0102
                < OK
                @ +EVT:TX_DONE
                """);
    }

    static Case e5() {
        return new Case("Seeed LoRa-E5", SeeedLoraE5::new, "seeed-lora-e5-session.txt",
                new ModuleInfo("seeed-lora-e5", "LoRa-E5", "4.0.11"),
                // the AppKey is confirmed by the key the module echoes to AT+KEY
                fields(FieldStatus.MATCH, FieldStatus.NOT_APPLICABLE),
                """
                > AT+MODE=LWOTAA
                < +MODE: LWOTAA
                > AT+DR=EU868
                < +DR: EU868
                > AT+ID=DevEui, "70B3D57ED0012345"
                < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                > AT+ID=AppEui, "70B3D57ED0000001"
                < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                > AT+KEY=APPKEY, "2B7E151628AED2A6ABF7158809CF4F3C"
                < +KEY: ERROR(-1)
                """, "AT+KEY",
                """
                > AT+JOIN=FORCE
                < +JOIN: Start
                < +JOIN: NORMAL
                @ +JOIN: Join failed
                @ +JOIN: Done
                """,
                "",
                "> AT+VER",
                """
                > AT+ID=DevEui
                < +ID: DevEui, 70:B3:D5:7E:D0:01:23:46
                > AT+ID=AppEui
                < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                """,
                null,
                """
                > AT+PORT=2
                < +PORT: 2
                > AT+MSGHEX="0102"
                < +MSGHEX: Start
                @ +MSGHEX: Done
                """);
    }

    static Case rn() {
        return new Case("Microchip RN2483", MicrochipRn2483::new, "microchip-rn2483-session.txt",
                new ModuleInfo("microchip-rn2483", "RN2483", "1.0.5"),
                fields(FieldStatus.NOT_READABLE, FieldStatus.NOT_APPLICABLE),
                """
                > mac reset 868
                < ok
                > mac set deveui 70B3D57ED0012345
                < ok
                > mac set appeui 70B3D57ED0000001
                < ok
                > mac set appkey 2B7E151628AED2A6ABF7158809CF4F3C
                < invalid_param
                """, "mac set appkey",
                """
                > mac join otaa
                < ok
                @ denied
                """,
                "",
                "> sys get ver",
                """
                > mac get deveui
                < 70B3D57ED0012346
                > mac get appeui
                < 70B3D57ED0000001
                """,
                null,
                """
                > mac tx uncnf 2 0102
                < ok
                @ mac_tx_ok
                """);
    }

    static Case stm() {
        return new Case("STM32WL AT_Slave", Stm32wlAtSlave::new, "stm32wl-at-slave-session.txt",
                new ModuleInfo("stm32wl-at-slave", "STM32WL", "V1.3.0"),
                fields(FieldStatus.MATCH, FieldStatus.MATCH),
                """
                > AT+BAND=5
                < OK
                > AT+DEUI=70:B3:D5:7E:D0:01:23:45
                < OK
                > AT+APPEUI=70:B3:D5:7E:D0:00:00:01
                < OK
                > AT+APPKEY=2B:7E:15:16:28:AE:D2:A6:AB:F7:15:88:09:CF:4F:3C
                < AT_PARAM_ERROR
                """, "AT+APPKEY",
                """
                > AT+JOIN=1
                < OK
                @ +EVT:JOIN FAILED
                """,
                "",
                "> AT+VER=?",
                """
                > AT+DEUI=?
                < 70:B3:D5:7E:D0:01:23:46
                < OK
                > AT+APPEUI=?
                < 70:B3:D5:7E:D0:00:00:01
                < OK
                > AT+APPKEY=?
                < 2B:7E:15:16:28:AE:D2:A6:AB:F7:15:88:09:CF:4F:3C
                < OK
                > AT+NWKKEY=?
                < 2B:7E:15:16:28:AE:D2:A6:AB:F7:15:88:09:CF:4F:3C
                < OK
                """,
                """
                > AT+DEUI=?
                < 70:B3:D5:7E:D0:01:23:45
                < OK
                > AT+APPEUI=?
                < 70:B3:D5:7E:D0:00:00:01
                < OK
                > AT+APPKEY=?
                < 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F
                < OK
                > AT+NWKKEY=?
                < 2B:7E:15:16:28:AE:D2:A6:AB:F7:15:88:09:CF:4F:3C
                < OK
                """,
                """
                > AT+SEND=2:0:0102
                < OK
                """);
    }

    static Case murata() {
        return new Case("Murata ABZ", MurataAbz::new, "murata-abz-session.txt",
                new ModuleInfo("murata-abz", "ABZ", "1.2.3"),
                fields(FieldStatus.NOT_READABLE, FieldStatus.NOT_APPLICABLE),
                """
                > AT+MODE=1
                < +OK
                > AT+BAND=5
                < +OK
                > AT+DEVEUI=70B3D57ED0012345
                < +OK
                > AT+APPEUI=70B3D57ED0000001
                < +OK
                > AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                < +ERR=-3
                """, "AT+APPKEY",
                """
                > AT+JOIN
                < +OK
                @ +EVENT=1,0
                """,
                "",
                "> AT+DEV?",
                """
                > AT+DEVEUI?
                < +OK=70B3D57ED0012346
                > AT+APPEUI?
                < +OK=70B3D57ED0000001
                """,
                null,
                """
                > AT+PORT=2
                < +OK
                > AT+UTX 2
                >> 0102
                < +OK
                """);
    }

    /**
     * Setting the uplink data rate to DR3 (the TS009 echo on each of a product's data rates): ADR off first, then the
     * vendor's data-rate command, as each manual words it.
     */
    static String dataRate3(Case c) {
        return switch (c.info().dialect()) {
            case "rak3172-rui3" -> """
                    > AT+ADR=0
                    < OK
                    > AT+DR=3
                    < OK
                    """;
            // the second line of the answer comes after the first, which ends the answer on a serial line
            case "seeed-lora-e5" -> """
                    > AT+ADR=OFF
                    < +ADR: OFF
                    > AT+DR=DR3
                    < +DR: DR3
                    @ +DR: EU868 DR3 SF9 BW125K
                    """;
            case "microchip-rn2483" -> """
                    > mac set adr off
                    < ok
                    > mac set dr 3
                    < ok
                    """;
            case "stm32wl-at-slave" -> """
                    > AT+ADR=0
                    < OK
                    > AT+DR=3
                    < OK
                    """;
            case "murata-abz" -> """
                    > AT+ADR=0
                    < +OK
                    > AT+DR=3
                    < +OK
                    """;
            default -> throw new IllegalArgumentException(c.name());
        };
    }

    /** The module refusing a data rate it does not have (DR9), as each dialect words the refusal. */
    static String dataRate9Refused(Case c) {
        return switch (c.info().dialect()) {
            case "rak3172-rui3" -> "> AT+ADR=0\n< OK\n> AT+DR=9\n< AT_PARAM_ERROR\n";
            case "seeed-lora-e5" -> "> AT+ADR=OFF\n< +ADR: OFF\n> AT+DR=DR9\n< +DR: ERROR(-1)\n";
            case "microchip-rn2483" -> "> mac set adr off\n< ok\n> mac set dr 9\n< invalid_param\n";
            case "stm32wl-at-slave" -> "> AT+ADR=0\n< OK\n> AT+DR=9\n< AT_PARAM_ERROR\n";
            case "murata-abz" -> "> AT+ADR=0\n< +OK\n> AT+DR=9\n< +ERR_PARAM\n";
            default -> throw new IllegalArgumentException(c.name());
        };
    }

    private DialectCases() {
    }
}
