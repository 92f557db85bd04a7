package io.damoov.gateway.routing;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The shipped route table (docs/routing.md), used when {@code gateway.routes} is not configured. Order
 * matters: first match wins, so narrow admin and deny rules stand before the wide user rules.
 */
final class DefaultRoutes {

    private DefaultRoutes() {
    }

    static List<Route> routes() {
        Optional<String> manager = Optional.of("manager");
        Set<String> any = Set.of();
        return List.of(
                // user.telematicssdk.com: auth and registration are the gateway's own business
                Route.compile("user", "/v1/Auth/**", any, CredentialKind.DENY, Optional.empty()),
                Route.compile("user", "/v1/Registration/**", any, CredentialKind.DENY, Optional.empty()),
                Route.compile("user", "/v1/Management/users", Set.of("GET", "PUT"), CredentialKind.USER,
                        Optional.empty()),
                Route.compile("user", "/**", any, CredentialKind.DENY, Optional.empty()),
                // api.telematicssdk.com: admin views for the tenant's managers
                Route.compile("api", "/trips/get/admin/**", any, CredentialKind.ADMIN, manager),
                Route.compile("api", "/indicators/admin/**", any, CredentialKind.ADMIN, manager),
                Route.compile("api", "/statistics/v1/**/accumulated**", any, CredentialKind.ADMIN, manager),
                Route.compile("api", "/statistics/v1/**/consolidated**", any, CredentialKind.ADMIN, manager),
                // api.telematicssdk.com: the user's own data
                Route.compile("api", "/trips/get/v1/**", any, CredentialKind.USER, Optional.empty()),
                Route.compile("api", "/indicators/v*/**", any, CredentialKind.USER, Optional.empty()),
                Route.compile("api", "/statistics/v1/**/individual**", any, CredentialKind.USER, Optional.empty()),
                // mobilesdk: DriveCoins with the user JWT, legacy tracks with the DeviceToken header
                Route.compile("mobilesdk", "/api/rewarding/**", any, CredentialKind.USER, Optional.empty()),
                Route.compile("mobilesdk", "/mobilesdk/stage/**", any, CredentialKind.DEVICE, Optional.empty()),
                // DeviceToken-header services
                Route.compile("leaderboard", "/v1/Leaderboard/**", any, CredentialKind.DEVICE, Optional.empty()),
                Route.compile("carservice", "/v1/Vehicles/**", any, CredentialKind.DEVICE, Optional.empty()));
    }
}
