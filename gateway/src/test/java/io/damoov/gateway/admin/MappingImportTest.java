package io.damoov.gateway.admin;

import static io.damoov.gateway.support.Operator.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class MappingImportTest extends GatewayTest {

    private static final int LINES = 100_000;

    @Test
    void shouldImport100kMappingsOnceAndReportThemUnchangedWhenImportedAgain() {
        // Given
        String prefix = "bulk-" + UUID.randomUUID() + "-";
        StringBuilder ndjson = new StringBuilder(LINES * 100);
        for (int i = 0; i < LINES; i++) {
            ndjson.append("{\"subject\":\"").append(prefix).append(i).append("\",\"deviceToken\":\"")
                    .append(UUID.nameUUIDFromBytes((prefix + i).getBytes(StandardCharsets.UTF_8))).append("\"}\n");
        }
        byte[] body = ndjson.toString().getBytes(StandardCharsets.UTF_8);

        // When
        long started = System.nanoTime();
        JsonPath first = slow().contentType("application/x-ndjson").body(body)
                .post("/admin/v1/tenants/globex/users:import").then().statusCode(200).extract().jsonPath();
        long firstMillis = (System.nanoTime() - started) / 1_000_000;
        JsonPath second = slow().contentType("application/x-ndjson").body(body)
                .post("/admin/v1/tenants/globex/users:import").then().statusCode(200).extract().jsonPath();

        // Then
        assertThat(first.getLong("created")).isEqualTo(LINES);
        assertThat(first.getLong("rejectedCount")).isZero();
        assertThat(second.getLong("created")).isZero();
        assertThat(second.getLong("unchanged")).isEqualTo(LINES);
        // the time is a benchmark figure (bench/import/RESULTS.md), not a test bound: it swings with the machine and
        // with how fresh the PostgreSQL cluster is
        System.out.printf("import of %d lines took %d ms%n", LINES, firstMillis);
        operator().get("/admin/v1/tenants/globex/users/" + prefix + 4242).then().statusCode(200)
                .body("deviceToken", equalTo(UUID.nameUUIDFromBytes((prefix + 4242).getBytes(StandardCharsets.UTF_8))
                        .toString()));
    }

    private static io.restassured.specification.RequestSpecification slow() {
        return operator().config(io.restassured.RestAssured.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 300_000)));
    }

    @Test
    void shouldReportBadLinesWithTheirNumbersWhenACsvHasErrors() {
        // Given
        String a = newSubject();
        String b = newSubject();
        String taken = UUID.randomUUID().toString();
        String csv = "subject,deviceToken\n"
                + a + "," + taken + "\n"
                + "no-token-here\n"
                + b + ",not-a-uuid\n"
                + "\n"
                + b + "," + taken + "\n"
                + b + "," + UUID.randomUUID() + "\r\n";

        // When
        JsonPath report = operator().contentType("text/csv").body(csv)
                .post("/admin/v1/tenants/acme/users:import").then().statusCode(200).extract().jsonPath();

        // Then
        assertThat(report.getLong("created")).isEqualTo(2);
        assertThat(report.getList("rejected.line", Integer.class)).containsExactlyInAnyOrder(3, 4, 6);
        assertThat(report.getString("rejected.find { it.line == 6 }.reason")).contains("deviceToken");
        operator().get("/admin/v1/tenants/acme/users/" + a).then().statusCode(200).body("deviceToken",
                equalTo(taken));
    }

    @Test
    void shouldRefuseAnUnknownContentTypeWhenImporting() {
        operator().contentType("application/xml").body("<x/>").post("/admin/v1/tenants/acme/users:import").then()
                .statusCode(415);
        operator().contentType("text/csv").body("a,b").post("/admin/v1/tenants/nope/users:import").then()
                .statusCode(404);
    }
}
