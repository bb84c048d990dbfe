package io.lorafab.provisioning.label;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.qr.Tr005Code;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Sample labels and a standard QR reader for the label tests. */
final class TestLabels {

    static final Eui64 JOIN_EUI = Eui64.parse("70B3D57ED0000001");
    static final ProfileId PROFILE = new ProfileId(0x000A, 0x0001);

    private TestLabels() {
    }

    /** Label number {@code i}: DevEUI 0004A30B001C0000 + i, serial LF-24-nnnnn, in the QR code too. */
    static LabelData sample(int i) {
        String serial = String.format("LF-24-%05d", i);
        Tr005Code code = Tr005Code.of(JOIN_EUI, Eui64.of(0x0004A30B001C0000L + i), PROFILE).withSerialNumber(serial);
        return LabelData.of(code, serial, "Soil sensor S1");
    }

    static List<LabelData> samples(int n) {
        return new ArrayList<>(IntStream.range(0, n).mapToObj(TestLabels::sample).toList());
    }

    /** Decodes one QR code from {@code image} with ZXing's standard reader, or throws. */
    static Result decode(BufferedImage image) throws NotFoundException, ChecksumException, FormatException {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
    }
}
