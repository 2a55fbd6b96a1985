//! The throwaway PostgreSQL cluster `.ci/test` starts (`.ci/pg`), one database per test.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU32, Ordering};

use ektp_station::journal::{SignerId, Start};
use ektp_station::{IssuedCard, Journal};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The cluster's connection string (without dbname). A run without it FAILS: these tests
/// need the real server, never a skip.
pub fn cluster() -> String {
    std::env::var("EKTP_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "EKTP_TEST_PG is not set: run the tests through .ci/test, which starts a throwaway \
             PostgreSQL cluster (or by hand: `. .ci/pg && ci_pg_start`, then cargo test)"
        )
    })
}

/// A fresh, migrated database for one test: its name and connection string.
pub fn database(test: &str) -> (String, String) {
    let base = cluster();
    let name = format!(
        "t_{}_{}_{}",
        test,
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = postgres::Client::connect(&format!("{base} dbname=postgres"), postgres::NoTls)
        .expect("connect to the test cluster");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let url = format!("{base} dbname={name}");
    let mut reg = ektp_registry::Registry::connect(&url).unwrap();
    assert_eq!(reg.migrate().unwrap(), ektp_registry::MIGRATIONS.len());
    (name, url)
}

/// A login role in `group` (ektp_station, ektp_desk, ...) named after the database, and the
/// connection string that logs in as it.
pub fn login(url: &str, db: &str, who: &str, group: &str) -> String {
    let role = format!("{db}_{who}");
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE ROLE {role} LOGIN IN ROLE {group}"))
        .unwrap();
    format!(
        "{} dbname={db} user={role}",
        cluster().replace("user=postgres", "")
    )
}

/// A scratch directory.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ektp-registry-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A synthetic NIK for application `i`.
pub fn nik(i: usize) -> String {
    format!("3171{:012}", i)
}

/// Issues application `app` in `journal` as a station would (begin, write, finish).
pub fn issue(journal: &mut Journal, app: &str, document: &str, chip: &str, n: usize) -> IssuedCard {
    let id = journal
        .begin(&Start {
            application: app,
            chip_serial: chip,
            document_number: document,
            nik: &nik(n),
        })
        .unwrap();
    let sod = format!("{:064x}", n.wrapping_mul(7919).wrapping_add(1));
    journal
        .finish_issued(
            id,
            &sod,
            &SignerId {
                subject: "CN=Document Signer 1 TEST ONLY".to_owned(),
                sha256: "00".repeat(32),
            },
        )
        .unwrap()
}
