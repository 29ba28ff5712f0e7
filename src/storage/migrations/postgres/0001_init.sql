-- Instance-wide settings (key/value), e.g. the installation id and the default language.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
