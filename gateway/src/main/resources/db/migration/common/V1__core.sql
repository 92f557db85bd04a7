-- User mappings: a tenant's user (subject) -> Damoov DeviceToken. A row with a NULL device_token is an
-- enrolment claim: the process that holds its row lock registers the user; the others wait and read.
CREATE TABLE user_mapping (
    tenant       VARCHAR(64)  NOT NULL,
    subject      VARCHAR(255) NOT NULL,
    device_token VARCHAR(64),
    proposed     VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    enrolled_at  BIGINT,
    PRIMARY KEY (tenant, subject)
);
CREATE UNIQUE INDEX user_mapping_device_token ON user_mapping (tenant, device_token);

-- Damoov tokens per identity (user: DeviceToken, admin: tenant id), AES-GCM ciphertext only.
-- The row is also the identity's lock for refresh and login across replicas.
CREATE TABLE damoov_token (
    tenant              VARCHAR(64)   NOT NULL,
    principal           VARCHAR(8)    NOT NULL,
    identity            VARCHAR(255)  NOT NULL,
    access_token        VARCHAR(16384),
    refresh_token       VARCHAR(8192),
    expires_at          BIGINT,
    login_blocked_until BIGINT,
    updated_at          BIGINT        NOT NULL,
    PRIMARY KEY (tenant, principal, identity)
);

-- Login attempts, counted for the login budget (shared by restarts and replicas).
CREATE TABLE login_attempt (
    tenant    VARCHAR(64)  NOT NULL,
    principal VARCHAR(8)   NOT NULL,
    identity  VARCHAR(255) NOT NULL,
    at        BIGINT       NOT NULL,
    outcome   VARCHAR(16)  NOT NULL
);
CREATE INDEX login_attempt_identity_at ON login_attempt (tenant, principal, identity, at);
CREATE INDEX login_attempt_at ON login_attempt (at);
