//! Shared helpers: run the reference lab in-process and get the run record; find the shared
//! schema bundle.

use plugfest::app::{self, Finished};
use plugfest::cli::{CommonArgs, EvidenceMode};
use plugfest::lab;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh, empty folder under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Make it; `name` shows in the folder's name.
    pub fn new(name: &str) -> TempDir {
        TempDir(temp_dir(name))
    }
    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `cmd` (stdin closed) and collect its exit code, stdout and stderr; kill it and fail the
/// test after `timeout`.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> (Option<i32>, String, String) {
    use std::io::Read as _;
    let what = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let reader = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = reader(Box::new(child.stdout.take().expect("stdout")));
    let err = reader(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{what}: still running after {timeout:?}, killed\n--- stdout ---\n{}\n--- stderr ---\n{}",
                out.join().unwrap_or_default(),
                err.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    (
        status.code(),
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    )
}

/// A fresh, empty folder under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("plugfest-test-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Options as `plugfest demo --out DIR` would build them.
pub fn common(out: PathBuf, suites: &[&str]) -> CommonArgs {
    let schemas = shared_schemas();
    CommonArgs {
        suites: suites.iter().map(|s| s.to_string()).collect(),
        tags: None,
        out: Some(out),
        seed: None,
        evidence: EvidenceMode::Masked,
        features: None,
        bundle: None,
        signing_key: None,
        db: None,
        no_history: true,
        // Without the shared bundle (outside CI), package suites still run, XSD not assessed.
        allow_incomplete: schemas.is_none(),
        schemas,
        allow_writes: true,
    }
}

/// The official XSD bundle of `../shared/schemas/xsd` (or `$PLUGFEST_SHARED/schemas/xsd`).
/// Missing: a failure under `CI=true`, else a loud note and `None` (XSD checks not assessed).
pub fn shared_schemas() -> Option<PathBuf> {
    shared_bundle()
        .map_err(|dir| {
            eprintln!(
                "NOTE: the shared schema bundle is missing at {}; XSD checks will be not-assessed",
                dir.display()
            )
        })
        .ok()
}

/// `../shared/schemas/xsd` (or `$PLUGFEST_SHARED/schemas/xsd`) when it holds the bundle (its
/// `catalog.xml`). Missing: a failure under `CI=true`, else `Err` with where it was looked for.
pub fn shared_bundle() -> Result<PathBuf, PathBuf> {
    let shared = std::env::var_os("PLUGFEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    let dir = shared.join("schemas/xsd");
    if dir.join("catalog.xml").is_file() {
        return Ok(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true: the shared schema bundle is missing at {} (no catalog.xml)",
        dir.display()
    );
    Err(dir)
}

/// Start the reference for `suite` with `faults` and run the normal `run` path on its config.
pub async fn run_reference(suite: &str, faults: &[&str]) -> Finished {
    let dir = temp_dir(&suite.replace('/', "_"));
    let faults: Vec<String> = faults.iter().map(|f| f.to_string()).collect();
    let lab = lab::start(&dir.join("lab"), &[suite.to_string()], &faults)
        .await
        .expect("reference lab starts");
    let done = app::run_and_report(
        &lab.config_path,
        &common(dir.join("out"), &[suite]),
        plugfest::output::ProgressMode::Silent,
        None,
    )
    .await
    .expect("run starts");
    drop(lab);
    done
}
