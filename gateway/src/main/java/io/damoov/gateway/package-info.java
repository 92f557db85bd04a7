/**
 * damoov-gateway: an API gateway between a company's mobile apps and the Damoov telematics APIs.
 *
 * <h2>The request path, once</h2>
 * A client request {@code /{upstream}/{damoov path}} on the public port is an {@code pipeline.Exchange} that goes
 * through these steps ({@code pipeline.Pipelines} assembles them), each a class of {@code pipeline} with one job,
 * each completing on the request's own Vert.x context; only cache misses (store reads, enrolment, token refresh or
 * login) go to worker threads:
 * <ol>
 * <li><b>edge</b> ({@code edge.EdgeRoutes}): request id settled ({@code edge.RequestLogContext}), the body held back
 * until routed, problem+json for every gateway error.</li>
 * <li><b>framing</b> ({@code pipeline.CheckFraming}): one {@code chunked} Transfer-Encoding or one Content-Length,
 * never both, else 400.</li>
 * <li><b>normalise</b> ({@code pipeline.NormalizePath}, with {@code routing.NormalizedPath}): decode once, resolve dot
 * segments, refuse encoded slashes, so no trick reaches a path the route table did not choose.</li>
 * <li><b>authenticate</b> ({@code pipeline.Authenticate}, with {@code tenant.ClientAuthenticator}): the tenant is the
 * one whose issuer signed the caller's JWT; verified with SmallRye JWT against its JWKS or key; verified tokens are
 * cached until they expire. A refused token is denied.</li>
 * <li><b>route</b> ({@code pipeline.RouteRequest}, with {@code routing.RouteTable}): first matching rule picks the
 * credential kind (user, admin, device, deny) and the role it needs; no match is 404; a denied route or a missing
 * role is denied.</li>
 * <li><b>body</b> ({@code pipeline.ReadBody}): held (paused) until here, then buffered up to
 * {@code gateway.max-body-size} (413 beyond), for the identifier checks and the replay after a renewal.</li>
 * <li><b>DeviceToken</b> ({@code pipeline.ResolveDeviceToken}, with {@code enrollment.Enrollments}): the caller's
 * mapping from cache, store, or a registration at Damoov on first use (one per user, across processes).</li>
 * <li><b>hygiene</b> ({@code pipeline.Hygiene}, with {@code pipeline.Identifiers}): user identifiers forced to the
 * caller's own (user/device routes) or checked against the tenant (admin routes, else denied); bodies must be JSON
 * with one Content-Type; client headers pass by allow-list.</li>
 * <li><b>credential</b> ({@code pipeline.Credential}, with {@code token.TokenService}): the user's or the tenant
 * admin's Damoov JWT from cache, or DeviceToken headers; refreshed ahead of expiry, single flight per identity.</li>
 * <li><b>forward</b> ({@code pipeline.Forward}, with {@code pipeline.UpstreamCall}): pooled keep-alive client, a pool
 * per event loop (the request and its upstream connection on one thread), client credentials and hop-by-hop headers
 * dropped ({@code pipeline.Headers}); a 401 from Damoov renews the token once and replays the buffered request; an unrepairable
 * credential failure is 502, never 401. From here the exchange is a
 * token use.</li>
 * <li><b>response hygiene</b> ({@code pipeline.ResponseHygiene}): JSON answers on user and device routes are
 * buffered and other users' DeviceTokens become per-tenant pseudonyms ({@code pipeline.Pseudonyms}); an answer that
 * cannot be inspected is 502.</li>
 * <li><b>record</b> ({@code pipeline.AuditTrail}): the audit record ({@code audit.AuditLog}) of the outcome the steps
 * decided (use or deny, with the principal asked for) goes into the local journal (on the embedded store, its audit
 * files) before any byte of the answer is sent: one write for the records of one pass of the event loop
 * ({@code audit.PassBatch}), then the answers; a failed exchange is recorded before its problem+json.</li>
 * <li><b>respond</b> ({@code pipeline.Respond}): the answer goes back without Damoov credentials, streamed unless it
 * was inspected; then the request timer ({@code metrics.GatewayMetrics}).</li>
 * </ol>
 * {@code GET /me} is the same pipeline with a different last step: framing, authenticate, DeviceToken, record, then
 * {@code pipeline.MeAnswer}. A request the HTTP server could not decode (ambiguous framing, a head over 16 KiB, a
 * request line over 4 KiB) never enters these steps: {@code edge.MalformedRequests} hands it to
 * {@code pipeline.RefuseMalformed}, then record: 400, 414 or 431 problem+json, connection closed.
 * <p>
 * State lives in {@code store.Store} (H2 embedded or PostgreSQL); configuration in {@code config.GatewayConfig}.
 */
package io.damoov.gateway;
