-- osquery tables as the device checks use them: each table's columns and types
-- exactly as osquery/osquery specs/ declares them (the spec file is named above
-- each). Written for the tests: SQLite prepares every query against these, so a
-- query naming a column osquery does not have fails.

-- osquery/osquery:specs/posix/mounts.table
CREATE TABLE mounts (
  device TEXT,
  device_alias TEXT,
  path TEXT,
  type TEXT,
  blocks_size BIGINT,
  blocks BIGINT,
  blocks_free BIGINT,
  blocks_available BIGINT,
  inodes BIGINT,
  inodes_free BIGINT,
  flags TEXT
);

-- osquery/osquery:specs/posix/disk_encryption.table
CREATE TABLE disk_encryption (
  name TEXT,
  uuid TEXT,
  encrypted INTEGER,
  type TEXT,
  encryption_status TEXT
);

-- osquery/osquery:specs/linux/iptables.table
CREATE TABLE iptables (
  filter_name TEXT,
  chain TEXT,
  policy TEXT,
  target TEXT,
  protocol INTEGER,
  src_port TEXT,
  dst_port TEXT,
  src_ip TEXT,
  src_mask TEXT,
  iniface TEXT,
  iniface_mask TEXT,
  dst_ip TEXT,
  dst_mask TEXT,
  outiface TEXT,
  outiface_mask TEXT,
  match TEXT,
  packets INTEGER,
  bytes INTEGER
);

-- osquery/osquery:specs/posix/augeas.table
CREATE TABLE augeas (
  node TEXT,
  value TEXT,
  label TEXT,
  path TEXT
);

-- osquery/osquery:specs/posix/system_controls.table
CREATE TABLE system_controls (
  name TEXT,
  oid TEXT,
  subsystem TEXT,
  current_value TEXT,
  config_value TEXT,
  type TEXT
);

-- osquery/osquery:specs/linux/kernel_modules.table
CREATE TABLE kernel_modules (
  name TEXT,
  size BIGINT,
  used_by TEXT,
  status TEXT,
  address TEXT
);

-- osquery/osquery:specs/linux/systemd_units.table
CREATE TABLE systemd_units (
  id TEXT,
  description TEXT,
  load_state TEXT,
  active_state TEXT,
  sub_state TEXT,
  unit_file_state TEXT,
  following TEXT,
  object_path TEXT,
  job_id BIGINT,
  job_type TEXT,
  job_path TEXT,
  fragment_path TEXT,
  user TEXT,
  source_path TEXT
);

-- osquery/osquery:specs/utility/file.table
CREATE TABLE file (
  path TEXT,
  directory TEXT,
  filename TEXT,
  inode BIGINT,
  uid BIGINT,
  gid BIGINT,
  mode TEXT,
  device BIGINT,
  size BIGINT,
  block_size INTEGER,
  atime BIGINT,
  mtime BIGINT,
  ctime BIGINT,
  btime BIGINT,
  hard_links INTEGER,
  symlink INTEGER,
  type TEXT,
  symlink_target_path TEXT
);
