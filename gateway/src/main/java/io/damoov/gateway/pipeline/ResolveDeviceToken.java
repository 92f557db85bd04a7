package io.damoov.gateway.pipeline;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.routing.CredentialKind;
import io.vertx.core.Future;

/**
 * The caller's DeviceToken ({@link Enrollments}): from the cache, the store, or a registration at Damoov on first use
 * (one per user, across processes). Admin routes act for the tenant and skip it. A user the tenant does not enroll
 * automatically is denied.
 */
@Singleton
class ResolveDeviceToken implements Step {

    private final Enrollments enrollments;

    ResolveDeviceToken(Enrollments enrollments) {
        this.enrollments = enrollments;
    }

    @Override
    public Future<Void> apply(Exchange ex) {
        if (ex.route() != null && ex.route().credential() == CredentialKind.ADMIN) {
            return Future.succeededFuture();
        }
        return enrollments.mappingFor(ex.caller(), ex.auditContext()).transform(ar -> {
            if (ar.succeeded()) {
                ex.mapping(ar.result());
                return Future.succeededFuture();
            }
            GatewayException e = GatewayException.from(ar.cause());
            return e.type() == ProblemType.NOT_ENROLLED ? ex.deny(e) : Future.failedFuture(ar.cause());
        });
    }
}
