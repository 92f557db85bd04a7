package io.damoov.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.core.RequestIds;
import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;

/** Log lines written while a request is served carry its request id in the MDC, and only its own. */
@QuarkusTest
class RequestIdLoggingTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void shouldCarryTheRequestIdInTheMdcWhenAFailingRequestLogs() {
        // Given: a user whose Damoov login will be refused (logged as a warning on a worker thread)
        String token = userToken("acme", newSubject());
        enroll(token);
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        sandbox.failNext("login", 401, 1);
        logs.clear();

        // When
        String requestId = "req-" + java.util.UUID.randomUUID();
        as(token).header(RequestIds.HEADER, requestId).get(STATS).then().statusCode(502)
                .header(RequestIds.HEADER, requestId);

        // Then
        List<LogCapture.Line> refused = logs.lines().stream().filter(l -> l.text().contains("refused")).toList();
        assertThat(refused).isNotEmpty()
                .allSatisfy(l -> assertThat(l.mdc()).containsEntry(RequestLogContext.MDC_KEY, requestId));
    }

    @Test
    void shouldNotLeakARequestIdIntoLogLinesOfAnotherRequest() {
        // Given: a request that logs, and a later one without an id of its own that logs too
        String token = userToken("acme", newSubject());
        enroll(token);
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        sandbox.failNext("login", 401, 2);
        String first = "first-" + java.util.UUID.randomUUID();
        as(token).header(RequestIds.HEADER, first).get(STATS).then().statusCode(502);
        logs.clear();

        // When
        String second = as(token).get(STATS).then().statusCode(502).extract().header(RequestIds.HEADER);

        // Then: the second request's lines carry the id the gateway gave it
        List<LogCapture.Line> refused = logs.lines().stream().filter(l -> l.text().contains("refused")).toList();
        assertThat(refused).isNotEmpty()
                .allSatisfy(l -> assertThat(l.mdc()).containsEntry(RequestLogContext.MDC_KEY, second));
    }
}
