//! The registry on a real PostgreSQL (the cluster `.ci/test` starts): invariants across
//! stations, replacement and lost-card revocation, handovers, roles, pushing journals through
//! outages and kills, and the signed revocation list export.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use common::{database, issue, login, nik, scratch};
use ektp_registry::{ApplicationType, Error, HolderCheck, Refusal, Registry, RevocationReason};
use ektp_station::{Claim, Journal, RegistrySink, sync};

#[test]
fn a_desk_role_cannot_insert_an_issuance() {
    let (db, url) = database("desk_role");
    let mut admin = Registry::connect(&url).unwrap();
    admin
        .submit_application("A1", &nik(1), ApplicationType::New, None, "intake")
        .unwrap();
    let desk_url = login(&url, &db, "desk", "ektp_desk");
    let mut desk = postgres::Client::connect(&desk_url, postgres::NoTls).unwrap();
    let direct = desk.execute(
        "INSERT INTO issued_cards VALUES ('IDA000001', 'A1', 'aa', $1, 's', 'd', now())",
        &[&vec![0u8; 32]],
    );
    let e = direct.unwrap_err();
    assert_eq!(e.code().unwrap().code(), "42501", "{e}"); // insufficient_privilege
    let through_function = desk.execute(
        "SELECT ektp_record_issued('A1', $1, 'IDA000001', 'aa', $2, 'd', now())",
        &[&nik(1), &vec![0u8; 32]],
    );
    assert_eq!(
        through_function.unwrap_err().code().unwrap().code(),
        "42501"
    );
    // But a desk can look up and record handovers (nothing issued yet: refused by the rule,
    // not by a privilege).
    let mut desk_reg = Registry::connect(&desk_url).unwrap();
    assert!(desk_reg.card("IDA000001").unwrap().is_none());
    assert!(matches!(
        desk_reg.record_handover(
            "IDA000001",
            &[0; 32],
            "desk 1",
            &HolderCheck::Fingerprint { score: 60 }
        ),
        Err(Error::Refused(Refusal::NotIssued))
    ));
    // And a station cannot record handovers.
    let station_url = login(&url, &db, "station", "ektp_station");
    let mut station = postgres::Client::connect(&station_url, postgres::NoTls).unwrap();
    let e = station
        .execute(
            "SELECT ektp_record_handover('IDA000001', $1, 'd', 'fingerprint', 1, NULL)",
            &[&vec![0u8; 32]],
        )
        .unwrap_err();
    assert_eq!(e.code().unwrap().code(), "42501");
}

#[test]
fn a_replacement_revokes_the_old_card_and_the_desk_then_refuses_it() {
    let (db, url) = database("replace");
    let mut reg = Registry::connect(&url).unwrap();
    let station_url = login(&url, &db, "station", "ektp_station");
    let mut station = Registry::connect(&station_url).unwrap();
    let dir = scratch("replace");
    let mut journal = Journal::open(&dir.join("journal.sqlite")).unwrap();

    reg.submit_application("A1", &nik(1), ApplicationType::New, None, "intake")
        .unwrap();
    let old = issue(&mut journal, "A1", "IDA000001", "c001", 1);
    assert!(station.record_issued(&old, &nik(1)).unwrap());
    reg.submit_application(
        "A2",
        &nik(1),
        ApplicationType::Damaged,
        Some("IDA000001"),
        "intake",
    )
    .unwrap();
    assert_eq!(
        reg.revocation("IDA000001").unwrap(),
        None,
        "not before issuance"
    );
    let new = issue(&mut journal, "A2", "IDA000002", "c002", 2);
    assert!(station.record_issued(&new, &nik(1)).unwrap());
    assert_eq!(
        reg.revocation("IDA000001").unwrap().as_deref(),
        Some("damaged")
    );

    let old_sod = hex::decode(&old.sod_sha256).unwrap();
    let mut desk = Registry::connect(&login(&url, &db, "desk", "ektp_desk")).unwrap();
    assert!(matches!(
        desk.record_handover(
            "IDA000001",
            &old_sod,
            "desk 1",
            &HolderCheck::Fingerprint { score: 80 }
        ),
        Err(Error::Refused(Refusal::Revoked))
    ));
    let apps = reg.applications(&nik(1)).unwrap();
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[1].status, "issued");
    assert_eq!(apps[1].document_number.as_deref(), Some("IDA000002"));
}

#[test]
fn a_lost_card_is_revoked_when_the_application_is_accepted() {
    let (_db, url) = database("lost");
    let mut reg = Registry::connect(&url).unwrap();
    reg.submit_application(
        "L1",
        &nik(5),
        ApplicationType::Lost,
        Some("IDA000077"),
        "intake",
    )
    .unwrap();
    assert_eq!(
        reg.revocation("IDA000077").unwrap().as_deref(),
        Some("lost")
    );
    // Revoking again keeps the first reason.
    assert!(
        !reg.revoke("IDA000077", RevocationReason::Stolen, "police")
            .unwrap()
    );
    assert_eq!(
        reg.revocation("IDA000077").unwrap().as_deref(),
        Some("lost")
    );
    assert_eq!(reg.applications("L1").unwrap()[0].status, "submitted");
}

#[test]
fn a_card_is_handed_over_once_and_only_if_it_is_the_one_issued() {
    let (db, url) = database("handover");
    let mut station = Registry::connect(&login(&url, &db, "station", "ektp_station")).unwrap();
    let dir = scratch("handover");
    let mut journal = Journal::open(&dir.join("journal.sqlite")).unwrap();
    let card = issue(&mut journal, "H1", "IDA000010", "c010", 10);
    assert!(station.record_issued(&card, &nik(10)).unwrap());
    assert!(
        !station.record_issued(&card, &nik(10)).unwrap(),
        "idempotent"
    );

    let mut desk = Registry::connect(&login(&url, &db, "desk", "ektp_desk")).unwrap();
    let sod = hex::decode(&card.sod_sha256).unwrap();
    assert!(matches!(
        desk.record_handover(
            "IDA000010",
            &[9; 32],
            "desk 1",
            &HolderCheck::Fingerprint { score: 70 }
        ),
        Err(Error::Refused(Refusal::SodMismatch))
    ));
    desk.set_status("H1", "ready").unwrap();
    desk.record_handover(
        "IDA000010",
        &sod,
        "desk 1",
        &HolderCheck::PowerOfAttorney {
            reference: "PoA 2026/17".into(),
        },
    )
    .unwrap();
    assert!(matches!(
        desk.record_handover(
            "IDA000010",
            &sod,
            "desk 2",
            &HolderCheck::Fingerprint { score: 70 }
        ),
        Err(Error::Refused(Refusal::AlreadyHandedOver))
    ));
    let rec = desk.card("IDA000010").unwrap().unwrap();
    assert_eq!(rec.handed_over_by.as_deref(), Some("desk 1"));
    assert_eq!(desk.applications("H1").unwrap()[0].status, "collected");
    assert!(matches!(
        desk.set_status("H1", "ready"),
        Err(Error::Refused(Refusal::StatusChange))
    ));
}

#[test]
fn two_stations_with_overlapping_queues_never_issue_an_application_twice() {
    let (db, url) = database("two_stations");
    let mut reg = Registry::connect(&url).unwrap();
    for i in 0..40 {
        reg.submit_application(
            &format!("Q{i:02}"),
            &nik(i),
            ApplicationType::New,
            None,
            "intake",
        )
        .unwrap();
    }
    let urls = [
        login(&url, &db, "sa", "ektp_station"),
        login(&url, &db, "sb", "ektp_station"),
    ];
    let dir = scratch("two_stations");
    let handles: Vec<_> = urls
        .iter()
        .enumerate()
        .map(|(s, station_url)| {
            let station_url = station_url.clone();
            let path = dir.join(format!("journal-{s}.sqlite"));
            std::thread::spawn(move || {
                let mut sink = Registry::connect(&station_url).unwrap();
                let mut journal = Journal::open(&path).unwrap();
                // Station 0 takes Q00..Q29 ascending, station 1 Q10..Q39 descending: 20 overlap.
                let queue: Vec<usize> = if s == 0 {
                    (0..30).collect()
                } else {
                    (10..40).rev().collect()
                };
                for i in queue {
                    let app = format!("Q{i:02}");
                    if RegistrySink::claim(&mut sink, &app).unwrap() != Claim::Granted {
                        continue;
                    }
                    let card = issue(
                        &mut journal,
                        &app,
                        &format!("IDA{i:06}"),
                        &format!("{s}c{i:03}"),
                        i,
                    );
                    assert!(RegistrySink::record_issued(&mut sink, &card, &nik(i)).unwrap());
                }
                path
            })
        })
        .collect();
    let mut issued = Vec::new();
    for h in handles {
        let path = h.join().unwrap();
        let journal = Journal::open_read_only(&path).unwrap();
        issued.extend(journal.issued().unwrap().into_iter().map(|c| c.application));
    }
    let unique: BTreeSet<_> = issued.iter().cloned().collect();
    assert_eq!(issued.len(), 40, "every application issued: {issued:?}");
    assert_eq!(unique.len(), 40, "none twice: {issued:?}");
    assert_eq!(reg.issued().unwrap().len(), 40);
    // Each row names the station that logged in, not one it claims to be.
    let stations: BTreeSet<String> = reg
        .client()
        .query("SELECT DISTINCT station FROM issued_cards", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        stations,
        BTreeSet::from([format!("{db}_sa"), format!("{db}_sb")])
    );
    // A station that skips the claim is still stopped by the registry.
    let dir2 = scratch("rogue");
    let mut rogue_journal = Journal::open(&dir2.join("journal.sqlite")).unwrap();
    let rogue = issue(&mut rogue_journal, "Q15", "IDB000015", "ffc015", 15);
    let mut sa = Registry::connect(&urls[0]).unwrap();
    assert!(matches!(
        sa.record_issued(&rogue, &nik(15)),
        Err(Error::Refused(Refusal::AlreadyIssued))
    ));
}

/// Registry rows as (application, document, chip, sod) from the journals.
fn journal_rows(journal: &Journal) -> BTreeSet<(String, String, String, String)> {
    journal
        .issued()
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.application,
                c.document_number,
                c.chip_serial,
                c.sod_sha256,
            )
        })
        .collect()
}

#[test]
fn a_push_killed_at_random_points_twenty_times_leaves_registry_equal_to_the_journal() {
    let (db, url) = database("killed");
    let station_url = login(&url, &db, "station", "ektp_station");
    let dir = scratch("killed");
    let path = dir.join("journal.sqlite");
    let mut journal = Journal::open(&path).unwrap();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut seed = 0x2545_f491_u64;
    let mut killed = 0;
    for round in 0..20 {
        // The station issues a few more cards offline, then pushes; the push is killed by
        // the server terminating its session at a random moment.
        for k in 0..15 {
            let i = round * 15 + k;
            issue(
                &mut journal,
                &format!("K{i:04}"),
                &format!("IDK{i:06}"),
                &format!("c{i:04}"),
                i,
            );
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % 40_000);
        let push_path = path.clone();
        let push_url = station_url.clone();
        let pusher = std::thread::spawn(move || {
            let journal = Journal::open_read_only(&push_path).unwrap();
            match Registry::connect(&push_url) {
                Ok(mut sink) => sync(&journal, &mut sink).unwrap(),
                // Killed while logging in.
                Err(e) => ektp_station::SyncReport {
                    unreachable: Some(e.to_string()),
                    ..Default::default()
                },
            }
        });
        std::thread::sleep(delay);
        admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
                &[&format!("{db}_station")],
            )
            .unwrap();
        let report = pusher.join().unwrap();
        if report.unreachable.is_some() {
            killed += 1;
        }
        assert!(report.refused.is_empty(), "{report:?}");
    }
    assert!(killed > 0, "at least one push was really killed mid-way");
    // Restarted: one clean push completes, and the registry holds exactly the journal.
    let mut sink = Registry::connect(&station_url).unwrap();
    let report = sync(&journal, &mut sink).unwrap();
    assert!(report.complete(), "{report:?}");
    let registry: BTreeSet<_> = Registry::connect(&url)
        .unwrap()
        .issued()
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(registry, journal_rows(&journal));
    assert_eq!(registry.len(), 300);
}

#[test]
fn with_the_registry_down_a_batch_finishes_offline_and_syncs_later() {
    let (db, url) = database("outage");
    let station_url = login(&url, &db, "station", "ektp_station");
    let dir = scratch("outage");
    let mut journal = Journal::open(&dir.join("journal.sqlite")).unwrap();
    let mut sink = Registry::connect(&station_url).unwrap();
    for i in 0..5 {
        issue(
            &mut journal,
            &format!("O{i}"),
            &format!("IDO{i:06}"),
            &format!("d{i:03}"),
            i,
        );
        assert!(sync(&journal, &mut sink).unwrap().complete());
    }
    // The registry goes away: its address now leads nowhere (a socket directory with no
    // server), and the station's session is gone.
    let down = format!("host={} user=nobody dbname={db}", dir.display());
    assert!(matches!(
        Registry::connect(&down),
        Err(Error::Unreachable(_))
    ));
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
            &[&format!("{db}_station")],
        )
        .unwrap();
    for i in 5..12 {
        issue(
            &mut journal,
            &format!("O{i}"),
            &format!("IDO{i:06}"),
            &format!("d{i:03}"),
            i,
        );
        let report = sync(&journal, &mut sink).unwrap();
        assert!(report.unreachable.is_some(), "{report:?}");
    }
    assert_eq!(
        journal.issued().unwrap().len(),
        12,
        "the batch finished offline"
    );
    // Back up: one sync catches up.
    let mut sink = Registry::connect(&station_url).unwrap();
    let report = sync(&journal, &mut sink).unwrap();
    assert_eq!((report.pushed, report.already), (7, 5), "{report:?}");
    let registry: BTreeSet<_> = Registry::connect(&url)
        .unwrap()
        .issued()
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(registry, journal_rows(&journal));
}

#[test]
fn the_exported_revocation_list_verifies_and_fails_closed_when_stale() {
    use ektp_pki::revocation_list::{ListFailure, verify_revocation_list};
    let (_db, url) = database("export");
    let mut reg = Registry::connect(&url).unwrap();
    assert_eq!(reg.migrate().unwrap(), 0, "migrations apply once");
    reg.revoke("IDA000003", RevocationReason::Stolen, "police")
        .unwrap();
    reg.revoke("IDA000001", RevocationReason::Deceased, "civil registry")
        .unwrap();
    let dir = scratch("export");
    let now = SystemTime::now();
    let files = ektp_pki::test_pki::generate_test_pki(&dir, now).unwrap();
    let trust = ektp_pki::TrustStore::load_dir(&files.trust_dir).unwrap();
    let signer =
        ektp_pki::RingSigner::from_files(&files.revocation_signer.1, &files.revocation_signer.0)
            .unwrap();
    let list = reg
        .export_revocations(&signer, 1, now, Duration::from_secs(86_400))
        .unwrap();
    let v = verify_revocation_list(&list, &trust, now).unwrap();
    assert_eq!(v.documents.revoked(), ["IDA000001", "IDA000003"]);
    assert!(matches!(
        verify_revocation_list(&list, &trust, now + Duration::from_secs(86_401)),
        Err(ektp_pki::PkiError::RevocationList(
            ListFailure::Stale { .. }
        ))
    ));
    let counts = reg.counts().unwrap();
    assert_eq!((counts.schema_version, counts.revoked), (1, 2));
}
