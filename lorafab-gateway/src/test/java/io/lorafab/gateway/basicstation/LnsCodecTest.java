package io.lorafab.gateway.basicstation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.gateway.basicstation.LnsMessage.DataUplink;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkTransmitted;
import io.lorafab.gateway.basicstation.LnsMessage.IfChannel;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.Other;
import io.lorafab.gateway.basicstation.LnsMessage.ProprietaryUplink;
import io.lorafab.gateway.basicstation.LnsMessage.Radio;
import io.lorafab.gateway.basicstation.LnsMessage.RouterConfig;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoResponse;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncRequest;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncResponse;
import io.lorafab.gateway.basicstation.LnsMessage.UpChannel;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.gateway.basicstation.LnsMessage.Version;
import io.lorafab.gateway.basicstation.LnsMessage.Window;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The codec against what Basics Station 2.0.6 writes and reads. The station's documentation pages were not
 * reachable from here; every expectation below is taken from the station's own C source (github.com/lorabasics/
 * basicstation at tag 2.0.6) or its test LNS ({@code pysys/tcutils.py}), named at each test.
 */
class LnsCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /**
     * A jreq as s2e_parse_lora_frame (src/lora.c) and s2e_flushRxjobs (src/s2e.c) write it: MHdr, JoinEui and DevEui
     * in the dash form of encEui (src/uj.c, upper-case hex), DevNonce read little-endian, MIC the last four bytes read
     * little-endian and cast to s4_t, DR, Freq, RefTime and upinfo with rssi negative.
     */
    @Test
    void jreqFromTheStationBecomesTheSamePhyPayloadWithItsMicSignedLittleEndian() {
        // MHDR 00 | JoinEUI 70B3D57ED0000001 (LE) | DevEUI 0004A30B001C0530 (LE) | DevNonce 0x1234 (LE) | MIC DE AD BE EF
        byte[] frame = HEX.parseHex("00" + "010000D07ED5B370" + "30051C000BA30400" + "3412" + "DEADBEEF");
        String wire = "{\"msgtype\":\"jreq\",\"MHdr\":0,\"JoinEui\":\"70-B3-D5-7E-D0-00-00-01\","
                + "\"DevEui\":\"00-04-A3-0B-00-1C-05-30\",\"DevNonce\":4660,\"MIC\":-272716322,"
                + "\"RefTime\":1700000000.5,\"DR\":5,\"Freq\":868100000,\"upinfo\":{\"rctx\":0,"
                + "\"xtime\":40532396646425099,\"gpstime\":0,\"fts\":-1,\"rssi\":-35,\"snr\":9.25,\"rxtime\":1700000000.25}}";
        JoinRequest j = assertInstanceOf(JoinRequest.class, LnsCodec.decodeFromStation(wire));
        assertEquals(0xEFBEADDE, j.mic(), "MIC = bytes DE AD BE EF read little-endian = 0xEFBEADDE, as int32 -272716322");
        assertEquals(-272716322, j.mic());
        assertEquals(Eui64.parse("70B3D57ED0000001"), j.joinEui());
        assertEquals(Eui64.parse("0004A30B001C0530"), j.devEui());
        assertEquals(0x1234, j.devNonce());
        assertEquals(new UpInfo(5, 868_100_000L, 0, 40532396646425099L, 0, -35, 9.25, 1700000000.25, 1700000000.5), j.up());
        assertArrayEquals(frame, LnsFrames.phyPayload(j));
        // and the station's direction: the frame split as the station splits it, written as it writes it
        JoinRequest back = LnsFrames.joinRequest(frame, j.up());
        assertEquals(j, back);
        JsonNode encoded = tree(LnsCodec.encode(back));
        assertEquals(-272716322, encoded.get("MIC").intValue());
        assertEquals("70-B3-D5-7E-D0-00-00-01", encoded.get("JoinEui").textValue());
    }

    @Test
    void aMicWithTheTopBitClearIsPositiveAndAnUnsignedReadingIsAcceptedToo() {
        byte[] frame = HEX.parseHex("00" + "0100000000000000" + "0200000000000000" + "0100" + "01020304");
        assertEquals(0x04030201, LnsFrames.micField(frame));
        String unsigned = "{\"msgtype\":\"jreq\",\"MHdr\":0,\"JoinEui\":1,\"DevEui\":2,\"DevNonce\":1,\"MIC\":4022250974,"
                + "\"DR\":0,\"Freq\":868100000,\"upinfo\":{\"xtime\":1,\"rssi\":-100}}";
        assertEquals(-272716322, ((JoinRequest) LnsCodec.decodeFromStation(unsigned)).mic());
    }

    /** updf fields as s2e_parse_lora_frame writes them: DevAddr as s4_t, FOpts/FRMPayload hex, FPort -1 when absent. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "unconfirmed with port and payload, 40DA1B0126800100AB0102030499887766",
        "confirmed with FOpts and no port, 80110000FC03050002030AAABBCCDD",
        "port without payload, 40010203048000000F11223344",
    })
    void updfRoundTripsToTheSamePhyPayload(String name, String hex) {
        byte[] frame = HEX.parseHex(hex);
        UpInfo up = new UpInfo(3, 868_300_000L, 1, 99, 0, -70, -2.5, 0, 0);
        DataUplink u = LnsFrames.dataUplink(frame, up);
        DataUplink read = assertInstanceOf(DataUplink.class, LnsCodec.decodeFromStation(LnsCodec.encode(u)));
        assertEquals(u, read);
        assertArrayEquals(frame, LnsFrames.phyPayload(read));
    }

    @Test
    void updfDevAddrWithTheTopBitSetIsANegativeInt() {
        byte[] frame = HEX.parseHex("4011AC00FC000100" + "01020304");
        DataUplink u = LnsFrames.dataUplink(frame, new UpInfo(0, 868_100_000L, 0, 1, 0, -90, 1, 0, 0));
        assertEquals(0xFC00AC11, u.devAddr());
        assertTrue(u.devAddr() < 0);
        assertEquals(-1, u.fport());
        assertEquals(0xFC00AC11, tree(LnsCodec.encode(u)).get("DevAddr").intValue());
    }

    @Test
    void updfWhoseFOptsDisagreeWithFCtrlIsRefusedNamingTheField() {
        String wire = "{\"msgtype\":\"updf\",\"MHdr\":64,\"DevAddr\":1,\"FCtrl\":2,\"FCnt\":1,\"FOpts\":\"\",\"FPort\":1,"
                + "\"FRMPayload\":\"00\",\"MIC\":1,\"DR\":0,\"Freq\":868100000,\"upinfo\":{\"xtime\":1,\"rssi\":-1}}";
        LnsProtocolException e = assertThrows(LnsProtocolException.class, () -> LnsCodec.decodeFromStation(wire));
        assertEquals("FOpts: 0 bytes, but FCtrl says 2", e.getMessage());
    }

    /** propdf (src/lora.c): the whole frame in FRMPayload; lorafab reads it only to count it. */
    @Test
    void propdfCarriesTheWholeFrame() {
        String wire = "{\"msgtype\":\"propdf\",\"FRMPayload\":\"E0010203\",\"DR\":0,\"Freq\":868100000,"
                + "\"upinfo\":{\"xtime\":5,\"rssi\":-60,\"snr\":3}}";
        ProprietaryUplink p = assertInstanceOf(ProprietaryUplink.class, LnsCodec.decodeFromStation(wire));
        assertArrayEquals(HEX.parseHex("E0010203"), p.frame());
    }

    /** The version message of tc_muxs_connection (src/tc.c); protocol is MUXS_PROTOCOL_VERSION = 2 (src/s2conf.h). */
    @Test
    void versionIsRead() {
        String wire = "{\"msgtype\":\"version\",\"station\":\"2.0.6(rpi/std)\",\"firmware\":null,\"package\":null,"
                + "\"model\":\"rpi\",\"protocol\":2,\"features\":\"rmtsh gps\"}";
        assertEquals(new Version("2.0.6(rpi/std)", "", "", "rpi", 2, "rmtsh gps"), LnsCodec.decodeFromStation(wire));
    }

    /** dntxed (send_dntxed, src/s2e.c): seqno and diid both carry the id; DevEui in dash form. */
    @Test
    void dntxedIsRead() {
        String wire = "{\"msgtype\":\"dntxed\",\"seqno\":7,\"diid\":7,\"DR\":5,\"Freq\":868100000,"
                + "\"DevEui\":\"00-00-00-00-00-00-00-2A\",\"rctx\":0,\"xtime\":123,\"txtime\":1.5,\"gpstime\":0}";
        assertEquals(new DownlinkTransmitted(7, Eui64.of(42), 5, 868_100_000L, 0, 123, 1.5, 0),
                LnsCodec.decodeFromStation(wire));
    }

    /** timesync (src/timesync.c): the station sends txtime; the server echoes it with gpstime (handle_timesync). */
    @Test
    void timesyncBothWays() {
        assertEquals(new TimesyncRequest(123456789L),
                LnsCodec.decodeFromStation("{\"msgtype\":\"timesync\",\"txtime\":123456789}"));
        TimesyncResponse r = new TimesyncResponse(123456789L, 1_400_000_000_000_000L, 1700000000.125);
        assertEquals(r, LnsCodec.decodeFromServer(LnsCodec.encode(r)));
    }

    @Test
    void unknownMessageTypesAreReadByTheirNameOnly() {
        assertEquals(new Other("event"), LnsCodec.decodeFromStation("{\"msgtype\":\"event\",\"evcat\":\"x\"}"));
        assertEquals(new Other("rejoin"), LnsCodec.decodeFromStation("{\"msgtype\":\"rejoin\"}"));
    }

    /**
     * dnmsg as handle_dnmsg (src/s2e.c) reads it: DevEui, dC, diid, pdu, RxDelay, RX1DR+RX1Freq, RX2DR+RX2Freq (each
     * pair both or neither), xtime, rctx, priority, MuxTime.
     */
    @Test
    void dnmsgRoundTripsWithBothWindows() {
        DownlinkMessage d = new DownlinkMessage(Eui64.parse("0004A30B001C0530"), 0, 99, HEX.parseHex("20AABBCC"), 5,
                Optional.of(new Window(5, 868_100_000L)), Optional.of(new Window(0, 869_525_000L)), 40532396646425099L,
                0, 0, OptionalDouble.of(1700000000.5));
        JsonNode n = tree(LnsCodec.encode(d));
        assertEquals("dnmsg", n.get("msgtype").textValue());
        assertEquals("00-04-A3-0B-00-1C-05-30", n.get("DevEui").textValue());
        assertEquals("20AABBCC", n.get("pdu").textValue());
        assertEquals(5, n.get("RX1DR").intValue());
        assertEquals(869_525_000L, n.get("RX2Freq").longValue());
        assertEquals(d, LnsCodec.decodeFromServer(LnsCodec.encode(d)));
    }

    @Test
    void dnmsgWithHalfAWindowIsRefused() {
        String wire = "{\"msgtype\":\"dnmsg\",\"DevEui\":\"::1\",\"dC\":0,\"diid\":1,\"pdu\":\"00\",\"RxDelay\":1,"
                + "\"RX1DR\":5,\"xtime\":1}";
        LnsProtocolException e = assertThrows(LnsProtocolException.class, () -> LnsCodec.decodeFromServer(wire));
        assertEquals("RX1Freq: missing (RX1DR and RX1Freq go together)", e.getMessage());
    }

    /** The ID6 forms encId6 (src/uj.c) writes, and the forms uj_eui reads (hex with or without '-', a number). */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "::0, 0000000000000000",
        "::1, 0000000000000001",
        "::a:b, 00000000000A000B",
        "1::, 0001000000000000",
        "1:2::, 0001000200000000",
        "1::4, 0001000000000004",
        "1:2:3:4, 0001000200030004",
        "b827:ebff:fe61:f47d, B827EBFFFE61F47D",
    })
    void id6FormsAreReadAndWrittenAsTheStationDoes(String id6, String hex) {
        Eui64 eui = Eui64.parse(hex);
        assertEquals(eui, StationEui.parse(id6, "router"));
        if (!id6.equals("::0")) {
            assertEquals(id6, StationEui.formatId6(eui));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"router\":\"b827:ebff:fe61:f47d\"}",
        "{\"router\":\"B8-27-EB-FF-FE-61-F4-7D\"}",
        "{\"router\":\"b827ebfffe61f47d\"}",
        "{\"router\":\"b8:27:eb:ff:fe:61:f4:7d\"}",
        "{\"router\":13269834311787476093}",
        "{\"router\":-5176909761922075523}",
    })
    void routerInfoRequestTakesEveryEuiForm(String wire) {
        assertEquals(Eui64.parse("B827EBFFFE61F47D"), LnsCodec.decodeRouterInfoRequest(wire).router());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"router\":\"1:2:3:4:5\"}|router: not an ID6 (expected 4 groups or '::')",
        "{\"router\":\"1::2::3\"}|router: not an ID6 (more than one '::')",
        "{\"router\":\"xyz\"}|router: not an EUI (expected 16 hex digits, an ID6 such as ::1, or a number)",
        "{\"router\":true}|router: expected an EUI (text or number), got boolean true",
        "{}|router: missing",
        "[1]|a message must be a JSON object, got an array",
    })
    void badRouterIdsAreRefusedInOneLine(String wire, String message) {
        assertEquals(message, assertThrows(LnsProtocolException.class, () -> LnsCodec.decodeRouterInfoRequest(wire))
                .getMessage());
    }

    @Test
    void routerInfoResponseUsesTheId6Form() {
        JsonNode n = tree(LnsCodec.encode(new RouterInfoResponse(Eui64.of(1), "lorafab", "ws://h:1887/traffic/::1")));
        assertEquals("::1", n.get("router").textValue());
        assertEquals("ws://h:1887/traffic/::1", n.get("uri").textValue());
        assertFalse(n.has("msgtype"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json|invalid JSON",
        "{\"msgtype\":\"jreq\"}|MHdr: missing",
        "{\"msgtype\":5}|msgtype: expected a string, got number 5",
        "{\"msgtype\":\"jreq\",\"MHdr\":0,\"JoinEui\":\"1\",\"DevEui\":\"::1\",\"DevNonce\":1,\"MIC\":1,\"DR\":0,\"Freq\":1,\"upinfo\":{}}|JoinEui: not an EUI",
        "{\"msgtype\":\"updf\",\"MHdr\":64,\"DevAddr\":1,\"FCtrl\":0,\"FCnt\":1,\"FOpts\":\"zz\",\"FPort\":1,\"FRMPayload\":\"\",\"MIC\":1}|FOpts: not hex",
    })
    void garbageIsRefusedWithAOneLineMessageWithoutClassNames(String wire, String start) {
        String m = assertThrows(LnsProtocolException.class, () -> LnsCodec.decodeFromStation(wire)).getMessage();
        assertTrue(m.startsWith(start), m);
        assertFalse(m.contains("\n") || m.contains("Exception") || m.contains("com.fasterxml"), m);
    }

    // ---------------------------------------------------------------- router_config

    static List<Region> regions() {
        return Region.all();
    }

    /**
     * For every region lorafab supports: what handle_router_config (src/s2e.c), ral_config (src/ral_lgw.c) and
     * sx130xconf_parse_setup (src/sx130xconf.c) require: 16 DRs of [sf, bw, dnonly], upchannel DRs in 0..7 naming
     * defined uplink DRs, hwspec "sx1301/1", the concentrator configuration as an array, and each upchannel heard by
     * an enabled IF channel of an enabled radio.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void routerConfigOfEveryRegionIsWhatTheStationRequires(Region region) {
        RouterConfig c = RouterConfigs.forRegion(region, Optional.empty(), OptionalDouble.of(1.7e9));
        JsonNode n = tree(LnsCodec.encode(c));
        assertEquals("router_config", n.get("msgtype").textValue());
        assertEquals("sx1301/1", n.get("hwspec").textValue());
        assertTrue(n.get("sx1301_conf").isArray());
        assertEquals(16, n.get("DRs").size());
        assertTrue(n.get("NetID").isNull() && n.get("JoinEui").isNull(), "no filters: every frame is forwarded");
        assertEquals(c, LnsCodec.decodeFromServer(LnsCodec.encode(c)));
        assertFalse(c.upchannels().isEmpty());
        for (UpChannel u : c.upchannels()) {
            assertTrue(u.freqHz() >= c.freqMinHz() && u.freqHz() <= c.freqMaxHz(), u + " inside freq_range");
            assertTrue(u.minDr() >= 0 && u.maxDr() <= 7 && u.minDr() <= u.maxDr(), u.toString());
            assertTrue(c.drs().get(u.minDr()).sf() > 0 && !c.drs().get(u.maxDr()).dnOnly(), u.toString());
            assertTrue(heard(c, u.freqHz()), region + ": " + u + " is heard by the concentrator set-up");
        }
        // RX2 default data rate is defined for downlink
        assertTrue(c.drs().get(region.rx2DataRate()).sf() >= 0);
    }

    private static boolean heard(RouterConfig c, long f) {
        List<Radio> radios = c.conf().radios();
        for (IfChannel ch : c.conf().multiSf()) {
            if (ch.enable() && radios.get(ch.radio()).enable() && radios.get(ch.radio()).freqHz() + ch.ifHz() == f) {
                return true;
            }
        }
        IfChannel std = c.conf().loraStd();
        return std.enable() && radios.get(std.radio()).freqHz() + std.ifHz() == f;
    }

    /** pysys/tcutils.py (the station's test LNS) sends EU868 with DRs SF12..SF7 BW125, SF7 BW250, FSK, then undefined. */
    @Test
    void eu868DataRatesAreThoseOfTheStationsOwnTestServer() {
        RouterConfig c = RouterConfigs.forRegion(Region.byName("EU868"), Optional.empty(), OptionalDouble.empty());
        assertEquals("[[12,125,0],[11,125,0],[10,125,0],[9,125,0],[8,125,0],[7,125,0],[7,250,0],[0,0,0],[-1,0,0],"
                + "[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0]]",
                tree(LnsCodec.encode(c)).get("DRs").toString());
        assertEquals("EU868", c.region());
    }

    /** ... and US915 (tcutils "US902"): DR0..4 up, DR8..13 SF12..SF7 BW500 downlink-only. */
    @Test
    void us915HasDownlinkOnlyDataRatesAndItsWideChannelOnTheStandardChannel() {
        RouterConfig c = RouterConfigs.forRegion(Region.byName("US915"), Optional.empty(), OptionalDouble.empty());
        assertEquals("[[10,125,0],[9,125,0],[8,125,0],[7,125,0],[8,500,0],[-1,0,0],[-1,0,0],[-1,0,0],[12,500,1],"
                + "[11,500,1],[10,500,1],[9,500,1],[8,500,1],[7,500,1],[-1,0,0],[-1,0,0]]",
                tree(LnsCodec.encode(c)).get("DRs").toString());
        assertTrue(c.upchannels().contains(new UpChannel(904_600_000L, 4, 4)), c.upchannels().toString());
        assertTrue(c.conf().loraStd().enable());
    }

    /** The region names handle_router_config knows; AS923-2..4 go as AS923-1, IN865/CN470 a 2.0.6 station ignores. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"EU868, EU868, true", "US915, US915, true", "AU915, AU915, true", "KR920, KR920, true",
        "AS923, AS923-1, true", "AS923-2, AS923-1, true", "AS923-4, AS923-1, true", "IN865, IN865, false",
        "CN470, CN470, false"})
    void regionNamesAreThoseTheStationKnows(String lorafab, String station, boolean known) {
        Region r = Region.byName(lorafab);
        assertEquals(station, RouterConfigs.stationRegionName(r));
        assertEquals(known, RouterConfigs.stationKnowsRegion(r));
    }

    private static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
