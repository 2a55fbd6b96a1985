//! Registry throughput on this machine (prints figures; needs the PostgreSQL cluster of
//! `.ci/pg`, i.e. `EKTP_TEST_PG`):
//!
//! ```sh
//! . .ci/pg && ci_pg_start && cargo bench -p ektp-registry --bench throughput; ci_pg_stop
//! ```
//!
//! 1. issuance rows pushed per second (`ektp_station::sync` of a journal, one transaction per
//!    row, as a station pushes);
//! 2. verify look-ups per second (a desk's `Registry::card`) with one million issued cards
//!    loaded (loaded with COPY);
//! 3. export time and size of the signed revocation list of one million revoked numbers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    missing_docs
)]

use std::io::Write as _;
use std::time::{Duration, Instant, SystemTime};

use ektp_registry::Registry;
use ektp_station::journal::{SignerId, Start};
use ektp_station::{Journal, sync};

const PUSHED: usize = 2_000;
const LOADED: usize = 1_000_000;
const LOOKUPS: usize = 20_000;

fn database(base: &str, name: &str) -> String {
    let mut admin =
        postgres::Client::connect(&format!("{base} dbname=postgres"), postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let url = format!("{base} dbname={name}");
    Registry::connect(&url).unwrap().migrate().unwrap();
    url
}

fn push(url: &str) {
    let dir = std::env::temp_dir().join(format!("ektp-registry-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut journal = Journal::open(&dir.join("journal.sqlite")).unwrap();
    let signer = SignerId {
        subject: "CN=Document Signer 1 TEST ONLY".to_owned(),
        sha256: "00".repeat(32),
    };
    for i in 0..PUSHED {
        let id = journal
            .begin(&Start {
                application: &format!("P{i:07}"),
                chip_serial: &format!("{i:016x}"),
                document_number: &format!("IDP{i:06}"),
                nik: &format!("3171{i:012}"),
            })
            .unwrap();
        journal
            .finish_issued(id, &format!("{:064x}", i + 1), &signer)
            .unwrap();
    }
    let mut sink = Registry::connect(url).unwrap();
    let started = Instant::now();
    let report = sync(&journal, &mut sink).unwrap();
    let took = started.elapsed();
    assert_eq!(report.pushed, PUSHED);
    println!(
        "push: {PUSHED} issued rows in {:.2} s = {:.0} rows/s (one transaction per row)",
        took.as_secs_f64(),
        PUSHED as f64 / took.as_secs_f64()
    );
    let started = Instant::now();
    let again = sync(&journal, &mut sink).unwrap();
    assert_eq!(again.already, PUSHED);
    println!(
        "re-push (all already recorded): {:.0} rows/s",
        PUSHED as f64 / started.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn load_million(reg: &mut Registry) -> Duration {
    let started = Instant::now();
    let client = reg.client();
    let mut apps = client
        .copy_in("COPY applications (application_id, nik, type, status) FROM STDIN")
        .unwrap();
    for i in 0..LOADED {
        writeln!(apps, "M{i:07}\t3172{i:012}\tnew\tissued").unwrap();
    }
    apps.finish().unwrap();
    let mut cards = client
        .copy_in(
            "COPY issued_cards (document_number, application_id, chip_serial, sod_sha256, \
             station, document_signer, issued_at) FROM STDIN",
        )
        .unwrap();
    for i in 0..LOADED {
        writeln!(
            cards,
            "IDM{i:06}\tM{i:07}\t{i:016x}\t\\\\x{:064x}\tstation\tDS1\t2026-01-01T00:00:00Z",
            i + 1
        )
        .unwrap();
    }
    cards.finish().unwrap();
    client.batch_execute("ANALYZE").unwrap();
    started.elapsed()
}

fn lookups(reg: &mut Registry) {
    let started = Instant::now();
    let mut found = 0usize;
    for k in 0..LOOKUPS {
        let i = (k * 7919) % LOADED;
        if reg.card(&format!("IDM{i:06}")).unwrap().is_some() {
            found += 1;
        }
    }
    let took = started.elapsed();
    assert_eq!(found, LOOKUPS);
    println!(
        "verify look-ups with {LOADED} issued cards: {LOOKUPS} in {:.2} s = {:.0} look-ups/s \
         ({:.0} µs each, one connection)",
        took.as_secs_f64(),
        LOOKUPS as f64 / took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / LOOKUPS as f64
    );
}

fn export(reg: &mut Registry) {
    let client = reg.client();
    let mut rev = client
        .copy_in("COPY revocations (document_number, reason, revoked_by) FROM STDIN")
        .unwrap();
    for i in 0..LOADED {
        writeln!(rev, "IDM{i:06}\treplaced\tbench").unwrap();
    }
    rev.finish().unwrap();
    let dir = std::env::temp_dir().join(format!("ektp-registry-bench-pki-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let now = SystemTime::now();
    let files = ektp_pki::test_pki::generate_test_pki(&dir, now).unwrap();
    let signer =
        ektp_pki::RingSigner::from_files(&files.revocation_signer.1, &files.revocation_signer.0)
            .unwrap();
    let started = Instant::now();
    let list = reg
        .export_revocations(&signer, 1, now, Duration::from_secs(7 * 86_400))
        .unwrap();
    let took = started.elapsed();
    let trust = ektp_pki::TrustStore::load_dir(&files.trust_dir).unwrap();
    let started_verify = Instant::now();
    let v = ektp_pki::revocation_list::verify_revocation_list(&list, &trust, now).unwrap();
    let verify_took = started_verify.elapsed();
    assert_eq!(v.documents.revoked().len(), LOADED);
    println!(
        "export of {LOADED} revoked numbers: {:.2} s, signed list {} bytes ({:.1} MiB); \
         verifying it at a desk: {:.2} s",
        took.as_secs_f64(),
        list.len(),
        list.len() as f64 / 1_048_576.0,
        verify_took.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn main() {
    let base = std::env::var("EKTP_TEST_PG")
        .expect("EKTP_TEST_PG is not set: start the cluster with `. .ci/pg && ci_pg_start`");
    let url = database(&base, "ektp_bench_push");
    push(&url);
    let url = database(&base, "ektp_bench_million");
    let mut reg = Registry::connect(&url).unwrap();
    let load = load_million(&mut reg);
    println!(
        "load: {LOADED} applications + issued cards with COPY in {:.1} s",
        load.as_secs_f64()
    );
    lookups(&mut reg);
    export(&mut reg);
}
