//! Plugfest's user data folder, where it keeps what outlives a run: the signing key, the run
//! history, an installed schema bundle.

use std::path::PathBuf;

/// Environment variable naming the user data folder (overrides the XDG location).
pub const DATA_DIR_ENV: &str = "PLUGFEST_DATA_DIR";

/// `$PLUGFEST_DATA_DIR`, else `$XDG_DATA_HOME/plugfest`, else `$HOME/.local/share/plugfest`
/// (relative values are ignored); `None` when none is set.
pub fn data_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    var(DATA_DIR_ENV)
        .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("plugfest")))
        .or_else(|| var("HOME").map(|h| h.join(".local/share/plugfest")))
}
