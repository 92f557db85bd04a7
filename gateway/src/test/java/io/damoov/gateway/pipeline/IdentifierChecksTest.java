package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The identifier checks leave no gap: arrays, nested objects, the aliases of docs/damoov-api.md §2.3, ASP.NET's
 * prefixed and indexed names, form and multipart bodies, a repeated Content-Type. Nothing reaches Damoov.
 */
@QuarkusTest
class IdentifierChecksTest extends GatewayTest {

    private static final String FOREIGN = "urn:damoov-gateway:problem:foreign-identifier";

    @Test
    void shouldRefuseForeignIdentifiersHiddenInJsonOnAdminRoutes() {
        String manager = managerToken("acme", newSubject());
        String foreign = enroll(userToken("globex", newSubject()));
        String own = enroll(userToken("acme", newSubject()));

        for (String body : new String[] {
                "{\"Identifiers\":{\"UserId\":[\"" + foreign + "\"]}}",
                "{\"Identifiers\":{\"UserId\":[\"" + own + "\",\"" + foreign + "\"]}}",
                "{\"Filter\":[{\"Users\":[{\"DeviceToken\":\"" + foreign + "\"}]}]}",
                "{\"DeviceId\":\"" + foreign + "\"}",
                "{\"deviceid\":[\"" + foreign + "\"]}",
                "{\"req.UserId\":\"" + foreign + "\"}",
                "{\"UserId[0]\":\"" + foreign + "\"}",
                "{\"Identifiers[UserId]\":\"" + foreign + "\"}",
                "{\"DeviceTokens\":[\"" + own + "\",\"" + foreign + "\"]}" }) {
            json(manager).body(body).post("/api/trips/get/admin/v1").then().statusCode(403)
                    .contentType("application/problem+json").body("type", equalTo(FOREIGN))
                    .header("X-Request-Id", notNullValue());
        }
        // a repeated key: the gateway and Damoov could read different values
        for (String body : new String[] { "{\"UserId\":\"" + own + "\",\"UserId\":\"" + foreign + "\"}",
                "{\"UserId\":\"" + foreign + "\",\"userid\":\"" + own + "\"}",
                "{\"UserId\":\"" + foreign + "\",\"UserId\":\"" + own + "\"}" }) {
            json(manager).body(body).post("/api/trips/get/admin/v1").then().statusCode(org.hamcrest.Matchers.oneOf(400, 403))
                    .contentType("application/problem+json");
        }
        // a second JSON value after the first, or trailing bytes: refused, not silently cut off
        for (String body : new String[] { "{\"UserId\":\"" + own + "\"} {\"UserId\":\"" + foreign + "\"}",
                "{\"UserId\":\"" + own + "\"}x" }) {
            json(manager).body(body).post("/api/trips/get/admin/v1").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:damoov-gateway:problem:bad-request"));
        }
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldRefuseForeignIdentifiersUnderAliasesAndPrefixedNamesInTheQuery() {
        String manager = managerToken("acme", newSubject());
        String foreign = enroll(userToken("globex", newSubject()));

        for (String query : new String[] { "DeviceId=" + foreign, "deviceid=" + foreign, "req.UserId=" + foreign,
                "req%2EUserId=" + foreign, "UserId%5B0%5D=" + foreign, "UserId[0]=" + foreign,
                "filter%5BDeviceToken%5D=" + foreign, "UserId=" + foreign.toUpperCase() }) {
            assertThat(RawHttp.status("GET", "/api/indicators/admin/v3/Statistics?" + query, manager))
                    .as(query).isEqualTo(403);
        }
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldForceArraysAliasesAndPrefixedNamesToTheCallersOwnOnUserRoutes() {
        String token = userToken("acme", newSubject());
        String mine = enroll(token);
        String victim = enroll(userToken("acme", newSubject()));

        json(token).body("{\"name\":\"car\",\"UserId\":[\"" + victim + "\"],\"Owner\":{\"DeviceId\":\"" + victim
                + "\"},\"req.DeviceToken\":\"" + victim + "\"}").post("/carservice/v1/Vehicles").then()
                .statusCode(200);
        assertThat(sandbox.last("data").body()).doesNotContain(victim).contains(mine).contains("\"name\":\"car\"");

        assertThat(RawHttp.status("GET", "/api/statistics/v1/Scorings/individual?DeviceId=" + victim
                + "&req.UserId=" + victim + "&UserId%5B0%5D=" + victim + "&startDate=2026-01-01", token))
                .isEqualTo(200);
        assertThat(sandbox.last("data").query()).doesNotContain(victim).contains("startDate=2026-01-01");
    }

    @Test
    void shouldRefuseFormAndMultipartBodiesWith415() {
        String manager = managerToken("acme", newSubject());
        String user = userToken("acme", newSubject());
        enroll(user);
        String foreign = enroll(userToken("globex", newSubject()));

        as(manager).contentType("application/x-www-form-urlencoded").body("UserId=" + foreign)
                .post("/api/trips/get/admin/v1").then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("urn:damoov-gateway:problem:unsupported-media-type"))
                .header("X-Request-Id", notNullValue());
        as(manager).multiPart("UserId", foreign).post("/api/trips/get/admin/v1").then().statusCode(415);
        as(user).multiPart("UserId", foreign).post("/carservice/v1/Vehicles").then().statusCode(415);
        as(user).contentType("text/plain").body("{\"UserId\":\"" + foreign + "\"}").post("/carservice/v1/Vehicles")
                .then().statusCode(415);
        // a content type that merely mentions json is not json
        as(user).contentType("multipart/form-data; boundary=json")
                .body("--json--".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).post("/carservice/v1/Vehicles")
                .then().statusCode(415);
        assertThat(sandbox.calls("data")).isZero();
    }

    @Test
    void shouldRefuseARepeatedContentType() {
        String manager = managerToken("acme", newSubject());
        String own = enroll(userToken("acme", newSubject()));
        String body = "{\"UserId\":\"" + own + "\"}";
        RawHttp.Answer answer = RawHttp.send("POST /api/trips/get/admin/v1 HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + manager + "\r\nContent-Type: application/json\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(answer.status()).isIn(400, 415);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.header("X-Request-Id")).isNotBlank();
        assertThat(sandbox.calls("data")).isZero();
    }

    private RequestSpecification json(String token) {
        return as(token).contentType("application/json");
    }
}
