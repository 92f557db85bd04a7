package io.damoov.gateway.health;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** docs/metrics.md#health: probes on the management port; ready = store reachable; a Damoov outage is a detail, not unready. */
@QuarkusTest
class HealthTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    /** {@code /q/health/...} on the management port: with {@code management = true} the value is relative to /q. */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @Test
    void shouldBeLiveAndReadyWithTheStoreAsDetailWhenTheStoreAnswers() {
        RestAssured.given().get(live).then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'store' }.data.kind", equalTo(expectedStoreKind()))
                .body("checks.name", hasItem("damoov-upstreams"));
    }

    @Test
    void shouldStayReadyAndReportTheUpstreamUnavailableWhenDamoovDoesNotAnswer() {
        // Given: the api host of the sandbox answers later than the gateway's upstream timeout (3 s in tests)
        String token = userToken("acme", newSubject());
        enroll(token);
        as(token).get(STATS).then().statusCode(200);
        sandbox.settings().setDataLatency(Duration.ofSeconds(8));

        // When
        as(token).get(STATS).then().statusCode(504);

        // Then: still ready, with the outage as a detail
        RestAssured.given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'damoov-upstreams' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'damoov-upstreams' }.data.api", equalTo("unavailable"))
                .body("checks.find { it.name == 'damoov-upstreams' }.data.leaderboard", equalTo("available"))
                .body("checks.find { it.name == 'damoov-upstreams' }.data.unavailable", equalTo("api"));

        // and available again with the next answer
        sandbox.settings().setDataLatency(Duration.ZERO);
        as(token).get(STATS).then().statusCode(200);
        RestAssured.given().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'damoov-upstreams' }.data.api", equalTo("available"));
    }

    /** CI runs the suite against PostgreSQL (QUARKUS_DATASOURCE_JDBC_URL) and against the embedded H2 store. */
    private static String expectedStoreKind() {
        String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        return url == null || url.isBlank() ? "h2" : "postgresql";
    }
}
