package io.lorafab.app.cli;

import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lorafab audit}: the audit trail, filtered by the database. It reads the database directly, with the
 * rights of whoever can open it (the database's owner); over HTTP the same filters are {@code GET /api/audit},
 * admin role only.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the audit trail, newest first: who did what to which subject, when.",
                "Filters combine; --actor and --action match exactly, or as a prefix when they end with '*'."},
        footer = {"", "Times: 2026-12-06T10:00:00Z, 2026-12-06 (00:00 UTC that day) or an age: 90m, 24h, 7d.",
                "--since is inclusive, --until exclusive.", "", "Examples:",
                "  lorafab audit --action 'work_order.*' --since 7d",
                "  lorafab audit --unit 70b3d57ed0001234 --json",
                "  lorafab audit --actor 'cli:*' --since 2026-12-01 --until 2026-12-02"})
final class AuditCommand extends RegistryCommand {

    @Option(names = "--actor", paramLabel = "A", description = "who: cli:<user>, token:<id>:<name>, ... (prefix with a trailing *)")
    String actor;

    @Option(names = "--action", paramLabel = "X", description = "what: unit.reserve, work_order.close, keys.export, ... (prefix with a trailing *)")
    String action;

    @Option(names = "--unit", paramLabel = "DEVEUI", description = "only the records of this unit")
    String unit;

    @Option(names = "--since", paramLabel = "T", description = "from this time on (inclusive)")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "before this time (exclusive)")
    String until;

    @Option(names = "--limit", paramLabel = "N", description = "at most N records, the newest (default ${DEFAULT-VALUE}, at most "
            + AuditQuery.MAX_LIMIT + ")", defaultValue = "" + AuditQuery.DEFAULT_LIMIT)
    int limit;

    @Option(names = "--json", description = "print a JSON array")
    boolean json;

    private Eui64 devEui;

    @Override
    void check() {
        devEui = Args.eui("--unit", unit);
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new LorafabCommand.UserException("--limit: must be 1.." + AuditQuery.MAX_LIMIT);
        }
        if (actor != null && actor.isBlank() || action != null && action.isBlank()) {
            throw new LorafabCommand.UserException((actor != null && actor.isBlank() ? "--actor" : "--action") + ": empty");
        }
    }

    @Override
    int run(Lorafab lf, PrintWriter out) {
        List<AuditEvent> events = lf.auditTrail().find(new AuditTrail.Filter(actor, action, devEui, since, until, limit),
                name -> "--" + name);
        if (json) {
            Output.json(out, events.stream().map(ApiViews::audit).toList());
            return 0;
        }
        Output.Table t = new Output.Table("ID", "AT", "ACTOR", "ACTION", "SUBJECT", "DETAILS").rightAligned(0);
        for (AuditEvent e : events) {
            t.row(e.id(), e.at(), e.actor(), e.action(), e.subject(), e.details());
        }
        t.print(out);
        return 0;
    }
}
