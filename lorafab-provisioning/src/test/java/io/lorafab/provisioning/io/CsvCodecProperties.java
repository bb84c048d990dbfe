package io.lorafab.provisioning.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What the writer writes, the reader reads back field for field, for either delimiter. */
class CsvCodecProperties {

    @Property(tries = 300, seed = "20245")
    void writeThenReadIsIdentity(@ForAll("tables") List<List<String>> rows, @ForAll boolean semicolon) {
        char delimiter = semicolon ? ';' : ',';
        CsvWriter writer = new CsvWriter(delimiter);
        rows.forEach(writer::row);

        assertThat(CsvReader.read(writer.text(), delimiter)).extracting(CsvRecord::fields).isEqualTo(rows);
    }

    @Provide
    Arbitrary<List<List<String>>> tables() {
        Arbitrary<String> field = Arbitraries.strings().withChars(",;\"\r\n \tab\uFEFF").ofMaxLength(8);
        return field.list().ofMinSize(1).ofMaxSize(5).list().ofMaxSize(6);
    }
}
