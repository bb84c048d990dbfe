package io.lorafab.lorawan.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegionLookupTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({
        "EU868,       EU868",
        "eu868,       EU868",
        "EU_863_870,  EU868",
        "eu_863_870,  EU868",
        "US915,       US915",
        "US_902_928,  US915",
        "us915,       US915",
        "CN470,       CN470",
        "CN_470_510,  CN470",
        "AS923,       AS923",
        "AS923-1,     AS923",
        "as923_1,     AS923",
        "AS_923,      AS923",
        "AS923-2,     AS923-2",
        "as923_2,     AS923-2",
        "AS_923_2,    AS923-2",
        "AS923-3,     AS923-3",
        "AS_923_3,    AS923-3",
        "as923_4,     AS923-4",
        "AU915,       AU915",
        "AU_915_928,  AU915",
        "IN865,       IN865",
        "IN_865_867,  IN865",
        "KR920,       KR920",
        "KR_920_923,  KR920",
        "' kr920 ',   KR920",
    })
    void byNameAcceptsCommonNamesAndBandIds(String given, String expected) {
        assertThat(Region.byName(given).name()).isEqualTo(expected);
    }

    @Test
    void byNameReturnsTheSingletons() {
        assertThat(Region.byName("EU868")).isSameAs(Eu868.INSTANCE);
        assertThat(Region.byName("US915")).isSameAs(Us915.INSTANCE);
        assertThat(Region.byName("CN470")).isSameAs(Cn470.INSTANCE);
        assertThat(Region.byName("AS923")).isSameAs(As923.AS923_1);
        assertThat(Region.byName("AS923-2")).isSameAs(As923.AS923_2);
        assertThat(Region.byName("AS923-3")).isSameAs(As923.AS923_3);
        assertThat(Region.byName("AS923-4")).isSameAs(As923.AS923_4);
        assertThat(Region.byName("AU915")).isSameAs(Au915.INSTANCE);
        assertThat(Region.byName("IN865")).isSameAs(In865.INSTANCE);
        assertThat(Region.byName("KR920")).isSameAs(Kr920.INSTANCE);
    }

    @ParameterizedTest(name = "\"{0}\" is unknown")
    @ValueSource(strings = {"", "EU433", "US916", "AS923-5", "EU_868_870", "nonsense"})
    void unknownNamesAreRejectedListingTheKnownOnes(String name) {
        assertThatThrownBy(() -> Region.byName(name))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("unknown LoRaWAN region")
                .hasMessageContaining("EU868, US915, CN470, AS923, AS923-2, AS923-3, AS923-4, AU915, IN865, KR920");
    }

    @Test
    void nullNameIsRejected() {
        assertThatThrownBy(() -> Region.byName(null))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("unknown LoRaWAN region null");
    }

    @Test
    void allListsEveryRegionOnceInAStableOrder() {
        assertThat(Region.all()).extracting(Region::name)
                .containsExactly("EU868", "US915", "CN470", "AS923", "AS923-2", "AS923-3", "AS923-4", "AU915",
                        "IN865", "KR920");
        assertThat(Region.all()).doesNotContainNull();
    }

    @Test
    void constantsAndRegistryAgree() {
        assertThat(Kr920.INSTANCE).isNotNull();
        assertThat(Region.all()).contains(Kr920.INSTANCE);
        assertThat(Region.byName("kr920")).isSameAs(Kr920.INSTANCE);
    }

    @ParameterizedTest(name = "{0}: RECEIVE_DELAY1 1 s, RECEIVE_DELAY2 2 s, JOIN_ACCEPT_DELAY1 5 s, JOIN_ACCEPT_DELAY2 6 s")
    @MethodSource("io.lorafab.lorawan.region.RegionLookupTest#regions")
    void receiveDelays(Region region) {
        assertThat(region.receiveDelay1()).isEqualTo(Duration.ofSeconds(1));
        assertThat(region.receiveDelay2()).isEqualTo(Duration.ofSeconds(2));
        assertThat(region.joinAcceptDelay1()).isEqualTo(Duration.ofSeconds(5));
        assertThat(region.joinAcceptDelay2()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void toStringIsTheName() {
        assertThat(As923.AS923_3).hasToString("AS923-3");
    }

    static java.util.List<Region> regions() {
        return Region.all();
    }
}
