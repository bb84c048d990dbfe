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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals are audited at most N a minute per key, and the first one after a gap tells how many were left out. */
class ThrottledAuditTest {

    @TempDir
    Path dataDir;

    @Test
    void aFloodOfRefusalsLeavesNRecordsAMinuteAndTheNextCountsTheRest() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try (Lorafab lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC())) {
            ThrottledAudit audit = new ThrottledAudit(lf.registry(), 3, clock, n -> "; " + n + " more like it were not audited since the one before");
            int written = 0;
            for (int i = 0; i < 10; i++) {
                written += audit.audit("bi:000042/UnknownDevEUI", "bi:000042", "bi.join_refused", "dev-" + i, "result=UnknownDevEUI") ? 1 : 0;
            }
            assertThat(written).isEqualTo(3);
            assertThat(audit.audit("bi:000013/UnknownDevEUI", "bi:000013", "bi.join_refused", "dev", "result=UnknownDevEUI"))
                    .as("another key has its own allowance").isTrue();

            clock.advance(Duration.ofSeconds(61));
            assertThat(audit.audit("bi:000042/UnknownDevEUI", "bi:000042", "bi.join_refused", "dev-10", "result=UnknownDevEUI")).isTrue();
            List<AuditEvent> log = lf.registry().auditLog(20);
            assertThat(log.get(0).details()).isEqualTo("result=UnknownDevEUI; 7 more like it were not audited since the one before");
            assertThat(log).hasSize(5);
        }
    }
}
