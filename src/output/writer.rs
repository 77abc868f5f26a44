//! The site written as it is rendered: a staging directory beside the destination is
//! filled file by file (each file dropped from memory once written), then finished (the
//! PDFs, the marker) and swapped into place. Dropped unfinished (a failed build), the
//! staging directory is removed and the previous output stays as it was.

use super::marker::{self, Marker};
use super::{Previous, ensure_replaceable, io_error, parent_of, staging};
use crate::diagnostic::Diagnostic;
use crate::digest::sha256_hex;
use crate::render::{FileSink, OutputFile};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A site being written into its staging directory.
pub struct SiteWriter {
    destination: PathBuf,
    /// `None` once swapped into place (or removed).
    staging: Option<PathBuf>,
    previous: Option<Arc<Previous>>,
    marker: Mutex<Marker>,
}

impl SiteWriter {
    /// Starts writing the site that will replace `destination` (refused unless folio
    /// wrote it, or it is empty or missing); a file unchanged since `previous` will be
    /// linked to its old copy instead of written.
    pub fn begin(destination: &Path, previous: Option<Arc<Previous>>) -> Result<Self, Diagnostic> {
        ensure_replaceable(destination)?;
        let parent = parent_of(destination);
        fs::create_dir_all(&parent)
            .map_err(|error| io_error(&parent, "create the directory", error))?;
        staging::remove_leftovers(destination);
        let staging = staging::create(destination)?;
        Ok(Self {
            destination: destination.to_path_buf(),
            staging: Some(staging),
            previous,
            marker: Mutex::new(Marker::default()),
        })
    }

    /// The paths written so far, sorted.
    pub fn written(&self) -> Vec<String> {
        self.marker
            .lock()
            .expect("no thread panics while holding the marker")
            .paths()
            .map(str::to_string)
            .collect()
    }

    /// Lets `finish` add files to the staging directory (the PDFs made from the written
    /// print pages), writes the marker and swaps the site into place. Returns the
    /// warnings (an old site that could not be removed once replaced).
    pub fn finish(
        mut self,
        finish: &dyn Fn(&Staged<'_>) -> Result<(), Diagnostic>,
    ) -> Result<Vec<Diagnostic>, Diagnostic> {
        let staging = self.staging.take().expect("a writer is finished once");
        let marker = std::mem::take(
            &mut *self
                .marker
                .lock()
                .expect("no thread panics while holding the marker"),
        );
        let result = complete(&staging, marker, self.previous.as_deref(), finish)
            .and_then(|()| staging::swap_into_place(&staging, &self.destination));
        if result.is_err() && staging.exists() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }
}

/// The staging directory once every rendered file is in it, as the last step (the
/// PDFs) sees it.
pub struct Staged<'a> {
    /// The staging directory.
    pub root: &'a Path,
    /// Every file written so far, with its hash.
    pub marker: &'a Marker,
    /// The site this one replaces, if folio wrote it.
    pub previous: Option<&'a Previous>,
}

/// Adds what `finish` writes to the marker, and writes the marker.
fn complete(
    staging: &Path,
    mut marker: Marker,
    previous: Option<&Previous>,
    finish: &dyn Fn(&Staged<'_>) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    finish(&Staged {
        root: staging,
        marker: &marker,
        previous,
    })?;
    for added in marker::files_under(staging) {
        if marker.hash(&added).is_none() {
            let bytes = crate::source_file::read_bytes(&staging.join(&added))?;
            marker.insert(added, sha256_hex(&bytes, 32));
        }
    }
    marker.write(staging)
}

impl SiteWriter {
    /// Where `relative` goes in the staging directory, its directory created.
    fn staged_path(&self, relative: &str) -> Result<PathBuf, Diagnostic> {
        let root = self
            .staging
            .as_ref()
            .expect("files are put before finishing");
        let path = root.join(relative);
        if let Some(directory) = path.parent() {
            fs::create_dir_all(directory).map_err(|error| io_error(directory, "create", error))?;
        }
        Ok(path)
    }

    fn record(&self, path: String, hash: String) {
        self.marker
            .lock()
            .expect("no thread panics while holding the marker")
            .insert(path, hash);
    }
}

/// A writer that hashes what goes through it.
struct HashingWriter<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hash.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl FileSink for SiteWriter {
    fn put_streamed(
        &self,
        relative: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let path = self.staged_path(relative)?;
        let file = fs::File::create(&path).map_err(|error| io_error(&path, "create", error))?;
        let mut writer = HashingWriter {
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
            hash: Sha256::new(),
        };
        write(&mut writer)
            .and_then(|()| writer.flush())
            .map_err(|error| io_error(&path, "write", error))?;
        drop(writer.inner);
        let hash = crate::digest::hex(&writer.hash.finalize());
        let unchanged = self
            .previous
            .as_ref()
            .and_then(|previous| previous.unchanged_file(relative, &path, &hash));
        if let Some(old) = unchanged {
            // Linked to the old copy like every unchanged file (the link replaces the
            // written copy in one rename; kept as written when linking fails).
            let link = path.with_extension("folio-link");
            if fs::hard_link(&old, &link).is_ok() && fs::rename(&link, &path).is_err() {
                let _ = fs::remove_file(&link);
            }
        }
        self.record(relative.to_string(), hash);
        Ok(())
    }

    fn put(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.staged_path(&file.path)?;
        let hash = sha256_hex(&file.bytes, 32);
        let unchanged = self
            .previous
            .as_ref()
            .and_then(|previous| previous.unchanged(&file.path, &file.bytes, &hash));
        match unchanged {
            Some(old) if fs::hard_link(&old, &path).is_ok() => {}
            _ => fs::write(&path, file.bytes.as_slice())
                .map_err(|error| io_error(&path, "write", error))?,
        }
        self.record(file.path.clone(), hash);
        Ok(())
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if let Some(staging) = self.staging.take() {
            let _ = fs::remove_dir_all(staging);
        }
    }
}
