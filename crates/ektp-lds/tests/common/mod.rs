//! Application files from disk for the tests and the benchmark. `ektp-lds` itself does no
//! I/O; the host crate's `ektp::load_application` is the real loader.

use std::path::{Path, PathBuf};

use ektp_lds::{Application, ApplicationFiles, Problem, ValidationErrors};

/// The files of one application directory.
pub struct Dir(pub PathBuf);

impl ApplicationFiles for Dir {
    fn read(&self, path: &Path, max: usize) -> Result<Vec<u8>, Problem> {
        let bytes =
            std::fs::read(self.0.join(path)).map_err(|e| Problem::FileUnreadable(e.kind()))?;
        if bytes.len() > max {
            return Err(Problem::TooLarge { max });
        }
        Ok(bytes)
    }
}

/// Reads and validates the application file at `path`.
pub fn from_json_file(path: impl AsRef<Path>) -> Result<Application, ValidationErrors> {
    let path = path.as_ref();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let base = path.parent().unwrap_or_else(|| Path::new("."));
    Application::from_json_named(name, &Dir(base.to_path_buf()))
}
