-- Collective-defense telemetry (issue #6): processed batches (the batch id is the idempotency key
-- that makes stream redelivery count nothing twice), detections, sightings per (organisation,
-- attacker-side target) — the correlation input —, campaigns (one target seen at k or more
-- organisations within the window), early warnings, and each supplier's consent to warn its buyers
-- (and to show them its name). Event times are microseconds since the Unix epoch (UTC).
CREATE TABLE telemetry_batches (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  source TEXT NOT NULL,
  received_at TEXT NOT NULL,
  processed_at TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  events INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  malformed INTEGER NOT NULL,
  malformed_detail TEXT NOT NULL,
  detections INTEGER NOT NULL,
  first_ts_us INTEGER,
  last_ts_us INTEGER
);
CREATE INDEX telemetry_batches_org ON telemetry_batches (organization_id, processed_at);

CREATE TABLE telemetry_detections (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  batch_id TEXT NOT NULL REFERENCES telemetry_batches (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  score REAL NOT NULL,
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  name TEXT NOT NULL,
  target TEXT NOT NULL,
  targets TEXT NOT NULL,
  events INTEGER NOT NULL,
  first_ts_us INTEGER NOT NULL,
  last_ts_us INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX telemetry_detections_org ON telemetry_detections (organization_id, created_at);
CREATE INDEX telemetry_detections_target ON telemetry_detections (target);

CREATE TABLE telemetry_sightings (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  target TEXT NOT NULL,
  kind TEXT NOT NULL,
  max_score REAL NOT NULL,
  detections INTEGER NOT NULL,
  first_ts_us INTEGER NOT NULL,
  last_ts_us INTEGER NOT NULL,
  PRIMARY KEY (organization_id, target)
);
CREATE INDEX telemetry_sightings_target ON telemetry_sightings (target, last_ts_us);

CREATE TABLE telemetry_campaigns (
  id TEXT PRIMARY KEY,
  target TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  max_score REAL NOT NULL,
  organizations INTEGER NOT NULL,
  first_ts_us INTEGER NOT NULL,
  last_ts_us INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE telemetry_campaign_members (
  campaign_id TEXT NOT NULL REFERENCES telemetry_campaigns (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  first_ts_us INTEGER NOT NULL,
  last_ts_us INTEGER NOT NULL,
  joined_at TEXT NOT NULL,
  PRIMARY KEY (campaign_id, organization_id)
);
CREATE INDEX telemetry_campaign_members_org ON telemetry_campaign_members (organization_id);

CREATE TABLE telemetry_warnings (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES telemetry_campaigns (id) ON DELETE CASCADE,
  recipient_organization_id TEXT NOT NULL REFERENCES organizations (id),
  subject_organization_id TEXT NOT NULL REFERENCES organizations (id),
  relation TEXT NOT NULL,
  created_at TEXT NOT NULL,
  acknowledged_at TEXT NOT NULL DEFAULT '',
  UNIQUE (campaign_id, recipient_organization_id, subject_organization_id)
);
CREATE INDEX telemetry_warnings_recipient ON telemetry_warnings (recipient_organization_id,
                                                                 created_at);

CREATE TABLE telemetry_consents (
  relationship_id TEXT PRIMARY KEY REFERENCES supplier_relationships (id) ON DELETE CASCADE,
  warn_buyer INTEGER NOT NULL,
  disclose_identity INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
