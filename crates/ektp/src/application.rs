//! Application records from disk: `ektp-lds` validates, this module reads the files.

use std::io::Read;
use std::path::{Path, PathBuf};

use ektp_bio::{FingerPosition, QualityGate};
use ektp_lds::{
    Application, ApplicationFiles, Finger, MAX_MINUTIAE_RECORD_LEN, Problem, ValidationErrors,
};

/// An application's directory: the files its JSON names are read from here, each bounded by
/// the limit `ektp-lds` gives (never more than that plus one byte is read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationDir {
    base: PathBuf,
}

impl ApplicationDir {
    /// The directory `base`.
    pub fn new(base: impl Into<PathBuf>) -> Self {
        Self { base: base.into() }
    }
}

impl ApplicationFiles for ApplicationDir {
    fn read(&self, path: &Path, max: usize) -> Result<Vec<u8>, Problem> {
        let file = std::fs::File::open(self.base.join(path))
            .map_err(|e| Problem::FileUnreadable(e.kind()))?;
        let mut out = Vec::new();
        file.take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| Problem::FileUnreadable(e.kind()))?;
        if out.len() > max {
            return Err(Problem::TooLarge { max });
        }
        Ok(out)
    }

    /// A ready ISO/IEC 19794-2 record, or an enrollment image (a 500 ppi 8-bit grayscale PNG,
    /// recognized by its signature) from which MINDTCT extracts the record through the default
    /// [`QualityGate`]: a print too poor to use is refused naming the finger (recapture).
    fn minutiae_record(&self, path: &Path, finger: Finger) -> Result<Vec<u8>, Problem> {
        let bytes = self.read(path, ektp_bio::image::MAX_PNG_BYTES)?;
        if !bytes.starts_with(b"\x89PNG") {
            if bytes.len() > MAX_MINUTIAE_RECORD_LEN {
                return Err(Problem::TooLarge {
                    max: MAX_MINUTIAE_RECORD_LEN,
                });
            }
            return Ok(bytes);
        }
        let position = match finger {
            Finger::RightIndex => FingerPosition::RightIndex,
            Finger::LeftIndex => FingerPosition::LeftIndex,
        };
        crate::fingerprint::enroll(&bytes, position, &QualityGate::default()).map_err(|e| {
            Problem::Fingerprint(match e {
                ektp_bio::Error::TooFewMinutiae { .. } | ektp_bio::Error::LowQuality { .. } => {
                    e.to_string()
                }
                other => format!(
                    "the {position} image cannot be enrolled: {other}; scan the {position} \
                     again as an 8-bit grayscale PNG at 500 ppi"
                ),
            })
        })
    }
}

/// Reads and validates an application JSON file; image and template paths in it are resolved
/// against the file's directory.
///
/// # Errors
/// [`ValidationErrors`] listing every problem (an unreadable document is one problem on the
/// empty field path).
pub fn load_application(path: impl AsRef<Path>) -> Result<Application, ValidationErrors> {
    let path = path.as_ref();
    let base = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    Application::from_json_named(name, &ApplicationDir::new(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specimen(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../cards/specimens")
            .join(name)
            .join("application.json")
    }

    #[test]
    fn loads_a_specimen_and_reports_a_missing_file() {
        let app = load_application(specimen("pria")).unwrap();
        assert_eq!(app.holder.sex, ektp_lds::Sex::Male);
        let err = load_application(specimen("pria").with_file_name("nope.json")).unwrap_err();
        assert_eq!(
            err.for_field(""),
            Some(&Problem::FileUnreadable(std::io::ErrorKind::NotFound))
        );
    }

    #[test]
    fn reads_at_most_the_limit() {
        let dir = ApplicationDir::new(specimen("pria").parent().unwrap());
        let json = Path::new("application.json");
        assert!(dir.read(json, 1 << 16).is_ok());
        assert_eq!(dir.read(json, 10), Err(Problem::TooLarge { max: 10 }));
    }
}
