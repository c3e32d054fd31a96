-- The SAT's generic RFCs (XAXX010101000 público en general, XEXX010101000 extranjeros) identify
-- no one: many customers share them (issue 14). The RFC stays unique for every other customer,
-- through a partial unique index instead of the column's UNIQUE constraint, which SQLite can only
-- drop by rebuilding the table. Rows keep their rowid; the foreign keys that name `customers`
-- point at the rebuilt table once it takes the name (migrate() runs this with foreign keys off
-- and checks every reference before it commits).

CREATE TABLE customers_rebuilt (
  id TEXT PRIMARY KEY,
  rfc TEXT NOT NULL,
  name TEXT NOT NULL,
  tax_regime TEXT NOT NULL DEFAULT '',
  fiscal_address TEXT NOT NULL DEFAULT '{}',   -- JSON FiscalAddress
  registered_email TEXT NOT NULL,
  plan TEXT NOT NULL DEFAULT 'basic',
  service_status TEXT NOT NULL DEFAULT 'active',
  credit_package TEXT NOT NULL DEFAULT '',
  rfc_warnings TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

INSERT INTO customers_rebuilt (rowid, id, rfc, name, tax_regime, fiscal_address, registered_email, plan, service_status, credit_package, rfc_warnings, created_at, updated_at)
  SELECT rowid, id, rfc, name, tax_regime, fiscal_address, registered_email, plan, service_status, credit_package, rfc_warnings, created_at, updated_at
  FROM customers;

DROP TABLE customers;
ALTER TABLE customers_rebuilt RENAME TO customers;

CREATE INDEX customers_name ON customers(name COLLATE NOCASE);
CREATE INDEX customers_rfc ON customers(rfc);
CREATE UNIQUE INDEX customers_rfc_unique ON customers(rfc) WHERE rfc NOT IN ('XAXX010101000', 'XEXX010101000');
