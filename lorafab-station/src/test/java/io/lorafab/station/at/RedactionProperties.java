package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Command labels used in exception messages never carry the key value, whatever the key. */
class RedactionProperties {

    @Property
    void labelsOfKeyCommandsNeverContainTheKey(@ForAll @Size(16) byte[] key) {
        String hex = HexFormat.of().withUpperCase().formatHex(key);
        String colon = HexFormat.ofDelimiter(":").withUpperCase().formatHex(key);
        for (String line : new String[] {
                "AT+APPKEY=" + hex,
                "AT+KEY=APPKEY, \"" + hex + "\"",
                "mac set appkey " + hex,
                "AT+APPKEY=" + colon,
                "AT+NWKKEY=" + colon}) {
            String label = AtSession.labelOf(line);
            assertThat(label).doesNotContain(hex).doesNotContain(colon).doesNotContain(hex.substring(0, 8));
        }
    }
}
