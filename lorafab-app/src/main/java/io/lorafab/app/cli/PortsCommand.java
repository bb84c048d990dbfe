package io.lorafab.app.cli;

import io.lorafab.station.at.SerialPorts;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lorafab ports}: the serial ports of this machine with their USB vendor and product IDs, to find the
 * fixture's adapter and the IDs for {@code lorafab station --port auto:VID:PID}.
 */
@Command(name = "ports", mixinStandardHelpOptions = true,
        description = {"List this machine's serial ports: name (what --port takes), USB vendor:product ID, serial number, description.",
                "The IDs go into 'lorafab station --port auto:VID:PID', which picks the one adapter that has them."})
public final class PortsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print a JSON array of {\"port\", \"usbVendorId\", \"usbProductId\", \"serialNumber\", \"description\"}")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<SerialPorts.Info> ports = SerialPorts.list();
        if (json) {
            Output.json(out, ports.stream().map(PortsCommand::view).toList());
        } else {
            Output.Table t = new Output.Table("PORT", "USB ID", "SERIAL", "DESCRIPTION");
            for (SerialPorts.Info p : ports) {
                t.row(p.name(), p.usb() ? p.usbId() : "-", p.serialNumber().isEmpty() ? "-" : p.serialNumber(),
                        p.description().isEmpty() ? "-" : p.description());
            }
            t.print(out);
            if (t.isEmpty()) {
                out.println("(no serial ports found)");
            }
        }
        out.flush();
        return 0;
    }

    /** USB IDs as four hex digits, as lsusb and Windows' Device Manager show them; null off USB. */
    private static Map<String, Object> view(SerialPorts.Info p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", p.name());
        m.put("usbVendorId", p.usb() ? p.usbId().substring(0, 4) : null);
        m.put("usbProductId", p.usb() ? p.usbId().substring(5) : null);
        m.put("serialNumber", p.serialNumber().isEmpty() ? null : p.serialNumber());
        m.put("description", p.description().isEmpty() ? null : p.description());
        return m;
    }
}
