//! The queue: a directory of applications, validated before any card is touched.
//!
//! A queue directory holds application JSON files (`NAME.json`, images beside them) or
//! subdirectories each holding an `application.json`; the file or directory name is the
//! application's id. Applications are issued in name order. Invalid applications, and every
//! application that shares a document number with another, are set aside with their problems.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ektp::Application;

use crate::Error;

/// Most entries read from a queue directory.
pub const MAX_QUEUE_ENTRIES: usize = 100_000;

/// A valid application in the queue.
#[derive(Debug)]
pub struct Queued {
    /// Its id: the file or directory name in the queue.
    pub id: String,
    /// The validated application.
    pub app: Application,
}

impl Queued {
    /// The document number the card will carry.
    pub fn document_number(&self) -> &str {
        self.app.holder.document_number.as_str()
    }
}

/// The application id of the application file at `path`, as a queue gives it: the folder's
/// name for `FOLDER/application.json`, else the file's name (`0001-budi.json`). So
/// `ektp personalize` and `ektp batch` record one application under one id.
pub fn application_id(path: &Path) -> String {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let file = name(path).unwrap_or_default();
    if file == "application.json"
        && let Some(dir) = path
            .parent()
            .and_then(|d| d.canonicalize().ok().or_else(|| Some(d.to_path_buf())))
            .as_deref()
            .and_then(name)
    {
        return dir;
    }
    file
}

/// An application that will not be issued in this run, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejected {
    /// Its id.
    pub application: String,
    /// What is wrong, one problem an entry.
    pub problems: Vec<String>,
    /// The same problems as language-neutral messages, for people (`station-field-problem`);
    /// empty when only the English text is known. Not in the JSON lines.
    #[serde(skip)]
    pub messages: Vec<ektp::Message>,
}

impl Rejected {
    fn new(application: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            application: application.into(),
            problems: vec![problem.into()],
            messages: Vec::new(),
        }
    }
}

/// A queue directory, read and validated.
#[derive(Debug, Default)]
pub struct Queue {
    /// The queue directory.
    pub dir: PathBuf,
    /// The valid applications, in name order.
    pub valid: Vec<Queued>,
    /// The applications set aside, in name order.
    pub rejected: Vec<Rejected>,
}

impl Queue {
    /// Reads and validates the queue directory `dir`.
    ///
    /// # Errors
    /// [`Error::QueueUnreadable`], [`Error::QueueTooLarge`]. Invalid applications are not
    /// errors: they are listed in [`Queue::rejected`].
    pub fn scan(dir: &Path) -> Result<Self, Error> {
        let (found, mut rejected) = list(dir)?;
        let mut valid = Vec::new();
        for (id, path) in found {
            match ektp::load_application(&path) {
                Ok(app) => valid.push(Queued { id, app }),
                Err(errors) => rejected.push(Rejected {
                    application: id,
                    problems: errors.errors().iter().map(ToString::to_string).collect(),
                    messages: errors
                        .errors()
                        .iter()
                        .map(|e| {
                            ektp::Message::new("station-field-problem")
                                .arg("field", &e.field)
                                .msg("problem", e.problem.message())
                        })
                        .collect(),
                }),
            }
        }
        reject_shared_document_numbers(&mut valid, &mut rejected);
        rejected.sort_by(|a, b| a.application.cmp(&b.application));
        Ok(Self {
            dir: dir.to_path_buf(),
            valid,
            rejected,
        })
    }
}

/// The application files of `dir` by id, and the entries that cannot be applications.
fn list(dir: &Path) -> Result<(BTreeMap<String, PathBuf>, Vec<Rejected>), Error> {
    let unreadable = |source| Error::QueueUnreadable {
        path: dir.to_path_buf(),
        source,
    };
    let mut found = BTreeMap::new();
    let mut rejected = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        if found.len() >= MAX_QUEUE_ENTRIES {
            return Err(Error::QueueTooLarge {
                path: dir.to_path_buf(),
                limit: MAX_QUEUE_ENTRIES,
            });
        }
        let raw_name = entry.file_name();
        let Some(name) = raw_name.to_str() else {
            rejected.push(Rejected::new(
                raw_name.to_string_lossy(),
                "file name is not UTF-8: rename it",
            ));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            let json = path.join("application.json");
            if json.is_file() {
                found.insert(name.to_owned(), json);
            } else {
                rejected.push(Rejected::new(name, "directory has no application.json"));
            }
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            found.insert(name.to_owned(), path);
        }
    }
    Ok((found, rejected))
}

/// Two applications with one document number: neither can be issued until it is fixed.
fn reject_shared_document_numbers(valid: &mut Vec<Queued>, rejected: &mut Vec<Rejected>) {
    let mut by_document: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for q in valid.iter() {
        by_document
            .entry(q.document_number().to_owned())
            .or_default()
            .push(q.id.clone());
    }
    for (document, ids) in by_document {
        if ids.len() > 1 {
            for id in &ids {
                valid.retain(|q| &q.id != id);
                rejected.push(Rejected::new(
                    id.clone(),
                    format!(
                        "document number {document} is used by more than one application: {}",
                        ids.join(", ")
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specimens() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens")
    }

    #[test]
    fn queue_of_subdirectories_validates_and_lists_the_invalid_one() {
        let queue = Queue::scan(&specimens()).unwrap();
        let ids: Vec<&str> = queue.valid.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "menikah-16",
                "nama-panjang",
                "potret-icao",
                "pria",
                "wanita",
                "wna"
            ]
        );
        assert_eq!(queue.rejected.len(), 1);
        assert_eq!(queue.rejected[0].application, "belum-kawin-16");
        assert!(queue.rejected[0].problems[0].contains("not eligible"));
    }

    #[test]
    fn duplicate_document_numbers_reject_both_and_flat_files_work() {
        let dir = std::env::temp_dir().join(format!("ektp-batch-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let src = specimens().join("pria");
        for f in [
            "portrait.jpg",
            "signature.jpg",
            "right-index.fmr",
            "left-index.fmr",
        ] {
            std::fs::copy(src.join(f), dir.join(f)).unwrap();
        }
        let json = std::fs::read_to_string(src.join("application.json")).unwrap();
        std::fs::write(dir.join("a.json"), &json).unwrap();
        std::fs::write(dir.join("b.json"), &json).unwrap();
        std::fs::write(dir.join("c.json"), json.replace("IDA000001", "IDA000099")).unwrap();
        std::fs::write(dir.join("d.json"), "{ not json").unwrap();
        let queue = Queue::scan(&dir).unwrap();
        assert_eq!(queue.valid.len(), 1);
        assert_eq!(queue.valid[0].id, "c.json");
        let names: Vec<&str> = queue
            .rejected
            .iter()
            .map(|r| r.application.as_str())
            .collect();
        assert_eq!(names, ["a.json", "b.json", "d.json"]);
        assert!(queue.rejected[0].problems[0].contains("more than one application"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
