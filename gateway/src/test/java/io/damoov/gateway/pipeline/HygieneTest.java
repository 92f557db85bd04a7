package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.sandbox.RecordedRequest;
import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
class HygieneTest extends GatewayTest {

    @Test
    void shouldStripSpoofedDamoovHeadersAndClientCredentials() {
        String token = userToken("acme", newSubject());
        String mine = enroll(token);
        String victim = enroll(userToken("acme", newSubject()));

        as(token).header("DeviceToken", victim).header("UserDeviceToken", victim).header("InstanceId", "evil")
                .header("InstanceKey", "evil-key").header("Cookie", "session=abc")
                .header("Connection", "close, X-Secret").header("X-Secret", "hop")
                .get("/leaderboard/v1/Leaderboard/user").then().statusCode(200);

        RecordedRequest seen = sandbox.last("data");
        assertThat(seen.identity()).isEqualTo(mine);
        assertThat(seen.headers().getAll("DeviceToken")).containsExactly(mine);
        assertThat(seen.headers().get("UserDeviceToken")).isNull();
        assertThat(seen.headers().get("InstanceId")).isEqualTo("acme-instance");
        assertThat(seen.headers().get("Cookie")).isNull();
        assertThat(seen.headers().get("X-Secret")).isNull();
    }

    @Test
    void shouldForceUserIdentifiersToTheCallersOwnOnUserRoutes() {
        String token = userToken("acme", newSubject());
        String mine = enroll(token);
        String victim = enroll(userToken("acme", newSubject()));

        as(token).get("/api/statistics/v1/Scorings/individual?deviceToken=" + victim + "&UserId=" + victim
                + "&startDate=2026-01-01").then().statusCode(200)
                .body("Result.DeviceToken", equalTo(mine));

        assertThat(sandbox.last("data").query()).doesNotContain(victim).contains("deviceToken=" + mine)
                .contains("UserId=" + mine).contains("startDate=2026-01-01");
    }

    @Test
    void shouldForceIdentifiersInJsonBodiesOnDeviceRoutes() {
        String token = userToken("acme", newSubject());
        String mine = enroll(token);
        String victim = enroll(userToken("acme", newSubject()));

        as(token).contentType("application/json").body("{\"name\":\"car\",\"UserId\":\"" + victim + "\"}")
                .post("/carservice/v1/Vehicles").then().statusCode(200);

        assertThat(sandbox.last("data").body()).doesNotContain(victim).contains(mine).contains("\"name\":\"car\"");
    }

    @Test
    void shouldRefuseAForeignTenantsDeviceTokenOnAnAdminRoute() {
        String manager = managerToken("acme", newSubject());
        String globexUser = enroll(userToken("globex", newSubject()));
        String acmeUser = enroll(userToken("acme", newSubject()));

        as(manager).get("/api/indicators/admin/v3/Statistics?UserId=" + globexUser).then().statusCode(403)
                .body("type", equalTo("urn:damoov-gateway:problem:foreign-identifier"));
        as(manager).contentType("application/json")
                .body("{\"Identifiers\":{\"UserId\":\"" + globexUser + "\"},\"StartDate\":\"2026-01-01\"}")
                .post("/api/trips/get/admin/v1").then().statusCode(403);
        as(manager).contentType("application/json")
                .body("{\"Identifiers\":{\"UserId\":\"" + acmeUser + "\"},\"StartDate\":\"2026-01-01\"}")
                .post("/api/trips/get/admin/v1").then().statusCode(200);
        assertThat(sandbox.last("data").body()).contains(acmeUser);
    }

    @Test
    void shouldNormalisePathsBeforeRouting() {
        String driver = userToken("acme", newSubject());
        enroll(driver);
        // traversal from a user route into an admin route is routed as the admin route: a driver is refused
        assertThat(RawHttp.status("GET", "/api/trips/get/v1/../admin/v1", driver)).isEqualTo(403);
        assertThat(RawHttp.status("GET", "/api/trips/get/v1/%2e%2e/admin/v1", driver)).isEqualTo(403);
        assertThat(RawHttp.status("GET", "/api/indicators/v3/%2E%2E/admin/v3/Statistics", driver))
                .isEqualTo(403);
        // case tricks and doubled slashes do not escape the deny rules
        assertThat(RawHttp.status("GET", "/USER//v1/AUTH/login", driver)).isEqualTo(403);
        assertThat(RawHttp.status("GET", "/user/v1/%41uth/Login", driver)).isEqualTo(403);
        // encoded slashes and climbing above the root are refused outright
        assertThat(RawHttp.status("GET", "/api/trips%2Fget%2Fadmin/v1", driver)).isEqualTo(400);
        assertThat(RawHttp.status("GET", "/api/../../etc/passwd", driver)).isEqualTo(400);
        // a normalised user path still works
        assertThat(RawHttp.status("GET", "/api//indicators/./v3/Statistics", driver)).isEqualTo(200);
        assertThat(sandbox.calls("login.admin")).isZero();
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413() {
        String token = userToken("acme", newSubject());
        enroll(token);
        byte[] big = new byte[65 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        as(token).contentType("application/octet-stream").body(big).post("/carservice/v1/Vehicles").then()
                .statusCode(413).contentType("application/problem+json");
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldEchoAValidRequestIdAndReplaceAnInvalidOne() {
        String token = userToken("acme", newSubject());
        enroll(token);
        as(token).header("X-Request-Id", "abc-123").get("/api/indicators/v3/Statistics").then()
                .header("X-Request-Id", "abc-123");
        assertThat(sandbox.last("data").headers().get("X-Request-Id")).isEqualTo("abc-123");
        String replaced = as(token).header("X-Request-Id", "bad id <script>").get("/api/indicators/v3/Statistics")
                .then().extract().header("X-Request-Id");
        assertThat(replaced).isNotEqualTo("bad id <script>").matches("[0-9a-f-]{36}");
        RestAssured.get("/api/x").then().statusCode(401).header("X-Request-Id", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldAnswer504WhenDamoovIsTooSlow() {
        String token = userToken("acme", newSubject());
        enroll(token);
        sandbox.settings().setDataLatency(java.time.Duration.ofSeconds(8));
        as(token).get("/api/indicators/v3/Statistics").then().statusCode(504)
                .body("type", equalTo("urn:damoov-gateway:problem:gateway-timeout"));
    }
}
