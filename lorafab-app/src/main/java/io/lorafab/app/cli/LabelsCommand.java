package io.lorafab.app.cli;

import io.lorafab.api.ErrorCode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.provisioning.label.LabelData;
import io.lorafab.provisioning.label.LabelLayout;
import io.lorafab.provisioning.label.LabelSheet;
import io.lorafab.provisioning.label.QrImage;
import io.lorafab.provisioning.label.Zpl;
import io.lorafab.provisioning.label.ZplLayout;
import io.lorafab.provisioning.service.Labels;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Unit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab labels} (a work order's label sheet) and {@code lorafab qr} (one unit's QR code). */
final class LabelsCommand {
    private LabelsCommand() {
    }

    @Command(name = "labels", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Render a work order's labels (TR005 QR code, DevEUI, serial, product):",
                    "FILE.pdf for an A4 sheet, FILE.zpl for a Zebra printer."})
    static final class Sheet extends RegistryCommand {

        @Option(names = "--order", required = true, paramLabel = "REF", description = "the work order")
        String order;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.pdf or FILE.zpl")
        Path outFile;

        @Option(names = "--all-states", description = "label every unit of the order, also those not (yet) PASSED: FAILED, VOID, "
                + "RESERVED, PROGRAMMED (default: PASSED units only)")
        boolean allStates;

        @Option(names = "--label-size", paramLabel = "WxH", defaultValue = "70x37", description = "label size in mm (default: ${DEFAULT-VALUE}; the PDF sheet is A4 3x8 at the default)")
        String labelSize;

        @Option(names = "--dpi", defaultValue = "203", paramLabel = "DPI", description = "ZPL printer resolution: 203, 300 or 600 (default: ${DEFAULT-VALUE})")
        int dpi;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            String name = outFile.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".pdf") && !name.endsWith(".zpl")) {
                throw new LorafabCommand.UserException("--out: the file must end in .pdf or .zpl");
            }
            double[] size = LabelLayout.parseSizeMm(labelSize);
            Labels.Sheet sheet;
            try {
                sheet = lf.labels().forOrder(lf.workOrders().byReference(order).id(), allStates);
            } catch (StoreException e) {
                throw e.code() == ErrorCode.NOTHING_TO_PRINT && !allStates
                        ? new LorafabCommand.UserException(e.getMessage() + " (--all-states labels the others too)") : e;
            }
            List<LabelData> labels = sheet.labels();
            byte[] bytes = name.endsWith(".pdf")
                    ? LabelSheet.pdf(labels, size[0] == 70 && size[1] == 37 ? LabelLayout.A4_3X8
                            : LabelLayout.centered(size[0], size[1], (int) (190 / size[0]), (int) (277 / size[1])))
                    : Zpl.zpl(labels, ZplLayout.of(size[0], size[1], dpi)).getBytes(StandardCharsets.UTF_8);
            write(outFile, bytes);
            out.println("wrote " + labels.size() + " label(s) to " + outFile
                    + (sheet.notPassed().isEmpty() ? "" : ", of which not PASSED: " + sheet.notPassedText()));
            return 0;
        }
    }

    @Command(name = "qr", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write one unit's TR005 QR code as FILE.png or FILE.svg, and print its TR005 string.")
    static final class Qr extends RegistryCommand {

        @Option(names = "--dev-eui", required = true, paramLabel = "EUI", description = "the unit")
        String devEui;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg")
        Path outFile;

        @Option(names = "--module-pixels", defaultValue = "8", paramLabel = "N", description = "PNG pixels per QR module (default: ${DEFAULT-VALUE})")
        int modulePixels;

        @Option(names = "--any-state", description = "also for a unit that FAILED or is VOID (refused without it)")
        boolean anyState;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            String name = outFile.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".png") && !name.endsWith(".svg")) {
                throw new LorafabCommand.UserException("--out: the file must end in .png or .svg");
            }
            Eui64 eui = Args.eui("--dev-eui", devEui);
            Unit u = lf.provisioning().unit(eui);
            LabelData label;
            try {
                label = lf.labels().labelOf(u, anyState);
            } catch (StoreException e) {
                throw e.code() == ErrorCode.UNIT_FAILED || e.code() == ErrorCode.UNIT_VOID
                        ? new LorafabCommand.UserException(e.getMessage() + " (--any-state)") : e;
            }
            if (Labels.needsExplicitRequest(u.state())) {
                spec.commandLine().getErr().println("note: unit " + u.devEui() + " is " + u.state()
                        + ": this code is for a unit that has not passed");
            }
            byte[] bytes = name.endsWith(".png") ? QrImage.png(label.tr005(), modulePixels)
                    : QrImage.svg(label.tr005()).getBytes(StandardCharsets.UTF_8);
            write(outFile, bytes);
            out.println(label.tr005());
            return 0;
        }
    }

    static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw Args.cannotWrite(file, e);
        }
    }
}
