package io.lorafab.app.wiring;

import io.lorafab.api.model.GatewaysView;
import io.lorafab.app.http.ApiServer;
import io.lorafab.console.Console;
import java.util.function.Supplier;

/** Puts the web console ({@code /console/}) on an API server, over the same services as the API. */
public final class WebConsole {
    private WebConsole() {
    }

    /** The console on {@code api} (before it starts), reading {@code lf}'s services; its gateways page shows none. */
    public static Console install(ApiServer api, Lorafab lf) {
        return install(api, lf, () -> null);
    }

    /**
     * The console on {@code api} (before it starts), reading {@code lf}'s services and, for its gateways page, what
     * {@code gateways} gives ({@link JoinServerRuntime#gatewaysView()}; null: no gateway listener). It is asked at each
     * request, so the join server may be made after the console is installed.
     */
    public static Console install(ApiServer api, Lorafab lf, Supplier<GatewaysView> gateways) {
        Console console = new Console(new Console.Services(lf.products(), lf.euiBlocks(), lf.workOrders(), lf.provisioning(),
                lf.tokens(), lf.keys(), lf.auditTrail(), lf.consoleSessions(), lf.exports(),
                ExportKeks.forExports(lf.env(), lf.dataDir()), lf.reports(), lf.stationSteps(), lf.lineEvents(), lf.labels(), gateways),
                lf.clock());
        api.extend(console::configure);
        return console;
    }
}
