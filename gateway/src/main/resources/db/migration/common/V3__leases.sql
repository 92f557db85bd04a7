-- Leases (issue: no transaction across a network call). A replica that calls Damoov for an identity (refresh,
-- login) or for a new user (registration) first claims the row with a short statement: lease_owner names the
-- operation, lease_until is when others may take over. The Damoov call runs outside any transaction; its result is
-- stored with a second short statement that checks the lease. A frozen or killed replica blocks the identity no
-- longer than its lease.
ALTER TABLE damoov_token ADD COLUMN lease_owner VARCHAR(64);
ALTER TABLE damoov_token ADD COLUMN lease_until BIGINT;
ALTER TABLE user_mapping ADD COLUMN lease_owner VARCHAR(64);
ALTER TABLE user_mapping ADD COLUMN lease_until BIGINT;
