package io.lorafab.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.provisioning.service.ConsoleSessions.Ended;
import io.lorafab.provisioning.service.ConsoleSessions.Opened;
import io.lorafab.provisioning.service.ConsoleSessions.Refused;
import io.lorafab.store.model.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSessionsTest {
    @TempDir
    Path dir;
    ServiceFixture f;
    ConsoleSessions sessions;
    ApiTokens.Created engineer;

    @BeforeEach
    void open() {
        f = new ServiceFixture(dir, Instant.parse("2026-05-04T06:00:00Z"));
        sessions = new ConsoleSessions(f.registry, f.tokens, f.clock, f.random);
        engineer = f.tokens.create("line-eng", Role.ENGINEER, "test");
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aTokenSecretOpensASessionForItsHolderAndIsAuditedWithoutSecrets() {
        Opened o = sessions.signIn(engineer.secret());
        var resumed = sessions.resume(o.sessionId());
        assertThat(resumed.ok()).isTrue();
        assertThat(resumed.session().principal()).isEqualTo(new ConsoleSessions.Principal(engineer.token().id(), "line-eng", Role.ENGINEER));
        assertThat(resumed.session().csrfSecret()).isNotBlank().isNotEqualTo(o.sessionId());
        var audit = f.last("console.sign_in");
        assertThat(audit.subject()).isEqualTo("token:" + engineer.token().id());
        assertThat(audit.toString()).doesNotContain(engineer.secret()).doesNotContain(o.sessionId());
        assertThat(o.toString()).doesNotContain(o.sessionId());
        assertThat(f.registry.consoleSession(o.sessionId())).isEmpty(); // stored by hash only
    }

    @Test
    void aWrongOrNetworkServerTokenIsRefusedInWords() {
        assertThatThrownBy(() -> sessions.signIn("lft_nope")).isInstanceOf(Refused.class).hasMessage("that token is not known or has been revoked");
        assertThatThrownBy(() -> sessions.signIn(" ")).isInstanceOf(Refused.class).hasMessageContaining("enter an API token");
        var ns = f.tokens.create("ns:000013", Role.NETWORK_SERVER, "test");
        assertThatThrownBy(() -> sessions.signIn(ns.secret())).isInstanceOf(Refused.class).hasMessageContaining("network-server");
    }

    @Test
    void aSessionEndsAfterEightIdleHours() {
        Opened o = sessions.signIn(engineer.secret());
        f.clock.advance(Duration.ofHours(7));
        assertThat(sessions.resume(o.sessionId()).ok()).isTrue(); // this use restarts the idle time
        f.clock.advance(Duration.ofHours(7).plusMinutes(59));
        assertThat(sessions.resume(o.sessionId()).ok()).isTrue();
        f.clock.advance(Duration.ofHours(8));
        assertThat(sessions.resume(o.sessionId()).ended()).isEqualTo(Ended.EXPIRED);
        assertThat(sessions.resume(o.sessionId()).ended()).isEqualTo(Ended.NONE); // deleted
    }

    @Test
    void aSessionEndsTwentyFourHoursAfterSignInHoweverBusy() {
        Opened o = sessions.signIn(engineer.secret());
        for (int i = 0; i < 23; i++) {
            f.clock.advance(Duration.ofHours(1));
            assertThat(sessions.resume(o.sessionId()).ok()).isTrue();
        }
        f.clock.advance(Duration.ofMinutes(59));
        assertThat(sessions.resume(o.sessionId()).ok()).isTrue();
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(sessions.resume(o.sessionId()).ended()).isEqualTo(Ended.EXPIRED);
    }

    @Test
    void revokingTheTokenEndsItsSessionsOnTheirNextRequest() {
        Opened a = sessions.signIn(engineer.secret());
        Opened b = sessions.signIn(engineer.secret());
        f.tokens.revoke(engineer.token().id(), "test");
        assertThat(sessions.resume(a.sessionId()).ended()).isEqualTo(Ended.REVOKED);
        assertThat(sessions.resume(b.sessionId()).ended()).isEqualTo(Ended.NONE);
    }

    @Test
    void signingOutEndsTheSessionAndIsAudited() {
        Opened o = sessions.signIn(engineer.secret());
        sessions.signOut(o.sessionId());
        assertThat(sessions.resume(o.sessionId()).ok()).isFalse();
        assertThat(f.last("console.sign_out").actor()).isEqualTo("token:" + engineer.token().id() + ":line-eng");
        sessions.signOut(o.sessionId()); // twice: nothing more
        assertThat(f.registry.auditLog(100).stream().filter(e -> e.action().equals("console.sign_out")).count()).isEqualTo(1);
    }

    @Test
    void aOneTimeCodeSignsInOnceWithinFifteenMinutes() {
        String code = sessions.createSignInCode(engineer.token().id(), "demo");
        assertThat(sessions.codeUsable(code)).isTrue();
        assertThat(sessions.codeUsable(code)).isTrue(); // looking does not use it
        Opened o = sessions.signInWithCode(code);
        assertThat(sessions.resume(o.sessionId()).session().principal().role()).isEqualTo(Role.ENGINEER);
        assertThat(sessions.codeUsable(code)).isFalse();
        assertThatThrownBy(() -> sessions.signInWithCode(code)).isInstanceOf(Refused.class).hasMessageContaining("used or has expired");

        String late = sessions.createSignInCode(engineer.token().id(), "demo");
        f.clock.advance(Duration.ofMinutes(15));
        assertThatThrownBy(() -> sessions.signInWithCode(late)).isInstanceOf(Refused.class);
        assertThat(f.last("console.sign_in_code").toString()).doesNotContain(code).doesNotContain(late);
    }

    @Test
    void aCodeIsMadeOnlyForAnActiveTokenAndDiesWithIt() {
        assertThatThrownBy(() -> sessions.createSignInCode(9999, "demo")).isInstanceOf(Refused.class).hasMessage("no active token 9999");
        String code = sessions.createSignInCode(engineer.token().id(), "demo");
        f.tokens.revoke(engineer.token().id(), "test");
        assertThat(sessions.codeUsable(code)).isFalse();
        assertThatThrownBy(() -> sessions.createSignInCode(engineer.token().id(), "demo")).isInstanceOf(Refused.class);
    }

    @Test
    void theCsrfSecretIsCheckedExactly() {
        var s = sessions.resume(sessions.signIn(engineer.secret()).sessionId()).session();
        assertThat(ConsoleSessions.csrfMatches(s, s.csrfSecret())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(s, s.csrfSecret() + "x")).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, null)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, "")).isFalse();
    }
}
