-- SBOM fleet (issue #5): stored SBOMs per organisation and product, their components (the
-- reverse index (ecosystem, normalised name) → instances), advisories, VEX, findings with lead
-- times, and sharing of findings with buyers. sbom_vex.sbom_id '' = every SBOM of the organisation.
CREATE TABLE sbom_documents (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  product TEXT NOT NULL,
  product_version TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL,
  spec_version TEXT NOT NULL,
  blob_sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  component_count INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  superseded_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sbom_documents_org ON sbom_documents (organization_id, product);

CREATE TABLE sbom_components (
  sbom_id TEXT NOT NULL REFERENCES sbom_documents (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  ref TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  purl TEXT NOT NULL,
  ecosystem TEXT NOT NULL,
  package_name TEXT NOT NULL,
  norm_name TEXT NOT NULL,
  current INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (sbom_id, idx)
);
CREATE INDEX sbom_components_package ON sbom_components (ecosystem, norm_name, current);

CREATE TABLE advisories (
  id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,
  published TEXT NOT NULL,
  modified TEXT NOT NULL,
  withdrawn TEXT NOT NULL,
  record_format TEXT NOT NULL,
  record TEXT NOT NULL,
  imported_at TEXT NOT NULL
);

CREATE TABLE sbom_vex (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  sbom_id TEXT NOT NULL DEFAULT '',
  vulnerability TEXT NOT NULL,
  status TEXT NOT NULL,
  justification TEXT NOT NULL,
  detail TEXT NOT NULL,
  source TEXT NOT NULL,
  products TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX sbom_vex_org ON sbom_vex (organization_id);

CREATE TABLE sbom_findings (
  sbom_id TEXT NOT NULL REFERENCES sbom_documents (id) ON DELETE CASCADE,
  component_idx INTEGER NOT NULL,
  advisory_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  state TEXT NOT NULL,
  trigger_kind TEXT NOT NULL,
  identified_at TEXT NOT NULL,
  disclosed_at TEXT NOT NULL,
  lead_time_ms BIGINT,
  resolved_at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (sbom_id, component_idx, advisory_id)
);
CREATE INDEX sbom_findings_advisory ON sbom_findings (advisory_id);
CREATE INDEX sbom_findings_org ON sbom_findings (organization_id, state);

CREATE TABLE sbom_shares (
  supplier_organization_id TEXT NOT NULL REFERENCES organizations (id),
  buyer_organization_id TEXT NOT NULL REFERENCES organizations (id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (supplier_organization_id, buyer_organization_id)
);
CREATE INDEX sbom_shares_buyer ON sbom_shares (buyer_organization_id);

-- The CISA Known Exploited Vulnerabilities catalog as last imported.
CREATE TABLE kev_entries (
  cve_id TEXT PRIMARY KEY,
  date_added TEXT NOT NULL
);
