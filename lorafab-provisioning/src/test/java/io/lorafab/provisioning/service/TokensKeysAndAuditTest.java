package io.lorafab.provisioning.service;

import static io.lorafab.provisioning.service.ServiceFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.Role;
import io.lorafab.store.vault.KeyRotation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, KEKs and the audit trail's reading, on a real registry and key file. */
class TokensKeysAndAuditTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dir;

    ServiceFixture f;

    @BeforeEach
    void open() {
        f = new ServiceFixture(dir, NOW);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aTokenWithoutANameIsNamedAfterItsRoleAndTheNamingRuleAppliesToEveryCaller() {
        ApiTokens.Created c = f.tokens.create(null, Role.OPERATOR, ACTOR);
        assertThat(c.token().name()).isEqualTo("operator");
        AuditEvent e = f.last("token.create");
        assertThat(e.subject()).isEqualTo("token:" + c.token().id());
        assertThat(e.details()).isEqualTo("role=operator name=operator");
        assertThat(f.tokens.authenticate(c.secret())).isPresent();

        ApiTokens strict = new ApiTokens(f.registry, f.random, (role, name) -> {
            if (role == Role.NETWORK_SERVER && !name.matches("[0-9a-f]{6}")) {
                throw new LorawanFormatException("not a NetID: " + name);
            }
        });
        assertThatThrownBy(() -> strict.create("chirpstack", Role.NETWORK_SERVER, ACTOR)).hasMessage("not a NetID: chirpstack");
        assertThatThrownBy(() -> strict.create(" ", Role.ADMIN, ACTOR)).isInstanceOf(LorawanFormatException.class);
        assertThat(strict.create("000013", Role.NETWORK_SERVER, ACTOR).token().name()).isEqualTo("000013");
        assertThat(f.tokens.all()).hasSize(2);
    }

    @Test
    void aRevokedTokenStopsWorkingAndTheRevocationIsAudited() {
        ApiTokens.Created c = f.tokens.create("line-1", Role.OPERATOR, ACTOR);
        f.tokens.revoke(c.token().id(), ACTOR);
        assertThat(f.tokens.authenticate(c.secret())).isEmpty();
        assertThat(f.last("token.revoke").subject()).isEqualTo("token:" + c.token().id());
    }

    @Test
    void aTokenVerifiedAMomentAgoAndThenRevokedHereIsRefusedAtOnce() {
        long[] now = {0};
        ApiTokens tokens = new ApiTokens(f.registry, f.random, (role, name) -> { }, () -> now[0]);
        ApiTokens.Created c = tokens.create("line-1", Role.OPERATOR, ACTOR);
        assertThat(tokens.authenticate(c.secret())).isPresent(); // now held as verified
        now[0] += 1_000_000; // a millisecond later
        tokens.revoke(c.token().id(), ACTOR);
        assertThat(tokens.authenticate(c.secret())).isEmpty();
        assertThat(tokens.authenticate(c.secret())).isEmpty();
    }

    @Test
    void aTokenRevokedByAnotherProcessOnTheSameDatabaseIsRefusedHereOnceItsVerificationHasRunOut() {
        long[] now = {0};
        ApiTokens server = new ApiTokens(f.registry, f.random, (role, name) -> { }, () -> now[0]);
        ApiTokens cli = new ApiTokens(f.registry, f.random, (role, name) -> { });
        ApiTokens.Created c = server.create("line-1", Role.OPERATOR, ACTOR);
        assertThat(server.authenticate(c.secret())).isPresent();
        cli.revoke(c.token().id(), ACTOR);
        // the bound this server keeps to: within the verification's time it does not ask the database again
        now[0] += ApiTokens.VERIFIED_FOR_NANOS - 1;
        assertThat(server.authenticate(c.secret())).isPresent();
        now[0] += 1;
        assertThat(server.authenticate(c.secret())).isEmpty();
        assertThat(cli.authenticate(c.secret())).isEmpty();
    }

    @Test
    void anUnknownSecretIsAskedOfTheDatabaseEveryTimeAndATokenCreatedMeanwhileIsAccepted() {
        ApiTokens.Created c = f.tokens.create("line-1", Role.OPERATOR, ACTOR);
        String other = "lft_" + "B".repeat(43);
        assertThat(f.tokens.authenticate(other)).isEmpty();
        assertThat(f.tokens.authenticate(other)).isEmpty();
        assertThat(f.tokens.authenticate(c.secret())).isPresent();
        String s = c.secret();
        assertThat(f.tokens.authenticate(s.substring(0, 46) + (s.charAt(46) == 'x' ? 'y' : 'x'))).isEmpty();
    }

    @Test
    void aRotationWithoutALabelNamesTheKekAfterTheClocksSecondAndNeverReusesALabel() {
        KeyRotation.Result first = f.keys.rotate(null, ACTOR);
        assertThat(first.newLabel()).isEqualTo("kek-" + NOW.getEpochSecond());
        KeyRotation.Result second = f.keys.rotate(" ", ACTOR);
        assertThat(second.newLabel()).isEqualTo("kek-" + NOW.getEpochSecond() + "-2");
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(f.keys.rotate(null, ACTOR).newLabel()).isEqualTo("kek-" + (NOW.getEpochSecond() + 1));
        AuditEvent e = f.last("keys.rotate");
        assertThat(e.subject()).isEqualTo("kek:kek-" + (NOW.getEpochSecond() + 1));
        assertThat(e.details()).startsWith("previous=" + second.newLabel() + " rewrapped=");
        assertThatThrownBy(() -> f.keys.rotate(second.newLabel(), ACTOR)).isInstanceOfSatisfying(StoreException.class,
                x -> assertThat(x.code().code()).isEqualTo("duplicate"));
    }

    @Test
    void aRewrapIsAuditedUnderTheActiveKekWithItsCounts() {
        Keys.Rewrap r = f.keys.rewrap(ACTOR);
        assertThat(r.label()).isEqualTo(f.vault.activeLabel());
        AuditEvent e = f.last("keys.rewrap");
        assertThat(e.subject()).isEqualTo("kek:" + r.label());
        assertThat(e.details()).isEqualTo("rewrapped=0 units=0 sessions=0");
    }

    @Test
    void auditAgesCountBackFromTheServicesClockAndBlankFiltersFilterNothing() {
        f.tokens.create("a", Role.ADMIN, ACTOR);
        f.clock.advance(Duration.ofHours(2));
        f.tokens.create("b", Role.ADMIN, "other");
        List<AuditEvent> lastHour = f.audit.find(new AuditTrail.Filter(" ", "", null, "1h", null, null), n -> n);
        assertThat(lastHour).extracting(AuditEvent::actor).containsExactly("other");
        assertThat(f.audit.find(new AuditTrail.Filter(null, "token.*", null, "3h", null, null), n -> n)).hasSize(2);
        assertThat(f.audit.find(new AuditTrail.Filter(" test:* ", null, null, null, null, 1), n -> n))
                .extracting(AuditEvent::actor).containsExactly(ACTOR);
    }

    @Test
    void aBoundThatIsNotATimeIsNamedAsTheCallersUserNamesIt() {
        assertThatThrownBy(() -> f.audit.find(new AuditTrail.Filter(null, null, null, "yesterday", null, null), n -> "--" + n))
                .hasMessageStartingWith("--since: 'yesterday' is not a time");
        assertThatThrownBy(() -> f.audit.find(new AuditTrail.Filter(null, null, null, null, "soon", null), n -> n))
                .hasMessageStartingWith("until: 'soon' is not a time");
    }
}
