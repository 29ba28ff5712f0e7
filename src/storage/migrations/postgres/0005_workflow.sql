-- Reviews (★3 expert confirmation, ★4 third-party evaluation), uploads, declarations,
-- certifications and credentials, sharing with buyers, and buyer-supplier relationships.
CREATE TABLE assessment_assignments (
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (assessment_id, role)
);
CREATE INDEX assessment_assignments_user ON assessment_assignments (user_id);

CREATE TABLE assessment_uploads (
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  criterion_id TEXT NOT NULL DEFAULT '',
  blob_sha256 TEXT NOT NULL,
  filename TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  PRIMARY KEY (assessment_id, kind, criterion_id, blob_sha256)
);

CREATE TABLE review_comments (
  id TEXT PRIMARY KEY,
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  criterion_id TEXT NOT NULL,
  author_user_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX review_comments_assessment ON review_comments (assessment_id);

CREATE TABLE review_results (
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  result TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (assessment_id, kind)
);

CREATE TABLE declarations (
  assessment_id TEXT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  signer_name TEXT NOT NULL,
  signer_title TEXT NOT NULL,
  statement TEXT NOT NULL,
  declared_at TEXT NOT NULL
);

CREATE TABLE certifications (
  id TEXT PRIMARY KEY,
  assessment_id TEXT NOT NULL UNIQUE REFERENCES assessments (id),
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  level INTEGER NOT NULL,
  catalog_key TEXT NOT NULL,
  scope TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  expires_on TEXT NOT NULL,
  assessment_digest TEXT NOT NULL,
  credential TEXT NOT NULL,
  revoked_at TEXT,
  revocation_reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX certifications_org ON certifications (organization_id);

CREATE TABLE annual_self_assessments (
  certification_id TEXT NOT NULL REFERENCES certifications (id) ON DELETE CASCADE,
  due_on TEXT NOT NULL,
  assessment_id TEXT,
  submitted_at TEXT,
  PRIMARY KEY (certification_id, due_on)
);

CREATE TABLE assessment_shares (
  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  buyer_organization_id TEXT NOT NULL REFERENCES organizations (id),
  shared_at TEXT NOT NULL,
  PRIMARY KEY (assessment_id, buyer_organization_id)
);
CREATE INDEX assessment_shares_buyer ON assessment_shares (buyer_organization_id);

CREATE TABLE supplier_relationships (
  id TEXT PRIMARY KEY,
  buyer_organization_id TEXT NOT NULL REFERENCES organizations (id),
  supplier_organization_id TEXT NOT NULL REFERENCES organizations (id),
  required_level INTEGER NOT NULL,
  decision TEXT NOT NULL,
  name_consent INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (buyer_organization_id, supplier_organization_id)
);
CREATE INDEX supplier_relationships_supplier ON supplier_relationships (supplier_organization_id);

CREATE TABLE level_requests (
  id TEXT PRIMARY KEY,
  relationship_id TEXT NOT NULL REFERENCES supplier_relationships (id) ON DELETE CASCADE,
  buyer_organization_id TEXT NOT NULL,
  supplier_organization_id TEXT NOT NULL,
  level INTEGER NOT NULL,
  due_on TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  response_note TEXT NOT NULL DEFAULT '',
  responded_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX level_requests_supplier ON level_requests (supplier_organization_id);
CREATE INDEX level_requests_buyer ON level_requests (buyer_organization_id);
