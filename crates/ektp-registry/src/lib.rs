#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod desk;

use std::time::{Duration, Instant, SystemTime};

use ektp_station::{Claim, IssuedCard, RegistrySink, SinkError};
use postgres::{Client, NoTls};

/// The migrations, applied in order; each is recorded once in `ektp_migrations`.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[(
    1,
    "registry",
    include_str!("../migrations/0001_registry.sql"),
)];

/// How long connecting may take before the registry counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the registry refused a write (SQLSTATE class `EK`, raised by the schema's functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// EK001: no such application.
    ApplicationUnknown,
    /// EK002: the application was already issued (by this or another station).
    AlreadyIssued,
    /// EK003: the document number was issued for another application.
    DocumentNumberTaken,
    /// EK004: the chip was already issued.
    ChipTaken,
    /// EK005: the card is not recorded as issued.
    NotIssued,
    /// EK006: the card's EF.SOD differs from the one recorded at issuance.
    SodMismatch,
    /// EK007: the card is revoked.
    Revoked,
    /// EK008: the card was already handed over.
    AlreadyHandedOver,
    /// EK009: the application's status cannot change that way.
    StatusChange,
    /// EK010: another station claimed the application.
    ClaimedElsewhere,
}

impl Refusal {
    fn from_sqlstate(code: &str) -> Option<Self> {
        Some(match code {
            "EK001" => Self::ApplicationUnknown,
            "EK002" => Self::AlreadyIssued,
            "EK003" => Self::DocumentNumberTaken,
            "EK004" => Self::ChipTaken,
            "EK005" => Self::NotIssued,
            "EK006" => Self::SodMismatch,
            "EK007" => Self::Revoked,
            "EK008" => Self::AlreadyHandedOver,
            "EK009" => Self::StatusChange,
            "EK010" => Self::ClaimedElsewhere,
            _ => return None,
        })
    }
}

impl core::fmt::Display for Refusal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::ApplicationUnknown => "no such application",
            Self::AlreadyIssued => "the application was already issued",
            Self::DocumentNumberTaken => "the document number was issued for another application",
            Self::ChipTaken => "the chip was already issued",
            Self::NotIssued => "the card is not recorded as issued",
            Self::SodMismatch => "the card's EF.SOD differs from the one recorded at issuance",
            Self::Revoked => "the card is revoked",
            Self::AlreadyHandedOver => "the card was already handed over",
            Self::StatusChange => "the application's status cannot change that way",
            Self::ClaimedElsewhere => "another station claimed the application",
        })
    }
}

/// Errors from the registry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The registry cannot be reached or the connection broke: retry later.
    #[error("registry unreachable: {0}; check the registry URL and that the server is up")]
    Unreachable(#[source] postgres::Error),
    /// The registry refused the write.
    #[error("registry refuses: {0}")]
    Refused(Refusal),
    /// Any other database error (a bug or a schema out of date: run `ektp registry init`).
    #[error("registry database error: {0}")]
    Database(#[source] postgres::Error),
    /// Signing the revocation list failed.
    #[error(transparent)]
    Pki(#[from] ektp_pki::PkiError),
    /// A value read from the registry is not what the schema allows.
    #[error("registry holds an unexpected value in {0}")]
    Unexpected(&'static str),
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        if let Some(r) = e.code().and_then(|c| Refusal::from_sqlstate(c.code())) {
            return Self::Refused(r);
        }
        if e.as_db_error().is_none() || e.is_closed() {
            return Self::Unreachable(e);
        }
        // The server killed our session (admin shutdown, terminate_backend): unreachable.
        if e.code().is_some_and(|c| c.code().starts_with("57P")) {
            return Self::Unreachable(e);
        }
        Self::Database(e)
    }
}

/// Result alias for this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Application types (the reason a card is made).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApplicationType {
    /// A first card.
    New,
    /// The holder's data changed.
    DataChange,
    /// The card is damaged.
    Damaged,
    /// The card was lost (revoked when the application is accepted).
    Lost,
    /// The holder moved to another domicile.
    DomicileChange,
}

impl ApplicationType {
    fn sql(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::DataChange => "data_change",
            Self::Damaged => "damaged",
            Self::Lost => "lost",
            Self::DomicileChange => "domicile_change",
        }
    }
}

/// Revocation reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationReason {
    /// Replaced by a new card.
    Replaced,
    /// Reported lost.
    Lost,
    /// Reported stolen.
    Stolen,
    /// Damaged.
    Damaged,
    /// The holder's data changed.
    DataChanged,
    /// The holder died.
    Deceased,
}

impl RevocationReason {
    /// The schema's name for the reason.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Replaced => "replaced",
            Self::Lost => "lost",
            Self::Stolen => "stolen",
            Self::Damaged => "damaged",
            Self::DataChanged => "data_changed",
            Self::Deceased => "deceased",
        }
    }
}

/// How the desk checked the person collecting the card.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HolderCheck {
    /// The holder's fingerprint matched the card's, with this score.
    Fingerprint {
        /// The match score.
        score: i32,
    },
    /// A representative with a power of attorney.
    PowerOfAttorney {
        /// The power of attorney's reference.
        reference: String,
    },
}

/// An application as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRecord {
    /// The application id.
    pub application_id: String,
    /// Its type (schema name).
    pub kind: String,
    /// The document number of the card it replaces.
    pub replaces: Option<String>,
    /// submitted, issued, ready, collected, refused or abandoned.
    pub status: String,
    /// The card issued for it.
    pub document_number: Option<String>,
}

/// A card as the registry holds it, for a desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    /// The document number.
    pub document_number: String,
    /// The application it was issued for.
    pub application_id: String,
    /// SHA-256 of EF.SOD as read back at issuance.
    pub sod_sha256: Vec<u8>,
    /// The station that issued it.
    pub station: String,
    /// Revocation reason, if revoked.
    pub revoked: Option<String>,
    /// The desk that handed it over, if it was.
    pub handed_over_by: Option<String>,
}

/// Counts for `ektp registry serve-status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Schema version.
    pub schema_version: i32,
    /// Applications.
    pub applications: i64,
    /// Issued cards.
    pub issued: i64,
    /// Handovers.
    pub handed_over: i64,
    /// Revoked document numbers.
    pub revoked: i64,
}

/// A connection to the registry.
pub struct Registry {
    client: Client,
}

impl core::fmt::Debug for Registry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Registry").finish_non_exhaustive()
    }
}

impl Registry {
    /// Connects to `url` (`postgresql://…` or `host=… user=… dbname=…`).
    ///
    /// # Errors
    /// [`Error::Unreachable`] if the server cannot be reached within [`CONNECT_TIMEOUT`];
    /// [`Error::Database`] for a malformed URL or refused login.
    pub fn connect(url: &str) -> Result<Self> {
        let mut config: postgres::Config = url.parse().map_err(Error::Database)?;
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("ektp");
        }
        let client = config.connect(NoTls).map_err(Error::Unreachable)?;
        Ok(Self { client })
    }

    /// The underlying client (benchmarks and operator tools).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Applies the migrations not yet applied, in order, in one transaction under an
    /// advisory lock (several processes may run it at once). Returns how many were applied.
    ///
    /// # Errors
    /// Any database error (the transaction is rolled back).
    pub fn migrate(&mut self) -> Result<usize> {
        let mut tx = self.client.transaction()?;
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(7414053);
             CREATE TABLE IF NOT EXISTS ektp_migrations (
                 version integer PRIMARY KEY, name text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now());",
        )?;
        let mut applied = 0usize;
        for (version, name, sql) in MIGRATIONS {
            let done = tx
                .query_opt(
                    "SELECT 1 FROM ektp_migrations WHERE version = $1",
                    &[version],
                )?
                .is_some();
            if done {
                continue;
            }
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO ektp_migrations (version, name) VALUES ($1, $2)",
                &[version, name],
            )?;
            applied = applied.saturating_add(1);
        }
        tx.commit()?;
        Ok(applied)
    }

    /// Records an application accepted by intake; for a lost card, revokes it now.
    ///
    /// # Errors
    /// [`Error::Database`] if it exists or its fields are invalid.
    pub fn submit_application(
        &mut self,
        application_id: &str,
        nik: &str,
        kind: ApplicationType,
        replaces: Option<&str>,
        by: &str,
    ) -> Result<()> {
        self.client.execute(
            "SELECT ektp_submit_application($1, $2, $3::text::application_type, $4, $5)",
            &[&application_id, &nik, &kind.sql(), &replaces, &by],
        )?;
        Ok(())
    }

    /// Claims an application for this session's station before it writes a chip.
    ///
    /// # Errors
    /// [`Refusal::ClaimedElsewhere`], [`Refusal::AlreadyIssued`],
    /// [`Refusal::ApplicationUnknown`].
    pub fn claim_application(&mut self, application_id: &str) -> Result<()> {
        self.client
            .execute("SELECT ektp_claim($1)", &[&application_id])?;
        Ok(())
    }

    /// Records an issued card (a journal row); `true` if new, `false` if already recorded.
    ///
    /// # Errors
    /// [`Error::Refused`] on a clash; [`Error::Unexpected`] if the journal's SOD hash is not
    /// 32 bytes of hex.
    pub fn record_issued(&mut self, card: &IssuedCard, nik: &str) -> Result<bool> {
        let sod = hex::decode(&card.sod_sha256).map_err(|_| Error::Unexpected("sod_sha256"))?;
        let row = self.client.query_one(
            "SELECT ektp_record_issued($1, $2, $3, $4, $5, $6, $7::text::timestamptz)",
            &[
                &card.application,
                &nik,
                &card.document_number,
                &card.chip_serial.to_ascii_lowercase(),
                &sod,
                &card.signer,
                &card.issued_at,
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    /// Records the handover of a verified card.
    ///
    /// # Errors
    /// [`Refusal::NotIssued`], [`Refusal::SodMismatch`], [`Refusal::Revoked`],
    /// [`Refusal::AlreadyHandedOver`].
    pub fn record_handover(
        &mut self,
        document_number: &str,
        sod_sha256: &[u8],
        desk: &str,
        check: &HolderCheck,
    ) -> Result<()> {
        let (kind, score, reference) = match check {
            HolderCheck::Fingerprint { score } => ("fingerprint", Some(*score), None),
            HolderCheck::PowerOfAttorney { reference } => {
                ("power_of_attorney", None, Some(reference.as_str()))
            }
        };
        self.client.execute(
            "SELECT ektp_record_handover($1, $2, $3, $4::text::holder_check, $5, $6)",
            &[
                &document_number,
                &sod_sha256,
                &desk,
                &kind,
                &score,
                &reference,
            ],
        )?;
        Ok(())
    }

    /// Marks an application ready, refused or abandoned (`status` by its schema name).
    ///
    /// # Errors
    /// [`Refusal::StatusChange`], [`Refusal::ApplicationUnknown`].
    pub fn set_status(&mut self, application_id: &str, status: &str) -> Result<()> {
        self.client.execute(
            "SELECT ektp_set_status($1, $2::text::application_status)",
            &[&application_id, &status],
        )?;
        Ok(())
    }

    /// Revokes a card; `false` if it was already revoked (the first reason stays).
    ///
    /// # Errors
    /// Database errors.
    pub fn revoke(
        &mut self,
        document_number: &str,
        reason: RevocationReason,
        by: &str,
    ) -> Result<bool> {
        let row = self.client.query_one(
            "SELECT ektp_revoke($1, $2::text::revocation_reason, $3)",
            &[&document_number, &reason.as_str(), &by],
        )?;
        Ok(row.try_get(0)?)
    }

    /// The card with `document_number`, if issued (a desk's look-up).
    ///
    /// # Errors
    /// Database errors.
    pub fn card(&mut self, document_number: &str) -> Result<Option<CardRecord>> {
        let row = self.client.query_opt(
            "SELECT c.document_number, c.application_id, c.sod_sha256, c.station,
                    r.reason::text, h.desk
               FROM issued_cards c
               LEFT JOIN revocations r ON r.document_number = c.document_number
               LEFT JOIN handovers h ON h.document_number = c.document_number
              WHERE c.document_number = $1",
            &[&document_number],
        )?;
        row.map(|r| {
            Ok(CardRecord {
                document_number: r.try_get(0)?,
                application_id: r.try_get(1)?,
                sod_sha256: r.try_get(2)?,
                station: r.try_get(3)?,
                revoked: r.try_get(4)?,
                handed_over_by: r.try_get(5)?,
            })
        })
        .transpose()
    }

    /// Whether `document_number` is revoked, and why.
    ///
    /// # Errors
    /// Database errors.
    pub fn revocation(&mut self, document_number: &str) -> Result<Option<String>> {
        let row = self.client.query_opt(
            "SELECT reason::text FROM revocations WHERE document_number = $1",
            &[&document_number],
        )?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Applications by id or by the holder's NIK (an applicant-facing query).
    ///
    /// # Errors
    /// Database errors.
    pub fn applications(&mut self, id_or_nik: &str) -> Result<Vec<ApplicationRecord>> {
        let rows = self.client.query(
            "SELECT a.application_id, a.type::text, a.replaces, a.status::text,
                    c.document_number
               FROM applications a
               LEFT JOIN issued_cards c ON c.application_id = a.application_id
              WHERE a.application_id = $1 OR a.nik = $1
              ORDER BY a.submitted_at, a.application_id",
            &[&id_or_nik],
        )?;
        rows.iter()
            .map(|r| {
                Ok(ApplicationRecord {
                    application_id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    replaces: r.try_get(2)?,
                    status: r.try_get(3)?,
                    document_number: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Every issued card as (application, document number, chip serial, SOD hash hex).
    ///
    /// # Errors
    /// Database errors.
    pub fn issued(&mut self) -> Result<Vec<(String, String, String, String)>> {
        let rows = self.client.query(
            "SELECT application_id, document_number, chip_serial, encode(sod_sha256, 'hex')
               FROM issued_cards ORDER BY document_number",
            &[],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }

    /// Row counts and the schema version.
    ///
    /// # Errors
    /// Database errors (e.g. a registry not initialized).
    pub fn counts(&mut self) -> Result<Counts> {
        let r = self.client.query_one(
            "SELECT (SELECT max(version) FROM ektp_migrations),
                    (SELECT count(*) FROM applications), (SELECT count(*) FROM issued_cards),
                    (SELECT count(*) FROM handovers), (SELECT count(*) FROM revocations)",
            &[],
        )?;
        Ok(Counts {
            schema_version: r.try_get::<_, Option<i32>>(0)?.unwrap_or(0),
            applications: r.try_get(1)?,
            issued: r.try_get(2)?,
            handed_over: r.try_get(3)?,
            revoked: r.try_get(4)?,
        })
    }

    /// Exports every revoked document number as a signed revocation list valid from `now`
    /// for `validity` ([`ektp_pki::revocation_list`]); the list number is `list_number`.
    ///
    /// # Errors
    /// Database errors; [`Error::Pki`] if signing fails.
    pub fn export_revocations(
        &mut self,
        signer: &dyn ektp_pki::Signer,
        list_number: u64,
        now: SystemTime,
        validity: Duration,
    ) -> Result<Vec<u8>> {
        let rows = self
            .client
            .query("SELECT document_number FROM revocations", &[])?;
        let numbers = rows
            .iter()
            .map(|r| r.try_get::<_, String>(0))
            .collect::<Result<Vec<_>, _>>()?;
        let t = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| Error::Unexpected("clock before 1970"))?
            .as_secs();
        let this = i64::try_from(t).map_err(|_| Error::Unexpected("clock"))?;
        let next = this.saturating_add(i64::try_from(validity.as_secs()).unwrap_or(i64::MAX));
        let docs =
            ektp_pki::revocation_list::RevokedDocuments::new(list_number, this, next, numbers)?;
        Ok(ektp_pki::revocation_list::sign_revocation_list(
            &docs, signer, now,
        )?)
    }
}

fn sink_error(e: Error) -> SinkError {
    match e {
        Error::Unreachable(e) => SinkError::Unreachable(e.to_string()),
        other => SinkError::Refused(other.to_string()),
    }
}

impl RegistrySink for Registry {
    fn claim(&mut self, application: &str) -> Result<Claim, SinkError> {
        match self.claim_application(application) {
            Ok(()) => Ok(Claim::Granted),
            Err(Error::Refused(Refusal::ClaimedElsewhere | Refusal::AlreadyIssued)) => {
                Ok(Claim::TakenElsewhere)
            }
            Err(e) => Err(sink_error(e)),
        }
    }

    fn record_issued(&mut self, card: &IssuedCard, nik: &str) -> Result<bool, SinkError> {
        Registry::record_issued(self, card, nik).map_err(sink_error)
    }
}

/// A station's registry for a batch ([`ektp_station::Batch::with_registry`]): connects when
/// first needed, and again after the connection broke, at most once per `retry`; until it
/// can, every call is [`SinkError::Unreachable`] at once, so the batch goes on offline and
/// never waits on a dead server for each card. Any failure to connect (down, network, a wrong
/// URL or login) counts as unreachable: the batch's journal keeps every card, and the
/// catch-up push after the run says what is wrong.
pub struct StationSink {
    url: String,
    retry: Duration,
    registry: Option<Registry>,
    last_try: Option<Instant>,
}

impl core::fmt::Debug for StationSink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StationSink")
            .field("connected", &self.registry.is_some())
            .finish_non_exhaustive()
    }
}

impl StationSink {
    /// A sink for the registry at `url`; nothing is connected yet.
    pub fn new(url: &str, retry: Duration) -> Self {
        Self {
            url: url.to_owned(),
            retry,
            registry: None,
            last_try: None,
        }
    }

    fn connected(&mut self) -> Result<&mut Registry, SinkError> {
        if self.registry.is_none() {
            if let Some(at) = self.last_try
                && at.elapsed() < self.retry
            {
                return Err(SinkError::Unreachable(
                    "not reachable at the last try; retrying later".to_owned(),
                ));
            }
            self.last_try = Some(Instant::now());
            let reg =
                Registry::connect(&self.url).map_err(|e| SinkError::Unreachable(e.to_string()))?;
            self.registry = Some(reg);
        }
        self.registry
            .as_mut()
            .ok_or_else(|| SinkError::Unreachable("not connected".to_owned()))
    }

    /// Forgets a connection that broke, so the next call reconnects.
    fn after<T>(&mut self, out: Result<T, SinkError>) -> Result<T, SinkError> {
        if matches!(out, Err(SinkError::Unreachable(_))) {
            self.registry = None;
        }
        out
    }
}

impl RegistrySink for StationSink {
    fn claim(&mut self, application: &str) -> Result<Claim, SinkError> {
        let out = self.connected()?.claim(application);
        self.after(out)
    }

    fn record_issued(&mut self, card: &IssuedCard, nik: &str) -> Result<bool, SinkError> {
        let out = RegistrySink::record_issued(self.connected()?, card, nik);
        self.after(out)
    }
}
