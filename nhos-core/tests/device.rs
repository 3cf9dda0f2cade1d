//! Device checks (`nhos fleet`): every query of the example's profiles is SQL that
//! SQLite (osquery's engine) prepares against stub tables with osquery's own column
//! names (tests/osquery/tables.sql); run on a stub of a compliant machine each
//! returns a row, and on a machine that broke the rule none. The Fleet YAML and
//! the pack are reviewed snapshots.

mod common;

use nhos_core::device::{Check, checks, fleet_yaml, osquery_pack};
use rusqlite::Connection;

fn machine() -> Connection {
    let c = Connection::open_in_memory().expect("sqlite");
    let tables =
        std::fs::read_to_string(common::repo_root().join("nhos-core/tests/osquery/tables.sql"))
            .expect("tables.sql");
    c.execute_batch(&tables).expect("osquery's tables");
    c
}

/// A machine as the clinical profile's configuration makes it.
fn compliant(c: &Connection, all: &[Check]) {
    c.execute_batch(
        "INSERT INTO mounts (device, device_alias, path, type) VALUES ('/dev/mapper/root', '/dev/dm-0', '/', 'ext4');
         INSERT INTO disk_encryption (name, uuid, encrypted, type, encryption_status) VALUES ('/dev/dm-0', 'u', 1, 'LUKS2-aes-xts-plain64', 'encrypted');
         INSERT INTO disk_encryption (name, uuid, encrypted, type, encryption_status) VALUES ('/dev/sda2', 'u', 0, '', 'not encrypted');
         INSERT INTO systemd_units (id, active_state) VALUES ('firewall.service', 'active');
         INSERT INTO augeas (node, value, label, path) VALUES ('/files/etc/ssh/sshd_config/PasswordAuthentication', 'no', 'PasswordAuthentication', '/etc/ssh/sshd_config');
         INSERT INTO augeas (node, value, label, path) VALUES ('/files/etc/ssh/sshd_config/PermitRootLogin', 'no', 'PermitRootLogin', '/etc/ssh/sshd_config');
         INSERT INTO augeas (node, value, label, path) VALUES ('/files/etc/ssh/sshd_config/Match/Settings/PasswordAuthentication', 'yes', 'PasswordAuthentication', '/etc/ssh/sshd_config');
         INSERT INTO kernel_modules (name, status) VALUES ('ext4', 'Live');
         INSERT INTO systemd_units (id, active_state) VALUES ('auditd.service', 'active');",
    )
    .expect("rows");
    // The sysctls the queries ask for, at the values they ask for.
    for ch in all
        .iter()
        .filter(|c| c.rule == "R27" && c.profile == "clinical")
    {
        for part in ch.query.split("(name = '").skip(1) {
            let name = part.split('\'').next().expect("name");
            let value = part
                .split("current_value = '")
                .nth(1)
                .and_then(|v| v.split('\'').next())
                .expect("value");
            c.execute(
                "INSERT OR IGNORE INTO system_controls (name, subsystem, current_value, type) VALUES (?1, 'kernel', ?2, 'string')",
                [name, value],
            )
            .expect("sysctl");
        }
    }
}

fn passes(c: &Connection, query: &str) -> bool {
    let mut s = c.prepare(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    s.exists([]).expect("runs")
}

#[test]
fn every_query_is_osquery_sql_and_tells_a_compliant_machine_from_a_broken_one() {
    let e = nhos_core::load(common::example()).expect("example");
    let toplevel =
        "/nix/store/0000000000000000000000000000000a-nixos-system-clinical-26.05".to_owned();
    let all = checks(&e, &[("clinical".into(), toplevel.clone())]);
    let clinical: Vec<&Check> = all.iter().filter(|c| c.profile == "clinical").collect();
    let rules: Vec<&str> = clinical.iter().map(|c| c.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["R4", "R9", "R15", "R27", "R28", "R18", "DRIFT"],
        "{rules:?}"
    );
    let c = machine();
    for ch in &all {
        c.prepare(&ch.query)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", ch.name, ch.query));
        assert!(
            ch.name
                .starts_with(&format!("nhos-{}-{}-", ch.rule, ch.profile))
        );
    }
    compliant(&c, &all);
    c.execute(
        "INSERT INTO file (path, directory, filename, symlink, type, symlink_target_path) VALUES ('/run/current-system', '/run', 'current-system', 1, 'symlink', ?1)",
        [&toplevel],
    )
    .expect("file");
    for ch in &clinical {
        assert!(
            passes(&c, &ch.query),
            "a compliant machine fails {}",
            ch.name
        );
    }
    // Each rule broken in turn: its check, and only it, fails.
    let modules = &clinical
        .iter()
        .find(|c| c.rule == "R28")
        .expect("R28")
        .query;
    let blocked = modules
        .split("IN ('")
        .nth(1)
        .and_then(|m| m.split('\'').next())
        .expect("a module");
    let load_blocked =
        format!("INSERT INTO kernel_modules (name, status) VALUES ('{blocked}', 'Live')");
    let breaks = [
        (
            "R4",
            "UPDATE disk_encryption SET encrypted = 0, encryption_status = 'not encrypted' WHERE name = '/dev/dm-0'",
        ),
        (
            "R9",
            "UPDATE systemd_units SET active_state = 'failed' WHERE id = 'firewall.service'",
        ),
        (
            "R18",
            "INSERT INTO kernel_modules (name, status) VALUES ('usb_storage', 'Live')",
        ),
        (
            "R27",
            "UPDATE system_controls SET current_value = '0' WHERE name = 'kernel.kptr_restrict'",
        ),
        ("R28", load_blocked.as_str()),
        (
            "R15",
            "UPDATE systemd_units SET active_state = 'failed' WHERE id = 'auditd.service'",
        ),
        (
            "DRIFT",
            "UPDATE file SET symlink_target_path = '/nix/store/1111111111111111111111111111111b-nixos-system-clinical-26.05'",
        ),
    ];
    for (rule, sql) in breaks {
        c.execute_batch("SAVEPOINT s").expect("savepoint");
        c.execute_batch(sql).expect(sql);
        for ch in &clinical {
            assert_eq!(
                passes(&c, &ch.query),
                ch.rule != rule,
                "{rule} broken: {}",
                ch.name
            );
        }
        c.execute_batch("ROLLBACK TO s; RELEASE s")
            .expect("rollback");
    }
}

#[test]
fn fleet_policies_and_the_osquery_pack() {
    let e = nhos_core::load(common::example()).expect("example");
    let all = checks(&e, &[]);
    insta::assert_snapshot!("fleet-policies", fleet_yaml(&all));
    let pack = osquery_pack(&all);
    let v: serde_json::Value = serde_json::from_str(&pack).expect("json");
    let queries = v["queries"].as_object().expect("queries");
    assert_eq!(queries.len(), all.len());
    for q in queries.values() {
        assert_eq!(q["interval"], 3600);
        assert_eq!(q["platform"], "linux");
    }
    insta::assert_snapshot!("osquery-pack", pack);
}

/// The sshd check of the server profile: a `Match` block may say otherwise for its
/// hosts, but a second top-level value (sshd takes the first) fails it.
#[test]
fn sshd_settings_are_judged_at_the_top_level() {
    let e = nhos_core::load(common::example()).expect("example");
    let all = checks(&e, &[]);
    let q = &all
        .iter()
        .find(|c| c.rule == "R25")
        .expect("an R25 check")
        .query;
    let c = machine();
    c.execute_batch(
        "INSERT INTO augeas (node, value, label, path) VALUES ('/files/etc/ssh/sshd_config/PasswordAuthentication', 'no', 'PasswordAuthentication', '/etc/ssh/sshd_config');
         INSERT INTO augeas (node, value, label, path) VALUES ('/files/etc/ssh/sshd_config/PermitRootLogin', 'no', 'PermitRootLogin', '/etc/ssh/sshd_config');
         INSERT INTO augeas (node, value, label, path) VALUES ('/files/etc/ssh/sshd_config/Match/Settings/PermitRootLogin', 'yes', 'PermitRootLogin', '/etc/ssh/sshd_config');",
    )
    .expect("rows");
    assert!(passes(&c, q), "{q}");
    c.execute_batch(
        "INSERT INTO augeas (node, value, label, path) VALUES ('/files/etc/ssh/sshd_config/PasswordAuthentication[2]', 'yes', 'PasswordAuthentication', '/etc/ssh/sshd_config');",
    )
    .expect("row");
    assert!(!passes(&c, q), "a second top-level value must fail");
}
