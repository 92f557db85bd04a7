package io.damoov.gateway.enrollment;

import java.time.Clock;
import java.time.Instant;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.damoov.gateway.audit.AuditContext;
import io.damoov.gateway.audit.AuditLog;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.metrics.GatewayMetrics;
import io.damoov.gateway.store.Mappings;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.token.DamoovAuthClient;
import io.damoov.gateway.token.TokenService;

/**
 * One registration at Damoov (blocking; the holder of a new user's enrolment claim calls it, outside any transaction): asks for
 * tokens with the account so that a new user costs no login, keeps them ({@link TokenService#adopt}), and records
 * the enrolment with its outcome.
 */
@Singleton
public class Registration {

    private static final Logger LOG = Logger.getLogger(Registration.class);

    private final DamoovAuthClient damoov;
    private final TokenService tokens;
    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;

    public Registration(DamoovAuthClient damoov, TokenService tokens, AuditLog audit, GatewayMetrics metrics,
            Clock clock) {
        this.damoov = damoov;
        this.tokens = tokens;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Registers {@code caller} with the claim's proposed DeviceToken; returns the DeviceToken Damoov keeps. A resumed
     * claim whose registration Damoov refuses may be one whose account Damoov made while the answer was lost (a
     * timeout, a frozen or killed replica): a login with the proposed DeviceToken tells, and if it succeeds the account
     * is the user's, at the cost of that one login.
     */
    String register(Tenant tenant, Caller caller, Mappings.Claimed claim, Instant deadline, AuditContext ctx) {
        long started = clock.millis();
        String proposed = claim.proposed();
        try {
            DamoovAuthClient.AuthResult result = damoov.register(tenant, proposed, caller.subject(), deadline);
            String deviceToken = result.deviceToken() != null ? result.deviceToken() : proposed;
            if (result.token() != null) {
                tokens.adopt(TokenKey.user(tenant.id(), deviceToken), result.token());
            }
            metrics.enrollment(tenant.id(), "success");
            record(tenant, caller, ctx, Fingerprint.of(deviceToken), 200, clock.millis() - started, null);
            return deviceToken;
        } catch (DamoovAuthClient.Refused e) {
            if (claim.resumed() && mayBeRegisteredAlready(e) && registeredEarlier(tenant, proposed, ctx)) {
                metrics.enrollment(tenant.id(), "success");
                record(tenant, caller, ctx, Fingerprint.of(proposed), e.status, clock.millis() - started,
                        "registration-resumed");
                return proposed;
            }
            metrics.enrollment(tenant.id(), "failure");
            record(tenant, caller, ctx, null, e.status, clock.millis() - started, "registration-refused");
            throw new GatewayException(ProblemType.UPSTREAM_CREDENTIALS, "registration-refused",
                    "Damoov refused to register the user (HTTP " + e.status + ")");
        } catch (DamoovAuthClient.Unavailable e) {
            metrics.enrollment(tenant.id(), "failure");
            record(tenant, caller, ctx, null, 0, clock.millis() - started, "registration-unavailable");
            if (e.type != ProblemType.BAD_GATEWAY && e.type != ProblemType.GATEWAY_TIMEOUT) {
                throw new GatewayException(e.type, "registration-" + e.type.slug(), e.type.title(), e.retryAfter);
            }
            throw e.timeout
                    ? new GatewayException(ProblemType.GATEWAY_TIMEOUT, "registration-timeout",
                            "Damoov did not answer the registration in time")
                    : new GatewayException(ProblemType.BAD_GATEWAY, "registration-unavailable",
                            "Damoov's registration service could not be reached");
        }
    }

    /** Damoov's own refusal of the request's content (a DeviceToken that exists is one), not of the caller. */
    private static boolean mayBeRegisteredAlready(DamoovAuthClient.Refused e) {
        return e.envelope && (e.status == 400 || e.status == 409 || e.status == 422);
    }

    /**
     * True when a login with {@code proposed} succeeds: Damoov registered it for an earlier claim. The token the login
     * brings is kept, so the user's first call needs none.
     */
    private boolean registeredEarlier(Tenant tenant, String proposed, AuditContext ctx) {
        try {
            tokens.obtainNow(TokenKey.user(tenant.id(), proposed), ctx);
            LOG.infof("A resumed enrolment of tenant %s found its account at Damoov (the earlier answer was lost)",
                    tenant.id());
            return true;
        } catch (GatewayException e) {
            if (e.type() != ProblemType.UPSTREAM_CREDENTIALS) {
                throw e; // no answer yet (budget spent, store or Damoov unavailable): the caller tries again later
            }
            return false; // Damoov does not know the DeviceToken: the refusal stands
        }
    }

    private void record(Tenant tenant, Caller caller, AuditContext ctx, String fingerprint, int upstreamStatus,
            long latency, String reason) {
        audit.record(AuditRecord.of(AuditRecord.ENROLL).context(ctx).tenant(tenant.id()).subject(caller.subject())
                .principal(TokenKey.USER).tokenFingerprint(fingerprint).upstreamStatus(upstreamStatus)
                .latencyMs(latency).reason(reason).build(clock));
    }

}
