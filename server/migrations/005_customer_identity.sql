-- Customer identity (issue 11): the same RFC registered offline at two branches is one customer.
-- The server decides: the customer it received first keeps its id, a later one with the same RFC
-- (never a generic RFC) becomes an alias of it, and every mutation naming the alias is rewritten
-- to the customer before it is merged and pulled.
CREATE INDEX entities_customer_rfc ON entities ((data->>'rfc')) WHERE entity = 'customer';

CREATE TABLE customer_aliases (
  alias_id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  rfc TEXT NOT NULL,
  -- Who registered the alias, and the change that decided it.
  device_id TEXT NOT NULL REFERENCES devices(id),
  decided_seq BIGINT NOT NULL,
  decided_at BIGINT NOT NULL
);
CREATE INDEX customer_aliases_customer ON customer_aliases(customer_id);

-- A mutation rewritten by an identity rule keeps what its device sent (entity id, op, payload).
ALTER TABLE mutations ADD COLUMN sent JSONB;
-- Changes the server itself decides (a customer merged into another) belong to no device: every
-- device pulls them, the one whose push caused them too.
ALTER TABLE mutations ALTER COLUMN device_id DROP NOT NULL;
ALTER TABLE mutations ALTER COLUMN push_seq DROP NOT NULL;
