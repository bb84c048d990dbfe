package io.lorafab.app.http;

import io.lorafab.joinserver.ThrottledAudit;
import io.lorafab.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.model.AuditEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refused requests (401 and 403) are audited at most ten a minute per address; the next one audited counts the rest. */
class RefusalAuditTest {
    @TempDir
    Path dataDir;

    @Test
    void unauthenticatedAndForbiddenShareOneBudgetPerAddressAndTheNextAuditedOneCountsThoseLeftOut() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try (Lorafab lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC())) {
            ThrottledAudit audit = ApiServer.refusalAudit(lf.registry(), clock);
            for (int i = 0; i < 15; i++) {
                audit.audit("10.0.0.1", "token:1:line", "auth.forbidden", "GET /api/audit", "role=operator needs=admin");
            }
            for (int i = 0; i < 5; i++) {
                audit.audit("10.0.0.1", "anonymous@10.0.0.1", "auth.unauthenticated", "GET /api/units", "no token");
            }
            audit.audit("10.0.0.2", "anonymous@10.0.0.2", "auth.unauthenticated", "GET /api/units", "no token");
            assertThat(rows(lf)).hasSize(11); // ten from the sweeping address, one from the other

            clock.advance(Duration.ofSeconds(61));
            audit.audit("10.0.0.1", "anonymous@10.0.0.1", "auth.unauthenticated", "GET /api/units", "no token");
            List<AuditEvent> rows = rows(lf);
            assertThat(rows).hasSize(12);
            assertThat(rows.get(rows.size() - 1).details()).isEqualTo("no token; 10 more refused from this address were not audited");
        }
    }

    private static List<AuditEvent> rows(Lorafab lf) {
        return lf.registry().auditLog(1000).stream().filter(a -> a.action().startsWith("auth."))
                .sorted(Comparator.comparingLong(AuditEvent::id)).toList();
    }
}
