package io.damoov.gateway.sandbox;

import java.util.Set;
import java.util.function.Function;

import io.damoov.gateway.sandbox.SandboxTokens.Principal;

/**
 * One endpoint of the simulated Damoov API.
 *
 * @param name specific counter key (e.g. "trips"); also a key for failNext
 * @param group counter group: "login", "refresh", "register" or "data"
 * @param auth credential the endpoint wants
 * @param methods allowed methods (upper case)
 * @param identify for {@link Auth#NONE} endpoints: identity and an extra counter key from the request
 * @param handler the normal answer, given a checked caller (null for {@link Auth#NONE})
 */
record SandboxRoute(String name, String group, Auth auth, Set<String> methods, Function<Exchange, Ident> identify,
        Handler handler) {

    enum Auth {
        NONE,
        USER_JWT,
        ADMIN_JWT,
        DEVICE_TOKEN
    }

    /** Identity of a request and an optional extra counter key. */
    record Ident(String identity, String extraKey) {
        static final Ident NONE = new Ident(null, null);
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Exchange exchange, Principal caller);
    }

    /** Thrown by handlers for a 422 answer. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String key;

        Invalid(String key, String message) {
            super(message, null, false, false);
            this.key = key;
        }
    }

    boolean tokenEndpoint() {
        return !"data".equals(group);
    }
}
