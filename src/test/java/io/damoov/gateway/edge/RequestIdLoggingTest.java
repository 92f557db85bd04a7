package io.damoov.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

/** Log lines written while a request is served carry its request id in the MDC, and only its own. */
@QuarkusTest
class RequestIdLoggingTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    private record Line(String logger, String message, Map<String, String> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            Map<String, String> mdc = record instanceof ExtLogRecord ext ? ext.getMdcCopy() : Map.of();
            lines.add(new Line(record.getLoggerName(), String.valueOf(record.getMessage()), mdc));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void shouldCarryTheRequestIdInTheMdcWhenAFailingRequestLogs() {
        // Given: a user whose Damoov login will be refused (logged as a warning on a worker thread)
        String token = userToken("acme", newSubject());
        enroll(token);
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        sandbox.failNext("login", 401, 1);
        lines.clear();

        // When
        String requestId = "req-" + java.util.UUID.randomUUID();
        as(token).header(RequestIds.HEADER, requestId).get(STATS).then().statusCode(502)
                .header(RequestIds.HEADER, requestId);

        // Then
        List<Line> refused = lines.stream().filter(l -> l.message().contains("refused")).toList();
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
        lines.clear();

        // When
        String second = as(token).get(STATS).then().statusCode(502).extract().header(RequestIds.HEADER);

        // Then: the second request's lines carry the id the gateway gave it
        List<Line> refused = lines.stream().filter(l -> l.message().contains("refused")).toList();
        assertThat(refused).isNotEmpty()
                .allSatisfy(l -> assertThat(l.mdc()).containsEntry(RequestLogContext.MDC_KEY, second));
    }
}
