package io.lorafab.provisioning.label;

import io.lorafab.lorawan.LorawanFormatException;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A QR code (level M, see {@link QrMatrix}) as a PNG image or as SVG, each with a 4-module quiet zone. Pure:
 * returns bytes or text and touches no file (the PNG is written through a memory-cached stream, never ImageIO's
 * temporary-file cache).
 */
public final class QrImage {

    /** Largest accepted module size for {@link #png}, in pixels. */
    public static final int MAX_MODULE_PIXELS = 64;

    private QrImage() {
    }

    /** A 1-bit PNG, {@code modulePixels} pixels per module, black on white, with the quiet zone. */
    public static byte[] png(String text, int modulePixels) {
        if (modulePixels < 1 || modulePixels > MAX_MODULE_PIXELS) {
            throw new LorawanFormatException("QR PNG: module size must be 1.." + MAX_MODULE_PIXELS
                    + " pixels, got " + modulePixels);
        }
        QrMatrix qr = QrMatrix.encode(text);
        int side = qr.sizeWithQuietZone() * modulePixels;
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_BINARY);
        WritableRaster raster = img.getRaster();
        int[] white = new int[side];
        Arrays.fill(white, 1);
        for (int row = 0; row < side; row++) {
            raster.setSamples(0, row, side, 1, 0, white);
        }
        int[] black = new int[modulePixels * modulePixels];
        for (int y = 0; y < qr.size(); y++) {
            for (int x = 0; x < qr.size(); x++) {
                if (qr.isDark(x, y)) {
                    raster.setSamples((x + QrMatrix.QUIET_ZONE) * modulePixels,
                            (y + QrMatrix.QUIET_ZONE) * modulePixels, modulePixels, modulePixels, 0, black);
                }
            }
        }
        return encodePng(img);
    }

    /**
     * An SVG document whose user units are modules: a white square of {@code size + 8} units and one black
     * {@code <path>} made of one rectangle per horizontal run of dark modules ({@code M x,y h n v1 h-n z}).
     * It has a viewBox but no width or height, so it scales to whatever box it is placed in.
     */
    public static String svg(String text) {
        QrMatrix qr = QrMatrix.encode(text);
        int side = qr.sizeWithQuietZone();
        StringBuilder d = new StringBuilder(qr.size() * qr.size());
        for (int y = 0; y < qr.size(); y++) {
            int x = 0;
            while (x < qr.size()) {
                int run = qr.darkRun(x, y);
                if (run == 0) {
                    x++;
                    continue;
                }
                d.append('M').append(x + QrMatrix.QUIET_ZONE).append(',').append(y + QrMatrix.QUIET_ZONE)
                        .append('h').append(run).append("v1h-").append(run).append('z');
                x += run;
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + side + " " + side
                + "\" shape-rendering=\"crispEdges\">\n"
                + "<rect x=\"0\" y=\"0\" width=\"" + side + "\" height=\"" + side + "\" fill=\"#ffffff\"/>\n"
                + "<path fill=\"#000000\" d=\"" + d + "\"/>\n"
                + "</svg>\n";
    }

    private static byte[] encodePng(BufferedImage img) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no PNG writer in this Java runtime");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(img);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding in memory failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
