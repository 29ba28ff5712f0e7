-- Assessments: one organisation x one catalog version x one level.
CREATE TABLE assessments (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  catalog_key TEXT NOT NULL,
  level INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assessments_org ON assessments (organization_id);

CREATE TABLE assessment_answers (
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  criterion_id TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  last_checked TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (assessment_id, criterion_id)
);

CREATE TABLE assessment_evidence (
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  criterion_id TEXT NOT NULL,
  blob_sha256 TEXT NOT NULL,
  PRIMARY KEY (assessment_id, criterion_id, blob_sha256)
);

CREATE TABLE assessment_transitions (
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  event TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (assessment_id, seq)
);
