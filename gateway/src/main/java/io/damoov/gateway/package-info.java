/**
 * damoov-gateway: an API gateway between a company's mobile apps and the Damoov telematics APIs.
 *
 * <h2>The request path, once</h2>
 * A client request {@code /{upstream}/{damoov path}} on the public port goes through these steps, all on the Vert.x
 * event loop; only cache misses (store reads, enrolment, token refresh or login) go to worker threads:
 * <ol>
 * <li><b>edge</b> ({@code edge.EdgeRoutes}): request id, body buffered up to {@code gateway.max-body-size} (413
 * beyond), problem+json for every gateway error.</li>
 * <li><b>normalise</b> ({@code routing.NormalizedPath}): decode once, resolve dot segments, refuse encoded slashes,
 * so no trick reaches a path the route table did not choose.</li>
 * <li><b>authenticate</b> ({@code tenant.ClientAuthenticator}): the tenant is the one whose issuer signed the
 * caller's JWT; verified with SmallRye JWT against its JWKS or key; verified tokens are cached until they
 * expire.</li>
 * <li><b>route</b> ({@code routing.RouteTable}): first matching rule picks the credential kind (user, admin, device,
 * deny) and the role it needs; no match is 404.</li>
 * <li><b>DeviceToken</b> ({@code enrollment.Enrollments}): the caller's mapping from cache, store, or a registration
 * at Damoov on first use (one per user, across processes).</li>
 * <li><b>hygiene</b> ({@code routing.Headers}, {@code routing.Identifiers}): client credentials and hop-by-hop headers
 * dropped; user identifiers forced to the caller's own (user/device routes) or checked against the tenant (admin
 * routes).</li>
 * <li><b>credential</b> ({@code token.TokenService}): the user's or the tenant admin's Damoov JWT from cache, or
 * DeviceToken headers; refreshed ahead of expiry, single flight per identity.</li>
 * <li><b>forward</b> ({@code routing.UpstreamCall}): pooled keep-alive client; a 401 from Damoov renews the token
 * once and replays the buffered request; an unrepairable credential failure is 502, never 401.</li>
 * <li><b>answer and record</b>: the response is streamed back without Damoov credentials; an audit record is queued
 * ({@code audit.AuditLog}) and metrics recorded ({@code metrics.GatewayMetrics}).</li>
 * </ol>
 * State lives in {@code store.Store} (H2 embedded or PostgreSQL); configuration in {@code config.GatewayConfig}.
 */
package io.damoov.gateway;
