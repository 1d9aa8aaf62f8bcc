//! The auditor's overrides of suggested causes: a RON file beside the sessions
//! (`overrides.ron`), keyed by the findings' stable ids, so an override survives a re-run.
//!
//! ```ron
//! Overrides(
//!     format_version: 1,
//!     overrides: [
//!         Override(finding: "F-00a1b2c3d4", cause: training, who: "ak",
//!                  why: "north's new starters were never shown the order set",
//!                  when: "2026-11-25T10:12:00+01:00"),
//!     ],
//! )
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::model::{Cause, FileError};

/// The file name, in the data folder or the first folder given to `report`.
pub const OVERRIDES_FILE: &str = "overrides.ron";
pub const OVERRIDES_FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The finding's stable id (`F-...`).
    pub finding: String,
    pub cause: Cause,
    pub who: String,
    pub why: String,
    pub when: DateTime<FixedOffset>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    #[serde(default = "default_version")]
    pub format_version: u32,
    #[serde(default)]
    pub overrides: Vec<Override>,
}

fn default_version() -> u32 {
    OVERRIDES_FORMAT_VERSION
}

impl Default for Overrides {
    fn default() -> Self {
        Overrides {
            format_version: OVERRIDES_FORMAT_VERSION,
            overrides: Vec::new(),
        }
    }
}

impl Overrides {
    pub fn from_ron_str(text: &str, path: &Path) -> Result<Overrides, FileError> {
        let overrides: Overrides = ron::from_str(text).map_err(|e| {
            FileError::from_ron(path, &e).with_hint(format!(
                "each entry is Override(finding: \"F-...\", cause: one of {}, who: \"...\", \
                 why: \"...\", when: \"2026-11-25T10:00:00+00:00\")",
                Cause::ALL
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join("|")
            ))
        })?;
        if overrides.format_version > OVERRIDES_FORMAT_VERSION {
            return Err(FileError::new(
                path,
                None,
                format!(
                    "overrides format {} is newer than this shadowmap understands ({})",
                    overrides.format_version, OVERRIDES_FORMAT_VERSION
                ),
            )
            .with_hint("update shadowmap to read this file"));
        }
        Ok(overrides)
    }

    /// Reads the file; a file that does not exist is no overrides. Like a session file: a
    /// regular file only (a FIFO is refused, never waited on), UTF-8 with or without a BOM.
    pub fn load(path: &Path) -> Result<Overrides, FileError> {
        use crate::model::session::{MAX_SESSION_FILE_BYTES, read_regular_file, session_text};
        match read_regular_file(path, MAX_SESSION_FILE_BYTES) {
            Ok(bytes) => Overrides::from_ron_str(session_text(&bytes, path)?, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Overrides::default()),
            Err(e) => {
                Err(
                    FileError::new(path, None, format!("cannot read the overrides file: {e}"))
                        .with_hint("check that the file is readable"),
                )
            }
        }
    }

    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(true)
            .depth_limit(3)
            .indentor("    ".to_string());
        ron::ser::to_string_pretty(self, config).expect("overrides always serialize")
    }

    /// Writes the file atomically: a temporary file beside it, synced, renamed over it, and
    /// the folder synced. Readable by the owner only.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| OVERRIDES_FILE.to_string());
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let result = (|| {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&tmp)?;
            file.write_all(self.to_ron().as_bytes())?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            drop(file);
            std::fs::rename(&tmp, path)?;
            if let Ok(d) = std::fs::File::open(&dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// The override of a finding (the last entry wins when one is listed twice).
    pub fn get(&self, finding: &str) -> Option<&Override> {
        self.overrides.iter().rev().find(|o| o.finding == finding)
    }

    /// Adds an override, replacing any earlier one of the same finding.
    pub fn set(&mut self, entry: Override) {
        self.overrides.retain(|o| o.finding != entry.finding);
        self.overrides.push(entry);
    }

    /// Removes the override of a finding; true when there was one.
    pub fn remove(&mut self, finding: &str) -> bool {
        let before = self.overrides.len();
        self.overrides.retain(|o| o.finding != finding);
        before != self.overrides.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, cause: Cause) -> Override {
        Override {
            finding: id.into(),
            cause,
            who: "ak".into(),
            why: "seen it".into(),
            when: DateTime::parse_from_rfc3339("2026-11-25T10:00:00+01:00").unwrap(),
        }
    }

    #[test]
    fn round_trip_and_atomic_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(OVERRIDES_FILE);
        assert_eq!(Overrides::load(&path).unwrap(), Overrides::default());
        let mut o = Overrides::default();
        o.set(entry("F-1", Cause::Training));
        o.set(entry("F-2", Cause::Design));
        o.set(entry("F-1", Cause::Policy));
        assert_eq!(o.overrides.len(), 2);
        assert_eq!(o.get("F-1").unwrap().cause, Cause::Policy);
        o.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("cause: policy"), "{text}");
        assert_eq!(Overrides::load(&path).unwrap(), o);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
        assert!(o.remove("F-2"));
        assert!(!o.remove("F-2"));
    }

    #[test]
    fn a_bad_cause_names_the_place() {
        let text = "Overrides(overrides: [\n  Override(finding: \"F-1\", cause: laziness, who: \"a\", why: \"b\", when: \"2026-11-25T10:00:00+00:00\"),\n])";
        let e = Overrides::from_ron_str(text, Path::new("o.ron")).unwrap_err();
        assert!(e.to_string().starts_with("o.ron:2:"), "{e}");
        assert!(e.hint.contains("training|design"), "{}", e.hint);
    }
}
