package io.lorafab.provisioning.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.ProfileId;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;

/** Round trips of every writable code, and what happens to damaged or random input. */
class Tr005Properties {

    @Provide
    Arbitrary<Tr005Code> codes() {
        Arbitrary<Eui64> euis = Arbitraries.longs().map(Eui64::of);
        Arbitrary<ProfileId> profiles = Combinators.combine(Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 0xffff)).as(ProfileId::new);
        Arbitrary<Optional<String>> ext = Arbitraries.strings().withCharRange('!', '~').excludeChars(':')
                .ofMinLength(1).ofMaxLength(24).optional();
        return Combinators.combine(euis, euis, profiles, ext, ext, ext).as(Tr005Code::new);
    }

    @Property
    void formatThenParseGivesTheSameCode(@ForAll("codes") Tr005Code code, @ForAll boolean withChecksum) {
        String text = Tr005.format(code, withChecksum);
        assertThat(text).startsWith("LW:D0:").doesNotContain(" ");
        assertThat(Tr005.parse(text)).isEqualTo(code);
        assertThat(Tr005.parse(text + "\r\n")).isEqualTo(code);
    }

    @Property
    void lowerCaseIdentifiersParseToTheSameCode(@ForAll("codes") Tr005Code code) {
        Tr005Code mandatory = Tr005Code.of(code.joinEui(), code.devEui(), code.profileId());
        String text = Tr005.format(mandatory, false);
        String lower = "LW:D0:" + text.substring(6).toLowerCase(Locale.ROOT);
        assertThat(Tr005.parse(lower)).isEqualTo(mandatory);
    }

    /**
     * CRC-16 detects every burst of up to 16 bits, so any one-character change is caught when the CheckSum is
     * required: the result is a rejection, or (only when the change flips the case of a CheckSum digit) the
     * same code.
     */
    @Property
    void aDamagedCheckedCodeIsNeverReadAsAnotherCode(@ForAll("codes") Tr005Code code,
            @ForAll @IntRange(max = 10_000) int where, @ForAll @CharRange(from = ' ', to = '~') char replacement) {
        String text = Tr005.format(code, true);
        int at = where % text.length();
        if (text.charAt(at) == replacement) {
            return;
        }
        String damaged = text.substring(0, at) + replacement + text.substring(at + 1);
        try {
            assertThat(Tr005.parse(damaged, true)).isEqualTo(code);
            assertThat(at).isGreaterThanOrEqualTo(text.length() - 4);
            assertThat(Character.toUpperCase(replacement)).isEqualTo(text.charAt(at));
        } catch (LorawanFormatException expected) {
            assertThat(expected.getMessage()).startsWith("TR005: ");
        }
    }

    @Property
    void randomTextGivesOnlyTheTypedException(@ForAll String text) {
        try {
            Tr005.parse(text);
        } catch (LorawanFormatException expected) {
            assertThat(expected.getMessage()).startsWith("TR005: ");
        }
    }

    @Property
    void randomFieldsAfterTheHeaderGiveOnlyTheTypedException(@ForAll("codes") Tr005Code code,
            @ForAll @CharRange(from = ' ', to = '~') char c1, @ForAll String tail) {
        String text = Tr005.format(code, false) + ":" + c1 + tail;
        try {
            Tr005.parse(text);
        } catch (LorawanFormatException expected) {
            assertThat(expected.getMessage()).startsWith("TR005: ");
        }
        assertThatThrownBy(() -> Tr005.parse(text + ":C0000:C0000")).isInstanceOf(LorawanFormatException.class);
    }
}
