//! Bundles: sessions travelling between auditors' laptops as one file (docs/exchange.md).
//!
//! A bundle is a gzip-compressed tar archive: `manifest.json` first, then the session files
//! as the data folder holds them (`sessions/<id>.ron` for a finished session, its journal
//! segments `sessions/<id>.journal[.N]` for an unfinished one) and `overrides.ron` when the
//! folder has one. The manifest lists every other entry with its SHA-256 and size, which
//! sessions the bundle holds, who made it and when, and the shadowmap version.
//!
//! Importing never trusts the archive: every entry must be listed, every checksum must match,
//! every path must be one the data folder could hold, and every session must load, before
//! anything is written; then the new files land as one batch ([`crate::store::batch`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::{OVERRIDES_FILE, Override, Overrides};
use crate::store::batch::BatchFile;
use crate::store::sim::SimIo;
use crate::store::{DataDir, SESSIONS_FOLDER, SessionFile, classify};

/// The manifest's name inside the archive.
pub const MANIFEST: &str = "manifest.json";
/// What the manifest's `format` says.
pub const BUNDLE_FORMAT: &str = "shadowmap-bundle";
pub const BUNDLE_FORMAT_VERSION: u32 = 1;
/// The most one bundle may unpack to: a bundle claiming more is refused before it fills the
/// memory (a gzip bomb).
pub const MAX_UNPACKED_BYTES: u64 = 4 << 30;

/// The manifest (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub shadowmap_version: String,
    pub created_at: DateTime<FixedOffset>,
    pub created_by: String,
    pub sessions: Vec<ManifestSession>,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestSession {
    pub id: String,
    pub finished: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// The path inside the bundle, `/`-separated: `sessions/<name>` or `overrides.ron`.
    pub path: String,
    /// Lower-case hex.
    pub sha256: String,
    pub bytes: u64,
}

/// Why a bundle cannot be made or used. Each names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{bundle}: {what}\n  hint: {hint}", bundle = bundle.display())]
    Damaged {
        bundle: PathBuf,
        what: String,
        hint: &'static str,
    },
    #[error("cannot read {}: {error}", path.display())]
    Read { path: PathBuf, error: io::Error },
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

const TAMPERED: &str = "the bundle was changed or damaged after it was made; ask its author for a new one (shadowmap bundle)";

fn damaged(bundle: &Path, what: impl Into<String>) -> BundleError {
    BundleError::Damaged {
        bundle: bundle.to_path_buf(),
        what: what.into(),
        hint: TAMPERED,
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The files to pack, read from a data folder: which sessions, and whether unfinished ones
/// (their journals) come along.
#[derive(Debug, Clone)]
pub struct PackRequest {
    /// Session ids; empty: every finished session (and every unfinished one when asked).
    pub ids: Vec<String>,
    pub include_unfinished: bool,
    pub created_by: String,
    pub created_at: DateTime<FixedOffset>,
}

/// A bundle's content before it is written: what `bundle` prints and packs.
#[derive(Debug, Clone)]
pub struct Packed {
    pub manifest: Manifest,
    pub files: Vec<(String, Vec<u8>)>,
    /// Unfinished sessions left out because `include_unfinished` was not asked.
    pub left_out_unfinished: Vec<String>,
}

/// Collects the files of a bundle from the data folder.
pub fn collect(dir: &DataDir, request: &PackRequest) -> Result<Packed, BundleError> {
    let listing = dir.scan()?;
    let mut wanted: BTreeSet<&str> = request.ids.iter().map(String::as_str).collect();
    let mut sessions = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut left_out_unfinished = Vec::new();
    for entry in &listing.entries {
        if !request.ids.is_empty() && !wanted.remove(entry.id.as_str()) {
            continue;
        }
        if !entry.finished && !request.include_unfinished {
            left_out_unfinished.push(entry.id.clone());
            continue;
        }
        let paths: Vec<PathBuf> = if entry.finished {
            vec![dir.snapshot_path(&entry.id)]
        } else {
            dir.segments(&entry.id)?
                .into_iter()
                .map(|(_, p)| p)
                .collect()
        };
        for path in paths {
            let bytes = dir.io().read(&path).map_err(|error| BundleError::Read {
                path: path.clone(),
                error,
            })?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            files.push((
                format!("{SESSIONS_FOLDER}/{}", name.unwrap_or_default()),
                bytes,
            ));
        }
        sessions.push(ManifestSession {
            id: entry.id.clone(),
            finished: entry.finished,
        });
    }
    if let Some(missing) = wanted.into_iter().next() {
        return Err(crate::store::StoreError::NotFound {
            what: missing.to_string(),
            dir: dir.sessions_dir().to_path_buf(),
        }
        .into());
    }
    let overrides = dir.root().join(OVERRIDES_FILE);
    if dir.io().exists(&overrides).unwrap_or(false) {
        let bytes = dir
            .io()
            .read(&overrides)
            .map_err(|error| BundleError::Read {
                path: overrides.clone(),
                error,
            })?;
        files.push((OVERRIDES_FILE.to_string(), bytes));
    }
    sessions.sort_by(|a, b| a.id.cmp(&b.id));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let manifest = Manifest {
        format: BUNDLE_FORMAT.to_string(),
        format_version: BUNDLE_FORMAT_VERSION,
        shadowmap_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: request.created_at,
        created_by: request.created_by.clone(),
        sessions,
        files: files
            .iter()
            .map(|(path, bytes)| ManifestFile {
                path: path.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
            })
            .collect(),
    };
    Ok(Packed {
        manifest,
        files,
        left_out_unfinished,
    })
}

/// The bundle's bytes: deterministic for the same content (fixed modes, owner and times).
pub fn pack(packed: &Packed) -> io::Result<Vec<u8>> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    let mtime = u64::try_from(packed.manifest.created_at.timestamp()).unwrap_or(0);
    let mut manifest = serde_json::to_vec_pretty(&packed.manifest).map_err(io::Error::other)?;
    manifest.push(b'\n');
    let mut append = |path: &str, bytes: &[u8]| -> io::Result<()> {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, path, bytes)
    };
    append(MANIFEST, &manifest)?;
    for (path, bytes) in &packed.files {
        append(path, bytes)?;
    }
    let gz = tar.into_inner()?;
    let mut bytes = gz.finish()?;
    bytes.flush()?;
    Ok(bytes)
}

/// A bundle read and verified: its manifest and its files, every checksum checked.
#[derive(Debug, Clone)]
pub struct Opened {
    pub path: PathBuf,
    pub manifest: Manifest,
    /// Path inside the bundle -> bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Reads a bundle and verifies it whole: the manifest, every entry listed once with its
/// checksum and size, no entry that is not listed, every path one the data folder could hold,
/// and every session loading as the store would load it.
pub fn open(path: &Path, bytes: &[u8]) -> Result<Opened, BundleError> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz.take(MAX_UNPACKED_BYTES + 1));
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut manifest_bytes = None;
    let mut total: u64 = 0;
    let not_a_bundle = |e: io::Error| {
        damaged(
            path,
            format!("not a readable shadowmap bundle (a gzip-compressed tar): {e}"),
        )
    };
    for entry in archive.entries().map_err(not_a_bundle)? {
        let mut entry = entry.map_err(not_a_bundle)?;
        let name = entry
            .path()
            .map_err(not_a_bundle)?
            .to_string_lossy()
            .into_owned();
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(damaged(
                path,
                format!("entry `{name}` is not a regular file"),
            ));
        }
        let size = entry.size();
        total = total.saturating_add(size);
        if total > MAX_UNPACKED_BYTES {
            return Err(damaged(
                path,
                format!("it unpacks to more than {} GiB", MAX_UNPACKED_BYTES >> 30),
            ));
        }
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 26));
        entry.read_to_end(&mut data).map_err(not_a_bundle)?;
        if name == MANIFEST {
            manifest_bytes = Some(data);
        } else if entries.insert(name.clone(), data).is_some() {
            return Err(damaged(path, format!("entry `{name}` appears twice")));
        }
    }
    // The tar reader stops at the end-of-archive blocks; reading the rest makes the gzip
    // decoder check its CRC and size, so a flipped byte anywhere is caught.
    io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(not_a_bundle)?;
    let manifest_bytes =
        manifest_bytes.ok_or_else(|| damaged(path, format!("it has no {MANIFEST}")))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes).map_err(|e| {
        damaged(
            path,
            format!("{MANIFEST} line {} column {}: {e}", e.line(), e.column()),
        )
    })?;
    if manifest.format != BUNDLE_FORMAT || manifest.format_version != BUNDLE_FORMAT_VERSION {
        return Err(BundleError::Damaged {
            bundle: path.to_path_buf(),
            what: format!(
                "{MANIFEST} says format `{}` version {}; this shadowmap reads `{BUNDLE_FORMAT}` version {BUNDLE_FORMAT_VERSION}",
                manifest.format, manifest.format_version
            ),
            hint: "import it with the shadowmap version that made it, or ask for a bundle made by this one",
        });
    }
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    for file in &manifest.files {
        if !listed.insert(file.path.as_str()) {
            return Err(damaged(
                path,
                format!("{MANIFEST} lists `{}` twice", file.path),
            ));
        }
        check_entry_path(path, &file.path)?;
        let data = entries.get(&file.path).ok_or_else(|| {
            damaged(
                path,
                format!("`{}` is listed in {MANIFEST} but missing", file.path),
            )
        })?;
        if data.len() as u64 != file.bytes || sha256_hex(data) != file.sha256 {
            return Err(damaged(
                path,
                format!(
                    "`{}` does not match its SHA-256 in {MANIFEST} (the file was changed)",
                    file.path
                ),
            ));
        }
    }
    if let Some(extra) = entries.keys().find(|k| !listed.contains(k.as_str())) {
        return Err(damaged(
            path,
            format!("entry `{extra}` is not listed in {MANIFEST}"),
        ));
    }
    let opened = Opened {
        path: path.to_path_buf(),
        manifest,
        files: entries,
    };
    opened.check_sessions()?;
    Ok(opened)
}

/// Only paths the data folder could hold: `overrides.ron`, or `sessions/` and a session's
/// snapshot or journal segment name (a file-name-safe id), nothing with `..` or `/` in it.
fn check_entry_path(bundle: &Path, entry: &str) -> Result<(), BundleError> {
    if entry == OVERRIDES_FILE {
        return Ok(());
    }
    let ok = entry
        .strip_prefix(&format!("{SESSIONS_FOLDER}/"))
        .is_some_and(|name| classify(name).is_some());
    if ok {
        Ok(())
    } else {
        Err(damaged(
            bundle,
            format!("entry `{entry}` is not a session file or overrides.ron"),
        ))
    }
}

impl Opened {
    /// The session files grouped by session id.
    fn sessions(&self) -> BTreeMap<String, Vec<(&str, &[u8])>> {
        let mut by_id: BTreeMap<String, Vec<(&str, &[u8])>> = BTreeMap::new();
        for (path, bytes) in &self.files {
            let Some(name) = path.strip_prefix(&format!("{SESSIONS_FOLDER}/")) else {
                continue;
            };
            let id = match classify(name) {
                Some(SessionFile::Snapshot(id) | SessionFile::Segment(id, _)) => id,
                None => continue,
            };
            by_id.entry(id).or_default().push((name, bytes.as_slice()));
        }
        by_id
    }

    /// Every session loads as the store would load it (in an in-memory data folder), under
    /// the id its file names say, and the manifest lists exactly these sessions.
    fn check_sessions(&self) -> Result<(), BundleError> {
        let sessions = self.sessions();
        let io = SimIo::new();
        let root = Path::new("/bundle");
        for files in sessions.values() {
            for (name, bytes) in files {
                io.put_file(&root.join(SESSIONS_FOLDER).join(name), bytes);
            }
        }
        let dir = DataDir::open_with(root, Arc::new(io))?;
        for id in sessions.keys() {
            let loaded = dir
                .load(id)
                .map_err(|e| damaged(&self.path, format!("session `{id}` does not load: {e}")))?;
            if loaded.session.header.id != *id {
                return Err(damaged(
                    &self.path,
                    format!(
                        "the file of session `{id}` holds session `{}`",
                        loaded.session.header.id
                    ),
                ));
            }
        }
        let listed: BTreeSet<&str> = self
            .manifest
            .sessions
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        let present: BTreeSet<&str> = sessions.keys().map(String::as_str).collect();
        if listed != present {
            return Err(damaged(
                &self.path,
                format!("{MANIFEST} lists other sessions than the bundle holds"),
            ));
        }
        if let Some(bytes) = self.files.get(OVERRIDES_FILE) {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| damaged(&self.path, "overrides.ron is not UTF-8 text"))?;
            Overrides::from_ron_str(text, Path::new(OVERRIDES_FILE))
                .map_err(|e| damaged(&self.path, format!("overrides.ron: {e}")))?;
        }
        Ok(())
    }
}

/// A session of the bundle that the data folder already holds with other content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConflict {
    pub id: String,
    /// The bundle that brings it.
    pub bundle: PathBuf,
    /// The file in the data folder that differs (or holds the session in another state).
    pub existing: PathBuf,
    pub why: String,
}

/// The same finding overridden in the bundle and in the data folder, differently.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideConflict {
    pub finding: String,
    pub bundle: PathBuf,
    pub ours: Override,
    pub theirs: Override,
}

/// What importing bundles would do; nothing is written until [`ImportPlan::files`] is
/// committed, and a plan with conflicts must not be.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// (session id, bundle) of sessions the data folder does not have.
    pub new_sessions: Vec<(String, PathBuf)>,
    /// Sessions the data folder already holds byte for byte.
    pub duplicates: Vec<(String, PathBuf)>,
    pub conflicts: Vec<SessionConflict>,
    pub overrides_added: Vec<String>,
    pub override_conflicts: Vec<OverrideConflict>,
    /// The files to write, as one batch.
    pub files: Vec<BatchFile>,
}

impl ImportPlan {
    pub fn has_conflicts(&self) -> bool {
        !self.conflicts.is_empty() || !self.override_conflicts.is_empty()
    }
}

/// A session's files in a bundle: (name in `sessions/`, bytes).
type SessionFiles = Vec<(String, Vec<u8>)>;

/// Reads a file of the data folder, `None` when it is not there.
type ReadIfThere<'a> = dyn Fn(&Path) -> Result<Option<Vec<u8>>, BundleError> + 'a;

/// Plans the import of verified bundles into a data folder: new sessions, exact duplicates
/// (skipped), conflicts (refused), and the overrides merged. Reads, never writes.
pub fn plan_import(dir: &DataDir, bundles: &[Opened]) -> Result<ImportPlan, BundleError> {
    let io = dir.io();
    let read = |path: &Path| -> Result<Option<Vec<u8>>, BundleError> {
        if !io.exists(path).map_err(|error| BundleError::Read {
            path: path.to_path_buf(),
            error,
        })? {
            return Ok(None);
        }
        io.read(path).map(Some).map_err(|error| BundleError::Read {
            path: path.to_path_buf(),
            error,
        })
    };
    let mut plan = ImportPlan::default();
    // A session brought by two bundles is planned once (the first), and checked against the
    // second like against the folder.
    let mut planned: BTreeMap<String, (PathBuf, SessionFiles)> = BTreeMap::new();
    for bundle in bundles {
        for (id, files) in bundle.sessions() {
            let ours_files: SessionFiles = files
                .iter()
                .map(|(n, b)| ((*n).to_string(), b.to_vec()))
                .collect();
            if let Some((first, earlier)) = planned.get(&id) {
                if *earlier != ours_files {
                    plan.conflicts.push(SessionConflict {
                        id: id.clone(),
                        bundle: bundle.path.clone(),
                        existing: first.clone(),
                        why: "two bundles bring this session with different content".into(),
                    });
                } else {
                    plan.duplicates.push((id, bundle.path.clone()));
                }
                continue;
            }
            let existing: Vec<PathBuf> = {
                let mut paths = Vec::new();
                let snapshot = dir.snapshot_path(&id);
                if read(&snapshot)?.is_some() {
                    paths.push(snapshot);
                }
                paths.extend(dir.segments(&id)?.into_iter().map(|(_, p)| p));
                paths
            };
            if existing.is_empty() {
                plan.new_sessions.push((id.clone(), bundle.path.clone()));
                for (name, bytes) in &ours_files {
                    plan.files.push(BatchFile {
                        target: dir.sessions_dir().join(name),
                        bytes: bytes.clone(),
                    });
                }
                planned.insert(id, (bundle.path.clone(), ours_files));
                continue;
            }
            // The same files, byte for byte (a finished session: its snapshot; the folder may
            // keep the journal beside it).
            let mut same = true;
            let mut differing = existing[0].clone();
            for (name, bytes) in &ours_files {
                let target = dir.sessions_dir().join(name);
                match read(&target)? {
                    Some(theirs) if theirs == *bytes => {}
                    Some(_) => {
                        same = false;
                        differing = target;
                        break;
                    }
                    None => {
                        same = false;
                        break;
                    }
                }
            }
            if same {
                plan.duplicates.push((id.clone(), bundle.path.clone()));
            } else {
                plan.conflicts.push(SessionConflict {
                    id: id.clone(),
                    bundle: bundle.path.clone(),
                    existing: differing,
                    why: "the data folder holds this session with other content".into(),
                });
            }
            planned.insert(id, (bundle.path.clone(), ours_files));
        }
    }
    plan_overrides(dir, bundles, &mut plan, &read)?;
    Ok(plan)
}

fn plan_overrides(
    dir: &DataDir,
    bundles: &[Opened],
    plan: &mut ImportPlan,
    read: &ReadIfThere<'_>,
) -> Result<(), BundleError> {
    let path = dir.root().join(OVERRIDES_FILE);
    let mut merged = match read(&path)? {
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Overrides::from_ron_str(&text, &path).map_err(|e| BundleError::Damaged {
                bundle: path.clone(),
                what: e.to_string(),
                hint: "fix the data folder's overrides.ron first (shadowmap report checks it)",
            })?
        }
        None => Overrides::default(),
    };
    let mut changed = false;
    for bundle in bundles {
        let Some(bytes) = bundle.files.get(OVERRIDES_FILE) else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        let theirs = Overrides::from_ron_str(&text, Path::new(OVERRIDES_FILE))
            .map_err(|e| damaged(&bundle.path, format!("overrides.ron: {e}")))?;
        for entry in theirs.overrides {
            match merged.get(&entry.finding) {
                None => {
                    plan.overrides_added.push(entry.finding.clone());
                    merged.set(entry);
                    changed = true;
                }
                Some(ours) if *ours == entry => {}
                Some(ours) => plan.override_conflicts.push(OverrideConflict {
                    finding: entry.finding.clone(),
                    bundle: bundle.path.clone(),
                    ours: ours.clone(),
                    theirs: entry,
                }),
            }
        }
    }
    if changed {
        let mut text = merged.to_ron();
        text.push('\n');
        plan.files.push(BatchFile {
            target: path,
            bytes: text.into_bytes(),
        });
    }
    Ok(())
}

/// Writes a plan without conflicts into the data folder as one batch.
pub fn commit_import(dir: &DataDir, plan: &ImportPlan) -> io::Result<()> {
    assert!(
        !plan.has_conflicts(),
        "a plan with conflicts is refused before it is committed"
    );
    crate::store::batch::commit(dir.io().as_ref(), dir.root(), &plan.files)
}

impl fmt::Display for SessionConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "session `{}`: {} (the bundle {} and {})",
            self.id,
            self.why,
            self.bundle.display(),
            self.existing.display()
        )
    }
}

impl fmt::Display for OverrideConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "finding {}: overridden here as {} by {} and in {} as {} by {}",
            self.finding,
            self.ours.cause.name(),
            self.ours.who,
            self.bundle.display(),
            self.theirs.cause.name(),
            self.theirs.who
        )
    }
}

#[cfg(test)]
mod tests;
