//! Application records: what a printing station receives for one card.
//!
//! The JSON form is documented in `docs/applications.md` with the JSON Schema
//! `docs/application-schema.json`. Parsing never stops at the first problem: every field is
//! checked and every problem is reported, each naming its field (`holder.address.rt`) and
//! what is wrong. Unknown fields are rejected.
//!
//! This crate does no I/O: the document and the image and template files it names come
//! through an [`ApplicationFiles`] source that the caller supplies (the host crate `ektp`
//! reads them from the application's directory on disk).

use core::fmt;
use std::path::{Component, Path};

use ektp_iso7816::DecodeError;
use ektp_sm::Can;
use serde_json::{Map, Value};

use crate::biometric::{
    FaceImage, Finger, MAX_MINUTIAE_RECORD_LEN, MAX_PORTRAIT_LEN, MAX_SIGNATURE_LEN, MinutiaeRecord,
};
use crate::date::Date;
use crate::dg7::SignatureImage;
use crate::holder::{
    Address, BloodType, Citizenship, CountryCode, DocumentNumber, HolderRecord, MaritalStatus,
    Religion, RtRw, Validity,
};
use crate::nik::{Nik, NikError};
use crate::sex::Sex;
use crate::wilayah::{self, AddressMismatch};

/// The `format` value an application document must carry.
pub const APPLICATION_FORMAT: &str = "ektp-application/1";
/// Largest application JSON file accepted.
pub const MAX_APPLICATION_JSON_LEN: usize = 64 * 1024;
/// Minimum age for a KTP (unless the holder is or has been married).
pub const MIN_AGE: u16 = 17;

/// Why the application is made.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationType {
    /// First card (`new`).
    New,
    /// Data change (`data_change`), replacing the named card.
    DataChange {
        /// Document number of the card being replaced.
        replaces: DocumentNumber,
    },
    /// Replacement of a damaged card (`replacement_damaged`).
    ReplacementDamaged {
        /// Document number of the card being replaced.
        replaces: DocumentNumber,
    },
    /// Replacement of a lost card (`replacement_lost`).
    ReplacementLost {
        /// Document number of the card being replaced.
        replaces: DocumentNumber,
    },
    /// Change of domicile (`change_of_domicile`).
    ChangeOfDomicile {
        /// Document number of the card being replaced.
        replaces: DocumentNumber,
    },
}

impl ApplicationType {
    /// The JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::DataChange { .. } => "data_change",
            Self::ReplacementDamaged { .. } => "replacement_damaged",
            Self::ReplacementLost { .. } => "replacement_lost",
            Self::ChangeOfDomicile { .. } => "change_of_domicile",
        }
    }

    /// The card this one replaces, for every type but `new`.
    pub const fn replaces(self) -> Option<DocumentNumber> {
        match self {
            Self::New => None,
            Self::DataChange { replaces }
            | Self::ReplacementDamaged { replaces }
            | Self::ReplacementLost { replaces }
            | Self::ChangeOfDomicile { replaces } => Some(replaces),
        }
    }

    fn with_replaces(name: &str, replaces: Option<DocumentNumber>) -> Option<Option<Self>> {
        Some(match (name, replaces) {
            ("new", _) => Some(Self::New),
            ("data_change", Some(replaces)) => Some(Self::DataChange { replaces }),
            ("replacement_damaged", Some(replaces)) => Some(Self::ReplacementDamaged { replaces }),
            ("replacement_lost", Some(replaces)) => Some(Self::ReplacementLost { replaces }),
            ("change_of_domicile", Some(replaces)) => Some(Self::ChangeOfDomicile { replaces }),
            (
                "data_change" | "replacement_damaged" | "replacement_lost" | "change_of_domicile",
                None,
            ) => None,
            _ => return None,
        })
    }
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The document is not JSON (position given).
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A required field is absent.
    Missing,
    /// A field that the format does not have.
    Unknown,
    /// The field has the wrong JSON type.
    WrongType {
        /// What it must be.
        expected: &'static str,
    },
    /// The value breaks a rule (the text says which).
    Invalid(&'static str),
    /// The NIK is not valid or does not fit the holder.
    Nik(NikError),
    /// Under 17 on the date of issue and never married: no KTP may be issued.
    NotEligible {
        /// Completed years on the date of issue.
        age: u16,
    },
    /// A referenced file cannot be read.
    FileUnreadable(std::io::ErrorKind),
    /// A referenced file or the document itself is larger than allowed.
    TooLarge {
        /// The limit in bytes.
        max: usize,
    },
    /// A referenced file's content is not what it must be.
    BadContent(DecodeError),
    /// A fingerprint image cannot be enrolled (too few minutiae, too little quality, not a
    /// 500 ppi grayscale image): the text names the finger and says what to do (recapture).
    /// It carries counts and sizes only, never minutiae or pixels.
    Fingerprint(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { line, column } => {
                write!(f, "not valid JSON (line {line}, column {column})")
            }
            Self::Missing => f.write_str("is required but missing"),
            Self::Unknown => f.write_str("is not a field of this format; remove it"),
            Self::WrongType { expected } => write!(f, "must be {expected}"),
            Self::Invalid(why) => f.write_str(why),
            Self::Nik(e) => write!(f, "{e}"),
            Self::NotEligible { age } => write!(
                f,
                "holder is {age} on the date of issue, under {MIN_AGE} and never married: \
                 not eligible for a KTP"
            ),
            Self::FileUnreadable(kind) => write!(f, "file cannot be read: {kind}"),
            Self::TooLarge { max } => write!(f, "larger than the limit of {max} bytes"),
            Self::BadContent(e) => write!(f, "file content is not valid: {e}"),
            Self::Fingerprint(why) => f.write_str(why),
        }
    }
}

impl Problem {
    /// The problem as a language-neutral message (`lds-*` in the catalogues): what people
    /// read in their language. A reason only the English text words (`Invalid`, a NIK or
    /// content error) rides along as `detail`, which the other catalogues leave out.
    pub fn message(&self) -> ektp_i18n::Message {
        use ektp_i18n::Message;
        let detail = |id| Message::new(id).arg("detail", self);
        match self {
            Self::Syntax { line, column } => Message::new("lds-syntax")
                .arg("line", line)
                .arg("column", column),
            Self::Missing => Message::new("lds-missing"),
            Self::Unknown => Message::new("lds-unknown"),
            Self::WrongType { .. } => detail("lds-wrong-type"),
            Self::Invalid(_) => detail("lds-invalid"),
            Self::Nik(_) => detail("lds-nik"),
            Self::NotEligible { age } => Message::new("lds-not-eligible")
                .arg("age", age)
                .arg("min", MIN_AGE),
            Self::FileUnreadable(_) => detail("lds-file-unreadable"),
            Self::TooLarge { max } => Message::new("lds-too-large").arg("max", max),
            Self::BadContent(_) => detail("lds-bad-content"),
            Self::Fingerprint(_) => detail("lds-fingerprint"),
        }
    }
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `holder.address.rt` (empty for the whole document).
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "document: {}", self.problem)
        } else {
            write!(f, "{}: {}", self.field, self.problem)
        }
    }
}

/// Every problem found in an application, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// The problems.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// The problem reported for `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.problem)
    }

    /// Whether the application is refused because of the holder's age.
    pub fn is_age_refusal(&self) -> bool {
        self.0
            .iter()
            .any(|e| matches!(e.problem, Problem::NotEligible { .. }))
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "application has {} problem(s):", self.0.len())?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// A validated application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    /// Why the card is made.
    pub application_type: ApplicationType,
    /// The holder record.
    pub holder: HolderRecord,
    /// The card access number to print and to set in the chip: parsed straight into the
    /// PACE password type (zeroized, redacted).
    pub can: Can,
    /// The portrait (DG2).
    pub portrait: FaceImage,
    /// The signature image (DG7).
    pub signature: SignatureImage,
    /// Right index finger minutiae (DG3).
    pub right_index: MinutiaeRecord,
    /// Left index finger minutiae (DG3).
    pub left_index: MinutiaeRecord,
}

struct Ctx {
    errors: Vec<FieldError>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl Ctx {
    fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.errors.push(FieldError {
            field: field.into(),
            problem,
        });
    }

    /// The object at `path`, reporting unknown keys.
    fn object<'a>(
        &mut self,
        v: Option<&'a Value>,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'a Map<String, Value>> {
        let Some(v) = v else {
            self.push(path, Problem::Missing);
            return None;
        };
        let Some(obj) = v.as_object() else {
            self.push(
                path,
                Problem::WrongType {
                    expected: "an object",
                },
            );
            return None;
        };
        for k in obj.keys() {
            if !allowed.contains(&k.as_str()) {
                self.push(join(path, k), Problem::Unknown);
            }
        }
        Some(obj)
    }

    fn string<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<&'a str> {
        match obj.get(key) {
            None => {
                self.push(join(path, key), Problem::Missing);
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.push(
                    join(path, key),
                    Problem::WrongType {
                        expected: "a string",
                    },
                );
                None
            }
        }
    }

    fn parsed<T>(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
        f: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        let s = self.string(obj, path, key)?;
        match f(s) {
            Ok(v) => Some(v),
            Err(p) => {
                self.push(join(path, key), p);
                None
            }
        }
    }
}

/// Text as printed on the card: capital letters, digits, space and `. , ' - / ( )`, single
/// spaces, no leading/trailing space, at most `max` characters, never `<`.
fn card_text(s: &str, max: usize, digits: bool) -> Result<String, Problem> {
    if s.is_empty() {
        return Err(Problem::Invalid("must not be empty"));
    }
    if s.chars().count() > max {
        return Err(Problem::Invalid("is too long for the card"));
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
        return Err(Problem::Invalid(
            "must not start or end with a space or contain two spaces in a row",
        ));
    }
    let ok = s.chars().all(|c| {
        c.is_ascii_uppercase()
            || (digits && c.is_ascii_digit())
            || matches!(c, ' ' | '.' | ',' | '\'' | '-' | '/' | '(' | ')')
    });
    if !ok {
        return Err(Problem::Invalid(if digits {
            "may contain only capital letters A-Z, digits, spaces and . , ' - / ( )"
        } else {
            "may contain only capital letters A-Z, spaces and . , ' - / ( )"
        }));
    }
    if !s.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(Problem::Invalid("must contain a letter"));
    }
    Ok(s.to_owned())
}

fn name_text(s: &str) -> Result<String, Problem> {
    let t = card_text(s, 80, false)?;
    if t.contains(['/', '(', ')']) {
        return Err(Problem::Invalid(
            "a name may contain only capital letters A-Z, spaces and . , ' -",
        ));
    }
    Ok(t)
}

fn date(s: &str) -> Result<Date, Problem> {
    Date::parse_iso(s).ok_or(Problem::Invalid("must be a real date written YYYY-MM-DD"))
}

/// Where the files an application names come from (and the application document itself, for
/// [`Application::from_json_named`]).
///
/// `ektp-lds` does no I/O: the caller reads. Paths handed to [`ApplicationFiles::read`] have
/// already been checked to be relative and free of `..`.
pub trait ApplicationFiles {
    /// The content of the file at `path` (relative to the application's directory), at most
    /// `max` bytes.
    ///
    /// # Errors
    /// [`Problem::FileUnreadable`] if it cannot be read, [`Problem::TooLarge`] if it is larger
    /// than `max`.
    fn read(&self, path: &Path, max: usize) -> Result<Vec<u8>, Problem>;

    /// The ISO/IEC 19794-2 minutiae record of `finger` that the file at `path` gives. This
    /// default reads the file as a ready record (at most [`MAX_MINUTIAE_RECORD_LEN`] bytes); a
    /// source that can extract minutiae from an enrollment image overrides it (the host crate
    /// `ektp` accepts a 500 ppi grayscale PNG and runs MINDTCT). The result is validated as a
    /// record of `finger` afterwards.
    ///
    /// # Errors
    /// As [`ApplicationFiles::read`]; [`Problem::Fingerprint`] for an image that cannot be
    /// enrolled.
    fn minutiae_record(&self, path: &Path, finger: Finger) -> Result<Vec<u8>, Problem> {
        let _ = finger;
        self.read(path, MAX_MINUTIAE_RECORD_LEN)
    }
}

/// A source with no files: every reference is unreadable (`NotFound`). For checking a
/// document whose files are not at hand (fuzzing, schema checks).
#[derive(Copy, Clone, Debug, Default)]
pub struct NoFiles;

impl ApplicationFiles for NoFiles {
    fn read(&self, _path: &Path, _max: usize) -> Result<Vec<u8>, Problem> {
        Err(Problem::FileUnreadable(std::io::ErrorKind::NotFound))
    }
}

/// Reads a file named relative to the application, refusing absolute paths and `..`, bounded
/// by `max`.
fn read_relative(files: &dyn ApplicationFiles, rel: &str, max: usize) -> Result<Vec<u8>, Problem> {
    let out = files.read(relative(rel)?, max)?;
    if out.len() > max {
        return Err(Problem::TooLarge { max });
    }
    Ok(out)
}

/// `rel` as a path, if it is relative and free of `..`.
fn relative(rel: &str) -> Result<&Path, Problem> {
    let p = Path::new(rel);
    if rel.is_empty()
        || !p
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(Problem::Invalid(
            "must be a relative path inside the application's directory (no '/' at the start, no '..')",
        ));
    }
    Ok(p)
}

/// The minutiae record of `finger` from the file `rel` names (a record, or an image the source
/// extracts one from), validated.
fn minutiae_relative(
    files: &dyn ApplicationFiles,
    rel: &str,
    finger: Finger,
) -> Result<MinutiaeRecord, Problem> {
    let bytes = files.minutiae_record(relative(rel)?, finger)?;
    if bytes.len() > MAX_MINUTIAE_RECORD_LEN {
        return Err(Problem::TooLarge {
            max: MAX_MINUTIAE_RECORD_LEN,
        });
    }
    MinutiaeRecord::parse(&bytes).map_err(Problem::BadContent)
}

const TOP: &[&str] = &[
    "format",
    "application_type",
    "replaces_document_number",
    "holder",
    "card",
    "files",
];
const HOLDER: &[&str] = &[
    "nik",
    "name",
    "place_of_birth",
    "date_of_birth",
    "sex",
    "blood_type",
    "address",
    "religion",
    "marital_status",
    "occupation",
    "citizenship",
    "nationality",
    "validity",
];
const ADDRESS: &[&str] = &[
    "street",
    "rt",
    "rw",
    "kelurahan_desa",
    "kecamatan",
    "kabupaten_kota",
    "provinsi",
];
const CARD: &[&str] = &["document_number", "can", "issuing_office", "date_of_issue"];
const FILES: &[&str] = &["portrait", "signature", "right_index", "left_index"];

impl Application {
    /// Reads the application document `name` from `files` and validates it; image and
    /// template paths in it are read from `files` too. (`ektp::load_application` does this
    /// for a file on disk.)
    ///
    /// # Errors
    /// [`ValidationErrors`] listing every problem (an unreadable document is one problem on
    /// the empty field path).
    pub fn from_json_named(
        name: &str,
        files: &dyn ApplicationFiles,
    ) -> Result<Self, ValidationErrors> {
        let bytes = read_relative(files, name, MAX_APPLICATION_JSON_LEN).map_err(|problem| {
            ValidationErrors(vec![FieldError {
                field: String::new(),
                problem,
            }])
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            ValidationErrors(vec![FieldError {
                field: String::new(),
                problem: Problem::Invalid("not UTF-8 text"),
            }])
        })?;
        Self::from_json_str(&text, files)
    }

    /// Validates an application JSON document; the files it names are read from `files`.
    ///
    /// # Errors
    /// [`ValidationErrors`] listing every problem found.
    pub fn from_json_str(
        json: &str,
        files: &dyn ApplicationFiles,
    ) -> Result<Self, ValidationErrors> {
        let mut cx = Ctx { errors: Vec::new() };
        if json.len() > MAX_APPLICATION_JSON_LEN {
            cx.push(
                "",
                Problem::TooLarge {
                    max: MAX_APPLICATION_JSON_LEN,
                },
            );
            return Err(ValidationErrors(cx.errors));
        }
        let value: Value = match serde_json::from_str(json) {
            Ok(v) => v,
            Err(e) => {
                cx.push(
                    "",
                    Problem::Syntax {
                        line: e.line(),
                        column: e.column(),
                    },
                );
                return Err(ValidationErrors(cx.errors));
            }
        };
        let app = parse(&mut cx, &value, files);
        if let Some(app) = &app {
            app.check_rules(&mut cx);
        }
        match app {
            Some(app) if cx.errors.is_empty() => Ok(app),
            _ => Err(ValidationErrors(cx.errors)),
        }
    }

    /// Checks the rules that tie fields together: NIK against date of birth and sex, age 17
    /// or married on the date of issue, dates in order, citizenship against validity, the
    /// address and issuing office against the official region table, and that a replacement
    /// names another card.
    ///
    /// # Errors
    /// [`ValidationErrors`] listing every rule broken.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut cx = Ctx { errors: Vec::new() };
        self.check_rules(&mut cx);
        if cx.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(cx.errors))
        }
    }

    fn check_rules(&self, cx: &mut Ctx) {
        let h = &self.holder;
        if let Err(e) = h.nik.check_holder(h.date_of_birth, h.sex) {
            cx.push("holder.nik", Problem::Nik(e));
        }
        if h.date_of_issue < h.date_of_birth {
            cx.push(
                "card.date_of_issue",
                Problem::Invalid("is before the holder's date of birth"),
            );
        } else {
            let age = h.date_of_birth.age_on(h.date_of_issue);
            if age < MIN_AGE && !h.marital_status.is_or_was_married() {
                cx.push("holder.date_of_birth", Problem::NotEligible { age });
            }
        }
        match (h.citizenship, h.validity) {
            (Citizenship::Wni, Validity::Lifetime) => {}
            (Citizenship::Wni, Validity::Until(_)) => cx.push(
                "holder.validity",
                Problem::Invalid("a citizen's (WNI) card is valid \"SEUMUR HIDUP\""),
            ),
            (Citizenship::Wna(_), Validity::Lifetime) => cx.push(
                "holder.validity",
                Problem::Invalid("a foreign resident's (WNA) card needs an end date YYYY-MM-DD"),
            ),
            (Citizenship::Wna(c), Validity::Until(d)) => {
                if d <= h.date_of_issue {
                    cx.push(
                        "holder.validity",
                        Problem::Invalid("must be after the date of issue"),
                    );
                }
                if Date::new(2099, 12, 31) == Some(d) {
                    cx.push(
                        "holder.validity",
                        Problem::Invalid(
                            "2099-12-31 is reserved: the MRZ uses 991231 for SEUMUR HIDUP",
                        ),
                    );
                }
                if c == CountryCode::IDN {
                    cx.push(
                        "holder.nationality",
                        Problem::Invalid("a foreign resident's nationality cannot be IDN"),
                    );
                }
            }
        }
        if self.portrait.gender != h.sex.iso19794_code() {
            cx.push(
                "files.portrait",
                Problem::Invalid("face record gender does not match the holder's sex"),
            );
        }
        if self.right_index.finger() != Finger::RightIndex {
            cx.push(
                "files.right_index",
                Problem::Invalid("must be a right index finger record (position 2)"),
            );
        }
        if self.left_index.finger() != Finger::LeftIndex {
            cx.push(
                "files.left_index",
                Problem::Invalid("must be a left index finger record (position 7)"),
            );
        }
        if self.application_type.replaces() == Some(h.document_number) {
            cx.push(
                "replaces_document_number",
                Problem::Invalid("must differ from the new card's document number"),
            );
        }
        let a = &h.address;
        match wilayah::find_village(
            &a.provinsi,
            &a.kabupaten_kota,
            &a.kecamatan,
            &a.kelurahan_desa,
        ) {
            Ok(Ok(_)) => {}
            Ok(Err(m)) => {
                let (field, why) = match m {
                    AddressMismatch::Provinsi => (
                        "holder.address.provinsi",
                        "is not a province in the Kepmendagri region table",
                    ),
                    AddressMismatch::KabupatenKota => (
                        "holder.address.kabupaten_kota",
                        "is not a regency/city of that province in the Kepmendagri region table",
                    ),
                    AddressMismatch::Kecamatan => (
                        "holder.address.kecamatan",
                        "is not a district of that regency/city in the Kepmendagri region table",
                    ),
                    AddressMismatch::KelurahanDesa => (
                        "holder.address.kelurahan_desa",
                        "is not a village of that district in the Kepmendagri region table",
                    ),
                };
                cx.push(field, Problem::Invalid(why));
            }
            Err(_) => cx.push(
                "holder.address",
                Problem::Invalid("the embedded region table could not be read"),
            ),
        }
        match wilayah::regency_exists(&h.issuing_office) {
            Ok(true) => {}
            _ => cx.push(
                "card.issuing_office",
                Problem::Invalid("is not a regency/city in the Kepmendagri region table"),
            ),
        }
    }
}

fn parse(cx: &mut Ctx, value: &Value, source: &dyn ApplicationFiles) -> Option<Application> {
    let top = cx.object(Some(value), "", TOP)?;
    let format_ok = cx.parsed(top, "", "format", |s| {
        if s == APPLICATION_FORMAT {
            Ok(())
        } else {
            Err(Problem::Invalid("must be \"ektp-application/1\""))
        }
    });
    let kind = cx.parsed(top, "", "application_type", |s| {
        if ApplicationType::with_replaces(s, None).is_some() {
            Ok(s.to_owned())
        } else {
            Err(Problem::Invalid(
                "must be one of new, data_change, replacement_damaged, replacement_lost, change_of_domicile",
            ))
        }
    });
    let replaces = match top.get("replaces_document_number") {
        None => None,
        Some(_) => cx.parsed(top, "", "replaces_document_number", |s| {
            DocumentNumber::parse(s).ok_or(Problem::Invalid("must be 9 characters A-Z/0-9"))
        }),
    };
    let application_type = kind.as_deref().and_then(|k| {
        if k == "new" && top.contains_key("replaces_document_number") {
            cx.push(
                "replaces_document_number",
                Problem::Invalid("must be absent for a new card"),
            );
            return None;
        }
        match ApplicationType::with_replaces(k, replaces) {
            Some(Some(t)) => Some(t),
            _ => {
                if !top.contains_key("replaces_document_number") {
                    cx.push("replaces_document_number", Problem::Missing);
                }
                None
            }
        }
    });

    let holder_obj = cx.object(top.get("holder"), "holder", HOLDER);
    let card = cx.object(top.get("card"), "card", CARD);
    let files = cx.object(top.get("files"), "files", FILES);

    let holder = holder_obj.and_then(|h| parse_holder(cx, h, card));
    let can = card.and_then(|c| {
        cx.parsed(c, "card", "can", |s| {
            Can::new(s).map_err(|_| Problem::Invalid("must be exactly 6 digits"))
        })
    });

    let mut portrait = None;
    let mut signature = None;
    let mut right_index = None;
    let mut left_index = None;
    if let Some(f) = files {
        let gender = holder.as_ref().map_or(0, |h| h.sex.iso19794_code());
        portrait = cx.parsed(f, "files", "portrait", |s| {
            let bytes = read_relative(source, s, MAX_PORTRAIT_LEN)?;
            FaceImage::from_image(bytes, gender).map_err(Problem::BadContent)
        });
        signature = cx.parsed(f, "files", "signature", |s| {
            let bytes = read_relative(source, s, MAX_SIGNATURE_LEN)?;
            SignatureImage::from_image(bytes).map_err(Problem::BadContent)
        });
        right_index = cx.parsed(f, "files", "right_index", |s| {
            minutiae_relative(source, s, Finger::RightIndex)
        });
        left_index = cx.parsed(f, "files", "left_index", |s| {
            minutiae_relative(source, s, Finger::LeftIndex)
        });
    }
    format_ok?;
    Some(Application {
        application_type: application_type?,
        holder: holder?,
        can: can?,
        portrait: portrait?,
        signature: signature?,
        right_index: right_index?,
        left_index: left_index?,
    })
}

fn parse_holder(
    cx: &mut Ctx,
    h: &Map<String, Value>,
    card: Option<&Map<String, Value>>,
) -> Option<HolderRecord> {
    let p = "holder";
    let nik = cx.parsed(h, p, "nik", |s| Nik::parse(s).map_err(Problem::Nik));
    let name = cx.parsed(h, p, "name", name_text);
    let place_of_birth = cx.parsed(h, p, "place_of_birth", |s| card_text(s, 40, false));
    let date_of_birth = cx.parsed(h, p, "date_of_birth", date);
    let sex = cx.parsed(h, p, "sex", |s| {
        Sex::parse(s).ok_or(Problem::Invalid("must be LAKI-LAKI or PEREMPUAN"))
    });
    let blood_type = cx.parsed(h, p, "blood_type", |s| {
        BloodType::parse(s).ok_or(Problem::Invalid(
            "must be A, B, AB or O, optionally followed by + or -, or - if unknown",
        ))
    });
    let address = cx
        .object(h.get("address"), "holder.address", ADDRESS)
        .and_then(|a| parse_address(cx, a));
    let religion = cx.parsed(h, p, "religion", |s| {
        Religion::parse(s).ok_or(Problem::Invalid(
            "must be ISLAM, KRISTEN, KATOLIK, HINDU, BUDDHA, KONGHUCU or KEPERCAYAAN TERHADAP TUHAN YME",
        ))
    });
    let marital_status = cx.parsed(h, p, "marital_status", |s| {
        MaritalStatus::parse(s).ok_or(Problem::Invalid(
            "must be BELUM KAWIN, KAWIN, CERAI HIDUP or CERAI MATI",
        ))
    });
    let occupation = cx.parsed(h, p, "occupation", |s| card_text(s, 40, false));
    let citizenship_kind = cx.parsed(h, p, "citizenship", |s| match s {
        "WNI" | "WNA" => Ok(s == "WNA"),
        _ => Err(Problem::Invalid("must be WNI or WNA")),
    });
    let citizenship = match citizenship_kind {
        Some(false) => {
            if h.contains_key("nationality") {
                cx.push(
                    "holder.nationality",
                    Problem::Invalid("must be absent for a citizen (WNI)"),
                );
                None
            } else {
                Some(Citizenship::Wni)
            }
        }
        Some(true) => cx
            .parsed(h, p, "nationality", |s| {
                CountryCode::parse(s).ok_or(Problem::Invalid(
                    "must be a three-letter ICAO 9303-3 nationality code",
                ))
            })
            .map(Citizenship::Wna),
        None => None,
    };
    let validity = cx.parsed(h, p, "validity", |s| {
        if s == Validity::LIFETIME_TEXT {
            Ok(Validity::Lifetime)
        } else {
            Date::parse_iso(s)
                .map(Validity::Until)
                .ok_or(Problem::Invalid(
                    "must be \"SEUMUR HIDUP\" or a date YYYY-MM-DD",
                ))
        }
    });
    let c = card?;
    let document_number = cx.parsed(c, "card", "document_number", |s| {
        DocumentNumber::parse(s).ok_or(Problem::Invalid("must be 9 characters A-Z/0-9"))
    });
    let issuing_office = cx.parsed(c, "card", "issuing_office", |s| card_text(s, 60, false));
    let date_of_issue = cx.parsed(c, "card", "date_of_issue", date);
    Some(HolderRecord {
        nik: nik?,
        name: name?,
        place_of_birth: place_of_birth?,
        date_of_birth: date_of_birth?,
        sex: sex?,
        blood_type: blood_type?,
        address: address?,
        religion: religion?,
        marital_status: marital_status?,
        occupation: occupation?,
        citizenship: citizenship?,
        validity: validity?,
        issuing_office: issuing_office?,
        date_of_issue: date_of_issue?,
        document_number: document_number?,
    })
}

fn parse_address(cx: &mut Ctx, a: &Map<String, Value>) -> Option<Address> {
    let p = "holder.address";
    let street = cx.parsed(a, p, "street", |s| card_text(s, 60, true));
    let rt = cx.parsed(a, p, "rt", |s| {
        RtRw::parse(s).ok_or(Problem::Invalid("must be three digits 001-999"))
    });
    let rw = cx.parsed(a, p, "rw", |s| {
        RtRw::parse(s).ok_or(Problem::Invalid("must be three digits 001-999"))
    });
    let kelurahan_desa = cx.parsed(a, p, "kelurahan_desa", |s| card_text(s, 60, true));
    let kecamatan = cx.parsed(a, p, "kecamatan", |s| card_text(s, 60, true));
    let kabupaten_kota = cx.parsed(a, p, "kabupaten_kota", |s| card_text(s, 60, true));
    let provinsi = cx.parsed(a, p, "provinsi", |s| card_text(s, 60, true));
    Some(Address {
        street: street?,
        rt: rt?,
        rw: rw?,
        kelurahan_desa: kelurahan_desa?,
        kecamatan: kecamatan?,
        kabupaten_kota: kabupaten_kota?,
        provinsi: provinsi?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/application-schema.json lists exactly the fields the parser accepts.
    #[test]
    fn schema_matches_parser() {
        let schema: Value =
            serde_json::from_str(include_str!("../../../docs/application-schema.json")).unwrap();
        let keys = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        };
        let sorted = |s: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = s.iter().map(|x| (*x).to_owned()).collect();
            k.sort();
            k
        };
        assert_eq!(keys(&schema), sorted(TOP));
        let p = &schema["properties"];
        assert_eq!(keys(&p["holder"]), sorted(HOLDER));
        assert_eq!(keys(&p["holder"]["properties"]["address"]), sorted(ADDRESS));
        assert_eq!(keys(&p["card"]), sorted(CARD));
        assert_eq!(keys(&p["files"]), sorted(FILES));
        assert_eq!(schema["properties"]["format"]["const"], APPLICATION_FORMAT);
        for v in [&schema, &p["holder"], &p["card"], &p["files"]] {
            assert_eq!(v["additionalProperties"], Value::Bool(false));
        }
    }
}
