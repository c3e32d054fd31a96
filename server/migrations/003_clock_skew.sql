-- Clock skew (issue 11): a device whose clock runs ahead would win every last-writer-wins merge
-- until the real time caught up. The server clamps such a mutation's HLC to its own clock (plus a
-- tolerance) and keeps what the device sent: hlc is the HLC merged and pulled, device_hlc the one
-- the device stamped, clock_skew_ms how far ahead it was (NULL: within the tolerance).
ALTER TABLE mutations ADD COLUMN device_hlc TEXT;
ALTER TABLE mutations ADD COLUMN clock_skew_ms BIGINT;
