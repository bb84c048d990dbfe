package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartFormTest {

    private static byte[] body(byte[] file) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok-1\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"product\"\r\n\r\n\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"devices.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(file);
        b.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    @Test
    void fieldsAndTheFileArePartsByNameWithTheFileBytesAsSent() {
        byte[] file = "dev_eui,join_eui,app_key\r\n--X not the boundary\r\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        MultipartForm f = MultipartForm.parse("multipart/form-data; boundary=XyZ", body(file));
        assertThat(f.field("_csrf")).isEqualTo("tok-1");
        assertThat(f.field("product")).isEmpty();
        assertThat(f.bytes("file")).isEqualTo(file);
        assertThat(f.fileName("file")).isEqualTo("devices.csv");
        assertThat(f.field("missing")).isNull();
    }

    @Test
    void clearingOverwritesTheFile() {
        MultipartForm f = MultipartForm.parse("multipart/form-data; boundary=\"XyZ\"", body("secret".getBytes(StandardCharsets.UTF_8)));
        byte[] held = f.bytes("file");
        f.clear();
        assertThat(held).containsOnly(0);
    }

    @Test
    void aBodyWithoutABoundaryHasNoParts() {
        assertThat(MultipartForm.parse("multipart/form-data", body(new byte[0])).field("_csrf")).isNull();
    }
}
