//! The recent workbooks: the last [`RECENT_CAP`] opened or created, newest first, kept as JSON in the app's
//! config folder (`recent-workbooks.json`). A missing or damaged file is an empty list, never an error: the
//! list is a convenience, and a bad one must not keep the app from starting.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dto::RecentEntry;
use crate::scope::canonical;

/// How many workbooks the list keeps.
pub const RECENT_CAP: usize = 8;

/// File name of the list in the app's config folder.
pub const RECENT_FILE: &str = "recent-workbooks.json";

/// The list as stored: a version, so a later format can tell old files apart, and the paths newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentList {
    version: u32,
    workbooks: Vec<PathBuf>,
}

impl Default for RecentList {
    fn default() -> Self {
        RecentList::new()
    }
}

impl RecentList {
    /// An empty list.
    pub fn new() -> Self {
        RecentList {
            version: 1,
            workbooks: Vec::new(),
        }
    }

    /// Parses the stored JSON. Anything unreadable gives an empty list; relative paths are dropped, duplicates
    /// after the first and entries past the cap too.
    pub fn from_json(text: &str) -> Self {
        let stored: RecentList = serde_json::from_str(text).unwrap_or_default();
        let mut list = RecentList::new();
        for path in stored.workbooks.into_iter().rev() {
            if path.is_absolute() {
                list.push(&path);
            }
        }
        list
    }

    /// The JSON stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Puts `path` first (moving it there if it is already listed) and drops the oldest past the cap.
    pub fn push(&mut self, path: &Path) {
        let path = canonical(path);
        self.workbooks.retain(|p| *p != path);
        self.workbooks.insert(0, path);
        self.workbooks.truncate(RECENT_CAP);
    }

    /// Whether `path` (in any spelling) is listed.
    pub fn contains(&self, path: &Path) -> bool {
        let path = canonical(path);
        self.workbooks.contains(&path)
    }

    /// Drops `path` (as listed, or in any spelling of it); returns whether it was listed.
    pub fn remove(&mut self, path: &Path) -> bool {
        let before = self.workbooks.len();
        let canon = canonical(path);
        self.workbooks.retain(|p| p != path && *p != canon);
        self.workbooks.len() != before
    }

    /// The paths, newest first.
    pub fn paths(&self) -> &[PathBuf] {
        &self.workbooks
    }

    /// The entries the window shows, newest first, each marked whether its file still exists.
    pub fn entries(&self) -> Vec<RecentEntry> {
        self.workbooks
            .iter()
            .map(|p| RecentEntry {
                name: p
                    .file_stem()
                    .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into_owned()),
                path: p.display().to_string(),
                exists: p.is_file(),
            })
            .collect()
    }

    /// Reads the list from `file`; a missing or damaged file gives an empty list.
    pub fn load(file: &Path) -> Self {
        match std::fs::read_to_string(file) {
            Ok(text) => RecentList::from_json(&text),
            Err(_) => RecentList::new(),
        }
    }

    /// Writes the list to `file` atomically: to a temporary file in the same folder, then renamed over it, so a
    /// crash mid-write leaves the old list, never half a file.
    ///
    /// # Errors
    /// I/O errors creating the folder, writing or renaming.
    pub fn save(&self, file: &Path) -> std::io::Result<()> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = file.with_extension(format!("json.tmp-{}", std::process::id()));
        std::fs::write(&tmp, self.to_json())?;
        std::fs::rename(&tmp, file).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abs(name: &str) -> PathBuf {
        PathBuf::from(format!("/nonexistent-tessera-test/{name}.tessera"))
    }

    #[test]
    fn newest_first_without_duplicates_and_capped() {
        let mut list = RecentList::new();
        for k in 0..10 {
            list.push(&abs(&format!("w{k}")));
        }
        list.push(&abs("w5"));
        let names: Vec<String> = list.entries().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["w5", "w9", "w8", "w7", "w6", "w4", "w3", "w2"]);
        assert_eq!(names.len(), RECENT_CAP);
        assert!(list.contains(&abs("w2")) && !list.contains(&abs("w1")));
    }

    #[test]
    fn a_forgotten_workbook_leaves_the_list_and_the_order_of_the_others_stays() {
        let mut list = RecentList::new();
        for k in 0..3 {
            list.push(&abs(&format!("w{k}")));
        }
        assert!(list.remove(&abs("w1")));
        assert!(!list.remove(&abs("w1")), "already gone");
        assert!(!list.contains(&abs("w1")));
        assert_eq!(list.paths(), [abs("w2"), abs("w0")]);
    }

    #[test]
    fn damaged_or_odd_json_gives_an_empty_or_cleaned_list() {
        assert_eq!(RecentList::from_json("{ not json").paths().len(), 0);
        assert_eq!(RecentList::from_json("").paths().len(), 0);
        assert_eq!(RecentList::from_json("[1, 2, 3]").paths().len(), 0);
        let text = r#"{"version":1,"workbooks":["/x/a.tessera","relative.tessera","/x/a.tessera","/x/b.tessera"]}"#;
        let list = RecentList::from_json(text);
        assert_eq!(
            list.paths(),
            [PathBuf::from("/x/a.tessera"), PathBuf::from("/x/b.tessera")]
        );
    }

    #[test]
    fn saved_atomically_and_read_back_with_missing_files_marked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let present = dir.path().join("here.tessera");
        std::fs::write(&present, b"x").expect("write");
        let file = dir.path().join("config").join(RECENT_FILE);
        let mut list = RecentList::load(&file);
        assert!(list.paths().is_empty(), "no file yet: empty");
        list.push(&abs("gone"));
        list.push(&present);
        list.save(&file).expect("save");
        let leftovers: Vec<_> = std::fs::read_dir(file.parent().expect("dir"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            leftovers,
            [std::ffi::OsString::from(RECENT_FILE)],
            "no temporary file left"
        );
        let back = RecentList::load(&file);
        assert_eq!(back, list);
        let entries = back.entries();
        assert_eq!((entries[0].name.as_str(), entries[0].exists), ("here", true));
        assert_eq!((entries[1].name.as_str(), entries[1].exists), ("gone", false));
        std::fs::write(&file, b"\xff\xfe garbage").expect("damage");
        assert!(
            RecentList::load(&file).paths().is_empty(),
            "damaged file: empty list, no error"
        );
    }
}
