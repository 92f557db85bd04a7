package io.damoov.gateway.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.inject.Singleton;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.store.Mappings.ImportOutcome;
import io.damoov.gateway.store.Mappings.ImportRow;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.tenant.Tenants;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/v1/tenants/{tenant}/users:import}: existing mappings, NDJSON ({@code {"subject","deviceToken"}}
 * per line) or CSV ({@code subject,deviceToken}, optional header), by Content-Type. The body is parsed line by line
 * as it arrives; every {@value #BATCH} valid lines are written as one JDBC batch on a worker thread while the
 * request is paused, so memory stays flat for any size. Idempotent: a second run reports everything unchanged.
 */
@Singleton
public class MappingImport {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(MappingImport.class);
    static final int BATCH = 1000;
    private static final int MAX_LINE = 8192;
    private static final int MAX_REPORTED = 1000;

    private final Tenants tenants;
    private final Store store;
    private final Enrollments enrollments;

    public MappingImport(Tenants tenants, Store store, Enrollments enrollments) {
        this.tenants = tenants;
        this.store = store;
        this.enrollments = enrollments;
    }

    void handle(RoutingContext ctx) {
        Tenant tenant = AdminHttp.tenant(tenants, ctx);
        String type = ctx.request().getHeader("Content-Type");
        String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean csv = mime.equals("text/csv");
        if (!csv && !mime.equals("application/x-ndjson") && !mime.equals("application/jsonl")) {
            throw new GatewayException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Send application/x-ndjson or text/csv");
        }
        Job job = new Job(ctx, tenant.id(), csv);
        RecordParser parser = RecordParser.newDelimited("\n");
        parser.maxRecordSize(MAX_LINE);
        parser.handler(job::line);
        parser.exceptionHandler(t -> job.fail(AdminHttp.badRequest("line-too-long",
                "Line " + (job.lineNo + 1) + " exceeds " + MAX_LINE + " bytes")));
        if (ctx.body() != null && ctx.body().buffer() != null) { // a body handler already read it
            LOG.debug("Import body was buffered by a body handler");
            parser.handle(ctx.body().buffer());
            parser.handle(Buffer.buffer("\n"));
            job.finish();
            return;
        }
        ctx.request().handler(chunk -> {
            parser.handle(chunk);
            if (job.pending > 0) {
                ctx.request().pause();
            }
        });
        ctx.request().exceptionHandler(job::fail);
        ctx.request().endHandler(v -> {
            parser.handle(Buffer.buffer("\n"));
            job.finish();
        });
        job.resume = () -> ctx.request().resume();
        ctx.request().resume();
    }

    /** One import: the current batch, counters and rejected lines. Event-loop confined, except the batch writes. */
    private final class Job {
        final RoutingContext ctx;
        final String tenant;
        final boolean csv;
        int lineNo;
        long created;
        long updated;
        long unchanged;
        long rejectedCount;
        final JsonArray rejected = new JsonArray();
        List<ImportRow> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        Set<String> subjects = new HashSet<>();
        Set<String> deviceTokens = new HashSet<>();
        Future<Void> writes = Future.succeededFuture();
        int pending;
        boolean failed;
        Runnable resume = () -> {
        };

        Job(RoutingContext ctx, String tenant, boolean csv) {
            this.ctx = ctx;
            this.tenant = tenant;
            this.csv = csv;
        }

        void line(Buffer raw) {
            lineNo++;
            String line = raw.toString(java.nio.charset.StandardCharsets.UTF_8);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank() || failed) {
                return;
            }
            String subject;
            String deviceToken;
            if (csv) {
                String[] f = line.split(",", -1);
                if (f.length != 2) {
                    reject(lineNo, "expected 2 fields: subject,deviceToken");
                    return;
                }
                subject = unquote(f[0]);
                deviceToken = unquote(f[1]);
                if (lineNo == 1 && subject.equalsIgnoreCase("subject")
                        && deviceToken.equalsIgnoreCase("deviceToken")) {
                    return; // header
                }
            } else {
                try {
                    JsonObject j = new JsonObject(line);
                    subject = j.getValue("subject") instanceof String s ? s : null;
                    deviceToken = j.getValue("deviceToken") instanceof String s ? s : null;
                } catch (DecodeException | ClassCastException e) {
                    reject(lineNo, "not a JSON object");
                    return;
                }
            }
            String error = UserAdmin.invalid(subject, deviceToken);
            if (error != null) {
                reject(lineNo, error);
                return;
            }
            if (subjects.contains(subject)) {
                reject(lineNo, "subject repeated in this import");
                return;
            }
            if (deviceTokens.contains(deviceToken)) {
                reject(lineNo, "deviceToken repeated in this import");
                return;
            }
            subjects.add(subject);
            deviceTokens.add(deviceToken);
            rows.add(new ImportRow(subject, deviceToken));
            lines.add(lineNo);
            if (rows.size() >= BATCH) {
                write();
            }
        }

        /** Queues the current batch for a worker; the request is paused until it is stored. */
        void write() {
            List<ImportRow> batch = rows;
            List<Integer> batchLines = lines;
            rows = new ArrayList<>();
            lines = new ArrayList<>();
            // keeps duplicate detection exact within a batch; across batches the store settles it
            subjects = new HashSet<>();
            deviceTokens = new HashSet<>();
            pending++;
            writes = writes.compose(v -> ctx.vertx().<List<ImportOutcome>> executeBlocking(() -> {
                List<ImportOutcome> outcomes = store.mappings().importBatch(tenant, batch);
                List<String> changed = new ArrayList<>();
                for (int i = 0; i < outcomes.size(); i++) {
                    if (outcomes.get(i) == ImportOutcome.UPDATED || outcomes.get(i) == ImportOutcome.CREATED) {
                        changed.add(batch.get(i).subject());
                    }
                }
                if (!changed.isEmpty()) {
                    enrollments.evictAll(tenant, changed);
                }
                return outcomes;
            }, false)).map(outcomes -> {
                for (int i = 0; i < outcomes.size(); i++) {
                    switch (outcomes.get(i)) {
                        case CREATED -> created++;
                        case UPDATED -> updated++;
                        case UNCHANGED -> unchanged++;
                        case CONFLICT -> reject(batchLines.get(i), "deviceToken already mapped to another subject");
                    }
                }
                if (--pending == 0) {
                    resume.run();
                }
                return null;
            });
            writes.onFailure(this::fail);
        }

        void finish() {
            if (failed) {
                return;
            }
            if (!rows.isEmpty()) {
                write();
            }
            writes.onSuccess(v -> {
                if (!failed) {
                    AdminHttp.json(ctx, 200, new JsonObject().put("tenant", tenant).put("lines", lineNo)
                            .put("created", created).put("updated", updated).put("unchanged", unchanged)
                            .put("rejectedCount", rejectedCount).put("rejected", rejected)
                            .put("rejectedTruncated", rejectedCount > rejected.size()));
                }
            });
        }

        void reject(int line, String reason) {
            rejectedCount++;
            if (rejected.size() < MAX_REPORTED) {
                rejected.add(new JsonObject().put("line", line).put("reason", reason));
            }
        }

        void fail(Throwable t) {
            if (!failed) {
                failed = true;
                ctx.request().resume();
                ctx.fail(t);
            }
        }

        private static String unquote(String s) {
            String t = s.trim();
            return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
        }
    }
}
