package io.damoov.gateway.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;

import io.damoov.gateway.audit.AuditCursor;
import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.audit.AuditRecords.AuditQuery;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.tenant.Tenants;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/v1/audit?tenant=&subject=&action=&since=&until=&limit=&after=}: newest first, one page of JSON
 * with an opaque {@code next} cursor (keyset on (at, id)); with {@code Accept: application/x-ndjson} the whole
 * selection streamed from a database cursor on a worker thread, in chunks that wait for the client to drain.
 */
@Singleton
public class AuditAdmin {

    private static final Logger LOG = Logger.getLogger(AuditAdmin.class);
    static final String NDJSON = "application/x-ndjson";
    private static final Set<String> ACTIONS = Set.of(AuditRecord.USE, AuditRecord.REFRESH, AuditRecord.LOGIN,
            AuditRecord.ENROLL, AuditRecord.REVOKE, AuditRecord.DENY, AuditRecord.THROTTLE);
    /** Pseudo-tenant of denied requests whose tenant could not be told. */
    private static final String UNKNOWN_TENANT = "unknown";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final int CHUNK = 256 * 1024;

    private final Tenants tenants;
    private final Store store;

    public AuditAdmin(Tenants tenants, Store store) {
        this.tenants = tenants;
        this.store = store;
    }

    void handle(RoutingContext ctx) {
        AuditQuery query = query(ctx);
        String accept = ctx.request().getHeader("Accept");
        if (accept != null && accept.contains(NDJSON)) {
            export(ctx, query);
            return;
        }
        int limit = AdminHttp.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        AdminHttp.blocking(ctx, () -> page(store.audit().query(query, limit), limit),
                body -> AdminHttp.json(ctx, 200, body));
    }

    /** {@code {"items": [...], "next": cursor or null}}; encoded on the worker thread. */
    private static Buffer page(List<AuditRecord> page, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * (page.size() + 1));
        try (JsonGenerator g = AuditJson.generator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (AuditRecord r : page) {
                AuditJson.write(g, r);
            }
            g.writeEndArray();
            g.writeStringField("next",
                    page.size() == limit ? AuditCursor.after(page.get(page.size() - 1)).encode() : null);
            g.writeEndObject();
        }
        return Buffer.buffer(out.toByteArray());
    }

    private AuditQuery query(RoutingContext ctx) {
        String tenant = AdminHttp.param(ctx, "tenant");
        if (tenant != null && !UNKNOWN_TENANT.equals(tenant) && tenants.byId(tenant).isEmpty()) {
            throw AdminHttp.unknown("unknown-tenant", "No tenant '" + tenant + "'");
        }
        String action = AdminHttp.param(ctx, "action");
        if (action != null && !ACTIONS.contains(action)) {
            throw AdminHttp.badRequest("bad-action", "action must be one of " + ACTIONS);
        }
        Instant since = AdminHttp.instant(ctx, "since").orElse(null);
        Instant until = AdminHttp.instant(ctx, "until").orElse(null);
        String after = AdminHttp.param(ctx, "after");
        AuditCursor cursor = after == null ? null
                : AuditCursor.decode(after).orElseThrow(() -> AdminHttp.badRequest("bad-cursor",
                        "after must be a 'next' value of an earlier page"));
        return new AuditQuery(tenant, AdminHttp.param(ctx, "subject"), action, since, until,
                cursor == null ? null : cursor.at(), cursor == null ? null : cursor.id());
    }

    private void export(RoutingContext ctx, AuditQuery query) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", NDJSON)
                .putHeader("Cache-Control", "no-store");
        Sink sink = new Sink(ctx.vertx().getOrCreateContext(), response);
        ctx.vertx().executeBlocking(() -> {
            store.audit().stream(query, sink::accept);
            sink.flush();
            return null;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                response.end();
            } else {
                LOG.debugf("Audit export ended early: %s", ar.cause().getMessage());
                response.reset();
            }
        });
    }

    /**
     * Encodes NDJSON lines on the worker into a chunk and hands full chunks to the event loop, waiting while the
     * client lags.
     */
    private static final class Sink {
        private final Context context;
        private final HttpServerResponse response;
        private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK + 8192);
        private final JsonGenerator generator;
        private volatile boolean closed;

        Sink(Context context, HttpServerResponse response) {
            this.context = context;
            this.response = response;
            try {
                this.generator = AuditJson.generator(chunk);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            response.closeHandler(v -> closed = true);
        }

        void accept(AuditRecord r) {
            try {
                AuditJson.write(generator, r);
                generator.writeRaw('\n');
                if (chunk.size() + generator.getOutputBuffered() >= CHUNK) {
                    flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void flush() throws IOException {
            generator.flush();
            if (chunk.size() == 0) {
                return;
            }
            if (closed) {
                throw new IllegalStateException("client went away");
            }
            Buffer out = Buffer.buffer(chunk.toByteArray());
            chunk.reset();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            context.runOnContext(v -> {
                response.write(out);
                if (response.writeQueueFull()) {
                    response.drainHandler(d -> ready.complete(null));
                    response.closeHandler(c -> {
                        closed = true;
                        ready.complete(null);
                    });
                } else {
                    ready.complete(null);
                }
            });
            try {
                ready.get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException("client does not read", e);
            }
        }
    }
}
