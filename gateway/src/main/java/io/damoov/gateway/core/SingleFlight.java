package io.damoov.gateway.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * At most one call per key at a time in this process: a caller that finds a call for its key under way joins it
 * instead of starting another (50 requests after a token expiry cost one refresh).
 * <p>
 * Every caller, the one that started the call included, gets its own future, completed on the Vert.x context it
 * called from. So a joiner's continuation runs on its own request's (duplicated) context, with its own request id in
 * the MDC, and the upstream request it sends next belongs to its own event loop, never to the first caller's.
 *
 * @param <K> the key (an identity, a user, a tenant)
 * @param <V> the result
 */
public final class SingleFlight<K, V> {

    private final Map<K, Future<V>> inflight = new ConcurrentHashMap<>();

    /**
     * The result of {@code call} for {@code key}: started now unless a call for {@code key} is under way, in which
     * case this caller shares that call's result. {@code call} must not throw; it reports failure in its future.
     */
    public Future<V> run(K key, Supplier<Future<V>> call) {
        Context caller = Vertx.currentContext();
        Promise<V> started = Promise.promise();
        Future<V> running = inflight.putIfAbsent(key, started.future());
        if (running == null) {
            running = started.future();
            Future<V> result;
            try {
                result = call.get();
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            result.onComplete(ar -> {
                inflight.remove(key, started.future());
                started.handle(ar);
            });
        }
        return onContext(running, caller);
    }

    /** Calls under way (tests and metrics). */
    public int size() {
        return inflight.size();
    }

    private static <V> Future<V> onContext(Future<V> shared, Context context) {
        Promise<V> own = Promise.promise();
        shared.onComplete(ar -> deliver(own, ar, context));
        return own.future();
    }

    private static <V> void deliver(Promise<V> own, AsyncResult<V> ar, Context context) {
        if (context == null || context == Vertx.currentContext()) {
            own.handle(ar);
        } else {
            context.runOnContext(v -> own.handle(ar));
        }
    }
}
