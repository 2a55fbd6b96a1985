//! An agency reads an e-KTP card with the ektp library.
//!
//! ```text
//! cargo run -p ektp --example agency_read
//! ```
//!
//! No reader and no card are needed: a virtual e-KTP chip (`ektp-chip`) runs in-process as
//! a stand-in. [`issue_specimen_card`] plays the printing station once (a TEST ONLY PKI and
//! batch key, the `pria` specimen), so that there is a card to read. Everything after that,
//! in [`read_as_agency`], is what an agency writes, and it is generic over
//! [`CardTransport`]: with a PC/SC reader, pass an `ektp_pcsc::PcscCard` instead (see
//! docs/agency-developer.md).

use std::error::Error as StdError;
use std::time::{Duration, SystemTime};

use ektp::{
    Can, Card, CheckKind, Error, ReadRequest, RevocationList, Station, TrustStore, VerifyPolicy,
};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_iso7816::CardTransport;
use ektp_lds::{Dg2, DgNumber, LdsFile};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};

/// The specimen this example issues and reads (synthetic person, cards/specimens/pria).
const SPECIMEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cards/specimens/pria/application.json"
);

const DAY: Duration = Duration::from_secs(86_400);
const THIRTY_DAYS: Duration = Duration::from_secs(30 * 86_400);
const TEN_YEARS: Duration = Duration::from_secs(3650 * 86_400);

fn main() -> Result<(), Box<dyn StdError>> {
    let (transport, can, trust) = issue_specimen_card()?;
    read_as_agency(transport, &can, &trust)?;
    Ok(())
}

/// The printing station's part, as the host tests do it (`tests/fixtures.rs`, used by
/// `crates/ektp/tests/flows.rs`): a TEST ONLY root and document signer, a blank virtual chip from the TEST ONLY batch, personalized with the
/// specimen application and locked. Returns the card (as a transport), the CAN printed on it
/// and the trust store a pickup desk or agency would load with `TrustStore::load_dir`.
fn issue_specimen_card() -> Result<(InProcess<Chip>, Can, TrustStore), Box<dyn StdError>> {
    let now = SystemTime::now();
    let yesterday = now.checked_sub(DAY).ok_or("clock out of range")?;
    let root = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA e-KTP",
        &TestKey::EcdsaP256,
        yesterday,
        now.checked_add(TEN_YEARS).ok_or("clock out of range")?,
    )?;
    let ds = root.issue_document_signer(&DocumentSignerSpec::new(
        "DS station 1",
        TestKey::EcdsaP256,
        now,
    ))?;
    let next_update = now.checked_add(THIRTY_DAYS).ok_or("clock out of range")?;
    let crl = root.crl(&[], yesterday, next_update, 1)?;
    let mut trust = TrustStore::new();
    trust.add_root_der(root.certificate_der())?;
    trust.add_crl_der(&crl)?;

    let app = ektp::load_application(SPECIMEN)?;
    let master_key = ektp_chip::os::test_perso_master_key()?;
    let chip = Chip::new_blank([0x45, 0x4B, 0x54, 0x50, 0, 0, 0, 1], &master_key)?;
    let mut card = Card::new(chip.into_in_process())?;
    let signer = ds.signer()?;
    let station = Station {
        signer: &signer,
        master_key: &master_key,
        trust: &trust,
        cvca: None,
    };
    let outcome = card.personalize(&app, &station, &mut |_| {})?;
    println!(
        "printing station: card {} issued and locked ({} APDUs)",
        outcome.document_number, outcome.stats.apdus
    );

    // The CAN is printed on the card; the holder shows it to the agency.
    let can = app.can.clone();
    Ok((card.into_transport(), can, trust))
}

/// The agency's part: works the same over a PC/SC reader or the in-process chip.
fn read_as_agency<T: CardTransport>(
    transport: T,
    can: &Can,
    trust: &TrustStore,
) -> Result<(), Error> {
    let mut card = Card::new(transport)?;

    // A mistyped CAN is a typed error with a message that says what to do.
    let mistyped = Can::new("000000")?;
    match card.pace(&mistyped) {
        Err(Error::WrongCan) => println!("wrong CAN refused: {}", Error::WrongCan),
        Err(other) => return Err(other),
        Ok(_) => println!("unexpected: the chip accepted a wrong CAN"),
    }

    // PACE with the CAN opens a secure session; only it can read data groups.
    let before = card.stats();
    let mut session = card.pace(can)?;

    // Only what is needed: DG1, DG11, DG12, DG13 (no portrait, no signature, no SOD).
    let files = session.read_files(ReadRequest::HOLDER)?;
    let holder = files.holder_record()?;
    println!("NIK:            {}", holder.nik);
    println!("name:           {}", holder.name);
    println!(
        "born:           {}, {}",
        holder.place_of_birth, holder.date_of_birth
    );
    println!(
        "address:        {}, {}, {}",
        holder.address.street, holder.address.kecamatan, holder.address.kabupaten_kota
    );
    println!("document:       {}", holder.document_number.as_str());

    // The portrait, as the raw data group (hash these bytes, never a re-encoding).
    let dg2 = Dg2::decode(&session.read(LdsFile::Dg(DgNumber::DG2))?)?;
    let face = dg2.face();
    println!(
        "portrait:       {:?} {}x{}, {} bytes",
        face.format,
        face.width,
        face.height,
        face.image.len()
    );

    // The fingerprints (DG3) need Terminal Authentication (a terminal certificate, see
    // docs/terminal-pki.md): without it the chip answers 6982 and the library says so.
    match session.read(LdsFile::Dg(DgNumber::DG3)) {
        Err(Error::Card { sw, during }) => println!("DG3:            {during} -> {sw}"),
        Err(other) => return Err(other),
        Ok(_) => println!("unexpected: DG3 was readable"),
    }
    let read_stats = session.stats().since(&before);

    // Is the card genuine? The same checks a pickup desk runs (no expected application here;
    // no revocation list either, so `not_revoked` is reported as not checked).
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust,
        revoked: &revoked,
        expected: None,
        at: SystemTime::now(),
    };
    let report = card.verify(can, &policy)?;
    for check in &report.checks {
        // PASS, FAIL, or SKIP for a check that was not made (no revocation list here).
        let mark = check.status().label();
        println!("{mark} {:?}: {}", check.check, check.reason);
    }
    let aa = report.check(CheckKind::ActiveAuthentication);
    println!(
        "verified: {} (chip genuine: {})",
        report.passed,
        aa.is_some_and(|c| c.passed)
    );
    println!(
        "PACE and reading took {} APDUs, {} bytes received",
        read_stats.apdus, read_stats.bytes_received
    );
    Ok(())
}
