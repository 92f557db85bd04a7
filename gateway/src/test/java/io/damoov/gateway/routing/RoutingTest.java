package io.damoov.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.RecordedRequest;
import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RoutingTest extends GatewayTest {

    @Test
    void shouldForwardAUserRouteWithTheCallersDamoovUserJwt() {
        // Given
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);

        // When
        as(token).get("/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31").then()
                .statusCode(200)
                .header("X-Request-Id", notNullValue());

        // Then
        RecordedRequest seen = sandbox.last("data");
        assertThat(seen.identity()).isEqualTo(deviceToken);
        assertThat(seen.path()).isEqualToIgnoringCase("/api/indicators/v3/Statistics");
        assertThat(seen.query()).isEqualTo("StartDate=2026-01-01&EndDate=2026-01-31");
        assertThat(seen.headers().get("Authorization")).startsWith("Bearer ").doesNotContain(token);
    }

    @Test
    void shouldForwardAnAdminRouteWithTheTenantAdminJwtForManagers() {
        String manager = managerToken("acme", newSubject());
        String driver = userToken("acme", newSubject());
        String driverDeviceToken = enroll(driver);

        as(manager).get("/api/indicators/admin/v3/Statistics?UserId=" + driverDeviceToken).then().statusCode(200);

        assertThat(sandbox.last("data").identity()).isEqualTo("admin@acme.example");
        int logins = sandbox.calls("login.admin");
        assertThat(logins).isLessThanOrEqualTo(1); // 0 when an earlier test already logged the admin in
        // the admin token is cached: further calls cost no login
        as(manager).get("/api/indicators/admin/v3/Statistics?UserId=" + driverDeviceToken).then().statusCode(200);
        assertThat(sandbox.calls("login.admin")).isEqualTo(logins);
    }

    @Test
    void shouldRefuseAnAdminRouteToCallersWithoutTheManagerRole() {
        as(userToken("acme", newSubject())).get("/api/indicators/admin/v3/Statistics").then().statusCode(403)
                .body("type", equalTo("urn:damoov-gateway:problem:forbidden"));
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldForwardADeviceRouteWithDeviceTokenHeadersAndNoJwt() {
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);

        as(token).get("/leaderboard/v1/Leaderboard?ScoringRate=6").then().statusCode(200)
                .body("Result.Users.DeviceToken", hasItem(deviceToken));

        RecordedRequest seen = sandbox.last("data");
        assertThat(seen.headers().get("DeviceToken")).isEqualTo(deviceToken);
        assertThat(seen.headers().get("InstanceId")).isEqualTo("acme-instance");
        assertThat(seen.headers().get("InstanceKey")).isNotBlank();
        assertThat(seen.headers().get("Authorization")).isNull();
    }

    @Test
    void shouldDenyDamoovAuthAndRegistrationPaths() {
        String token = userToken("acme", newSubject());
        as(token).body("{}").contentType("application/json").post("/user/v1/Auth/Login").then().statusCode(403)
                .contentType("application/problem+json");
        as(token).body("{}").contentType("application/json").post("/user/v1/registration/CREATE").then()
                .statusCode(403);
        as(token).get("/user/v1/Management/users/find?Email=x").then().statusCode(403);
        assertThat(sandbox.calls("login")).isZero();
        assertThat(sandbox.calls("register")).isLessThanOrEqualTo(1);
    }

    @Test
    void shouldAnswer404WhenNoRouteMatches() {
        String token = userToken("acme", newSubject());
        as(token).get("/nowhere/v1/x").then().statusCode(404)
                .body("type", equalTo("urn:damoov-gateway:problem:not-found"));
        as(token).get("/api/unknown/path").then().statusCode(404);
    }

    @Test
    void shouldServeTheOwnProfileWithTheUserJwt() {
        String token = userToken("acme", newSubject());
        String deviceToken = enroll(token);
        as(token).get("/user/v1/Management/users").then().statusCode(200)
                .body("Result.DeviceToken", equalTo(deviceToken));
    }
}
