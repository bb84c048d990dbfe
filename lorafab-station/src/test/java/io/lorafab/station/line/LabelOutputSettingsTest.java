package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.process.CommandTemplate;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a station refuses at start-up for its labels, before any unit is reserved; and the label file names. */
class LabelOutputSettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown format          | gif | 70x37 |                    | label format must be pdf or zpl
            size without x          | pdf | 70    |                    | label size must be WIDTHxHEIGHT
            size in words           | zpl | big   |                    | label size must be WIDTHxHEIGHT
            print without {file}    | zpl | 70x37 | lp -d zebra        | no {file} placeholder
            unbalanced quote        | zpl | 70x37 | lp "-d zebra {file} | unbalanced double quote
            """)
    void badSettingsAreRefused(String name, String format, String size, String print, String message) {
        assertThatThrownBy(() -> new LabelOutput(new LabelOutput.Settings(Path.of("labels"), format, size, print, Duration.ofSeconds(5))))
                .isInstanceOfAny(IllegalArgumentException.class, CommandTemplate.InvalidTemplateException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "serial {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            70b3d57ed0000001 | SN-000123        | SN-000123
            70b3d57ed0000001 | null             | 70b3d57ed0000001
            70b3d57ed0000001 | ../../etc/passwd | 70b3d57ed0000001
            70b3d57ed0000001 | a b              | 70b3d57ed0000001
            70b3d57ed0000001 | .hidden          | 70b3d57ed0000001
            """)
    void aLabelFileIsNamedAfterASafeSerialElseTheDevEui(String devEui, String serial, String file) {
        assertThat(LabelOutput.fileName(Eui64.parse(devEui), serial)).isEqualTo(file);
    }
}
