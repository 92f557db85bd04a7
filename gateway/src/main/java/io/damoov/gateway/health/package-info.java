/**
 * Health probes on the management port (docs/metrics.md#health). Liveness is Quarkus's default (the process answers). Readiness
 * is: the store answers ({@link io.damoov.gateway.health.StoreReadiness}) and the configuration is valid (an invalid
 * one stops the start in {@code startup.ConfigValidator}, so a running pod has a valid one). Damoov's availability
 * is reported as a readiness detail ({@link io.damoov.gateway.health.UpstreamsReadiness}) but never makes the pod
 * unready: every replica shares the same upstreams, and taking them all out of the Service during a Damoov outage
 * would turn 502s into connection refusals and stop the audit of the denied requests.
 */
package io.damoov.gateway.health;
