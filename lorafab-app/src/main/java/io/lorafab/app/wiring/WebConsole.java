package io.lorafab.app.wiring;

import io.lorafab.app.http.ApiServer;
import io.lorafab.console.Console;

/** Puts the web console ({@code /console/}) on an API server, over the same services as the API. */
public final class WebConsole {
    private WebConsole() {
    }

    /** The console on {@code api} (before it starts), reading {@code lf}'s services. */
    public static Console install(ApiServer api, Lorafab lf) {
        Console console = new Console(new Console.Services(lf.products(), lf.euiBlocks(), lf.workOrders(), lf.provisioning(),
                lf.tokens(), lf.keys(), lf.auditTrail(), lf.consoleSessions(), lf.exports(),
                ExportKeks.forExports(lf.env(), lf.dataDir()), lf.reports(), lf.stationSteps(), lf.lineEvents()),
                lf.clock());
        api.extend(console::configure);
        return console;
    }
}
