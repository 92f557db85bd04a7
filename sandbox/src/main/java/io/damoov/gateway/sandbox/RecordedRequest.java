package io.damoov.gateway.sandbox;

import io.vertx.core.MultiMap;

/**
 * One request as the sandbox saw it.
 *
 * @param method HTTP method
 * @param path path as sent (not normalised)
 * @param query raw query string or null
 * @param headers a copy of the request headers (case-insensitive)
 * @param body the body as text ("" when empty)
 * @param identity the DeviceToken (users, DeviceToken-header endpoints) or e-mail (admins) of the credential used;
 *        the InstanceId header for registrations; null when none could be told
 */
public record RecordedRequest(String method, String path, String query, MultiMap headers, String body,
        String identity) {
}
