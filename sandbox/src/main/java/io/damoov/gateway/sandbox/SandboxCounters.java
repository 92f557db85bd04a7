package io.damoov.gateway.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.json.JsonObject;

/** Call counters, recorded requests and armed failures. Thread-safe. */
final class SandboxCounters {

    static final int MAX_RECORDED = 1000;

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicInteger>> byIdentity = new ConcurrentHashMap<>();
    private final Map<String, Deque<RecordedRequest>> recorded = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    /** The armed "failure" that closes the connection instead of answering ({@link DamoovSandbox#closeNext}). */
    static final int CLOSE = -1;

    private static final class Failure {
        final int status;
        final AtomicInteger remaining;

        Failure(int status, int times) {
            this.status = status;
            this.remaining = new AtomicInteger(times);
        }
    }

    void count(String key, String identity) {
        calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (identity != null) {
            byIdentity.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(identity, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    void record(String key, RecordedRequest request) {
        Deque<RecordedRequest> deque = recorded.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(request);
            while (deque.size() > MAX_RECORDED) {
                deque.removeFirst();
            }
        }
    }

    int calls(String key) {
        AtomicInteger n = calls.get(key);
        return n == null ? 0 : n.get();
    }

    int callsBy(String key, String identity) {
        Map<String, AtomicInteger> m = byIdentity.get(key);
        AtomicInteger n = m == null || identity == null ? null : m.get(identity);
        return n == null ? 0 : n.get();
    }

    RecordedRequest last(String key) {
        Deque<RecordedRequest> deque = recorded.get(key);
        if (deque == null) {
            return null;
        }
        synchronized (deque) {
            return deque.peekLast();
        }
    }

    List<RecordedRequest> requests(String key) {
        Deque<RecordedRequest> deque = recorded.get(key);
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            return List.copyOf(new ArrayList<>(deque));
        }
    }

    void failNext(String key, int status, int times) {
        if (times <= 0) {
            failures.remove(key);
        } else {
            failures.put(key, new Failure(status, times));
        }
    }

    /** Takes one armed failure for the first of the keys that has one left: its status, or {@link #CLOSE}; 0 if none. */
    int takeFailure(List<String> keys) {
        for (String key : keys) {
            Failure f = failures.get(key);
            if (f != null) {
                int left = f.remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0);
                if (left > 0) {
                    if (left == 1) {
                        failures.remove(key, f);
                    }
                    return f.status;
                }
            }
        }
        return 0;
    }

    void reset() {
        calls.clear();
        byIdentity.clear();
        recorded.clear();
        failures.clear();
    }

    /** {@code {"login":n,...,"byIdentity":{"login":{"<id>":n}}}}. */
    JsonObject toJson() {
        JsonObject json = new JsonObject();
        new TreeMap<>(calls).forEach((k, v) -> json.put(k, v.get()));
        JsonObject ids = new JsonObject();
        new TreeMap<>(byIdentity).forEach((k, m) -> {
            JsonObject per = new JsonObject();
            new TreeMap<>(m).forEach((id, n) -> per.put(id, n.get()));
            ids.put(k, per);
        });
        json.put("byIdentity", ids);
        return json;
    }
}
