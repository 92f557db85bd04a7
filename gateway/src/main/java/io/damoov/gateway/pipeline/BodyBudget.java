package io.damoov.gateway.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.damoov.gateway.config.GatewayConfig;
import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.http.HttpConnection;

/**
 * The request-body bytes the gateway holds in memory, capped per connection and in total
 * ({@code gateway.limits.buffered-bytes-*}): a body that would pass a cap is refused with 503 {@code overloaded}
 * instead of growing the heap. Each body takes its bytes through a {@link Reservation} and gives them back once,
 * when its exchange ends, however it ends (answer sent, read failed, connection closed).
 */
@Singleton
class BodyBudget {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final long perConnection;
    private final long total;
    private final AtomicLong used = new AtomicLong();
    private final Map<HttpConnection, AtomicLong> byConnection = new ConcurrentHashMap<>();

    @Inject
    BodyBudget(GatewayConfig config) {
        this(config.limits().bufferedBytesPerConnection().asLongValue(), config.limits().bufferedBytesTotal()
                .map(m -> m.asLongValue()).orElse(Runtime.getRuntime().maxMemory() / 4));
    }

    BodyBudget(long perConnection, long total) {
        this.perConnection = perConnection;
        this.total = total;
    }

    /** Bytes held by all connections now. */
    long used() {
        return used.get();
    }

    long total() {
        return total;
    }

    Reservation open(HttpConnection connection) {
        return new Reservation(connection);
    }

    /** The bytes of one request body; used on the request's event loop only. */
    final class Reservation {

        private final HttpConnection connection;
        private long held;

        private Reservation(HttpConnection connection) {
            this.connection = connection;
        }

        /** Takes {@code n} more bytes; null when granted, else the 503 to answer (nothing is taken then). */
        GatewayException take(long n) {
            AtomicLong mine = byConnection.computeIfAbsent(connection, c -> new AtomicLong());
            if (mine.addAndGet(n) > perConnection) {
                give(mine, n);
                return full("connection-buffers-full");
            }
            if (used.addAndGet(n) > total) {
                used.addAndGet(-n);
                give(mine, n);
                return full("buffers-full");
            }
            held += n;
            return null;
        }

        /** Gives every byte taken back; idempotent. */
        void release() {
            if (held > 0) {
                used.addAndGet(-held);
                AtomicLong mine = byConnection.get(connection);
                if (mine != null) {
                    give(mine, held);
                }
                held = 0;
            }
        }

        private void give(AtomicLong mine, long n) {
            if (mine.addAndGet(-n) <= 0) {
                byConnection.remove(connection, mine);
            }
        }
    }

    private static GatewayException full(String reason) {
        return new GatewayException(ProblemType.OVERLOADED, reason,
                "The gateway is buffering too many request bodies; try again shortly", RETRY_AFTER);
    }
}
