-- Catalog versions created at run time (e.g. imported from IPA's official sheet). Shipped catalogs
-- are embedded in the binary and never stored here.
CREATE TABLE catalog_versions (
  catalog_key TEXT PRIMARY KEY,        -- "<catalog_id>-<version>", e.g. "scs-2026-04-21"
  catalog_id TEXT NOT NULL,
  version TEXT NOT NULL,
  document TEXT NOT NULL,              -- the catalog in the catalogs/ JSON format
  source_sha256 TEXT NOT NULL,         -- hash of the imported file (also kept in the blob store)
  imported_at TEXT NOT NULL            -- RFC 3339 UTC
);
