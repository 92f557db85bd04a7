-- Audit records; purged by a batched DELETE on the 'at' index.
CREATE TABLE audit_record (
    id                VARCHAR(36)   NOT NULL,
    at                BIGINT        NOT NULL,
    tenant            VARCHAR(64),
    subject           VARCHAR(255),
    principal         VARCHAR(8),
    action            VARCHAR(16)   NOT NULL,
    token_fingerprint VARCHAR(16),
    route             VARCHAR(255),
    method            VARCHAR(10),
    path              VARCHAR(2048),
    status            INT           NOT NULL,
    upstream_status   INT           NOT NULL,
    client_ip         VARCHAR(64),
    request_id        VARCHAR(128),
    latency_ms        BIGINT        NOT NULL,
    reason            VARCHAR(128),
    PRIMARY KEY (at, id)
);
CREATE INDEX audit_tenant_at ON audit_record (tenant, at DESC, id DESC);
CREATE INDEX audit_tenant_subject_at ON audit_record (tenant, subject, at DESC, id DESC);
