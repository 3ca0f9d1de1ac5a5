//! Evidence that holds up: `--bundle` on `run`/`demo`, `plugfest verify` and `plugfest attest`.
//!
//! The logic lives in `plugfest_report::{bundle, signing, attest}`; this module finds the signing
//! key, prints what a person needs (the public key to publish, what is wrong with a bundle) and
//! maps outcomes to exit codes.

use crate::app::Finished;
use crate::cli::CommonArgs;
use clap::Args;
use plugfest_core::{RunRecord, Verdict};
use plugfest_report::attest::{self, Attached, Attestation, FileCheck};
use plugfest_report::bundle::{self, Limits};
use plugfest_report::signing::{PublicKey, SigningKey};
use std::path::{Path, PathBuf};

pub use plugfest_core::data_dir::{DATA_DIR_ENV, data_dir};
/// File name of the default signing key inside the data folder.
pub const KEY_FILE: &str = "signing-key.pk8";

/// `plugfest verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The bundle (FILE.zip), or an attestation file (RUN.attest-ID.json).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The public key the signer published: base64 of its 32 raw bytes, or a file holding that.
    #[arg(long, value_name = "PUBKEY")]
    pub key: Option<String>,
    /// Without --key, accept whatever key the bundle names (integrity only; prints its fingerprint).
    #[arg(long)]
    pub accept_embedded_key: bool,
}

/// `plugfest attest`.
#[derive(Debug, Args)]
pub struct AttestArgs {
    /// The run record (run.json) the judgement is about.
    #[arg(value_name = "RUN.json")]
    pub run: PathBuf,
    /// Requirement ID, e.g. LTI13-TOOL-UI-001.
    #[arg(long = "req", value_name = "ID")]
    pub req: String,
    /// Who judged (name, role or organisation).
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// What they looked at (a screenshot, a document); its SHA-256 is recorded.
    #[arg(long, value_name = "FILE")]
    pub evidence: PathBuf,
    /// Their judgement, in their words.
    #[arg(long, value_name = "TEXT")]
    pub note: String,
    /// Their verdict: pass (the requirement is met) or fail.
    #[arg(long, value_name = "VERDICT", default_value = "pass", value_parser = attest::VERDICTS)]
    pub verdict: String,
    /// Ed25519 private key (PKCS#8 PEM) to sign with. Default: the user data directory's key.
    #[arg(long, value_name = "PEM")]
    pub signing_key: Option<PathBuf>,
}

/// The key at `path`, or the data folder's key (generated and saved on first use, its public
/// half printed so it can be published).
pub fn signing_key(path: Option<&Path>) -> Result<SigningKey, String> {
    if let Some(path) = path {
        return SigningKey::load(path).map_err(|e| format!("--signing-key: {e}"));
    }
    let dir = data_dir().ok_or_else(|| {
        format!("no user data folder (set {DATA_DIR_ENV} or HOME), and no --signing-key given")
    })?;
    let path = dir.join(KEY_FILE);
    let (key, generated) =
        SigningKey::load_or_generate(&path).map_err(|e| format!("signing key: {e}"))?;
    if generated {
        let public = key.public_key();
        println!(
            "Generated a signing key and saved it to {} (keep that file private; it is reused from now on).",
            path.display()
        );
        println!(
            "Publish its public half so others can check what you sign: public key {} (fingerprint {}).",
            public.to_base64(),
            public.fingerprint()
        );
    }
    Ok(key)
}

/// After a run: write the signed bundle if `--bundle` was given. Returns the SHA-256 of the
/// zip written (`None` when no bundle was asked for).
pub fn write_if_asked(common: &CommonArgs, done: &Finished) -> Result<Option<String>, String> {
    let Some(path) = &common.bundle else {
        return Ok(None);
    };
    let key = match (&common.signing_key, &done.signing_key) {
        (None, Some(pem)) => SigningKey::from_pem(pem.expose())
            .map_err(|e| format!("the config's [signing] key: {e}"))?,
        (path, _) => signing_key(path.as_deref())?,
    };
    let (manifest, digest) = bundle::write(path, &done.record, &done.reports, &key)
        .map_err(|e| format!("writing the bundle {}: {e}", path.display()))?;
    println!(
        "Evidence bundle: {} ({} files, signed by {}; public key {})",
        path.display(),
        manifest.files.len(),
        manifest.signer.fingerprint,
        manifest.signer.public_key
    );
    println!(
        "  check it with: plugfest verify {} --key {}",
        path.display(),
        manifest.signer.public_key
    );
    Ok(Some(digest))
}

/// `--key`: base64, or a (small) file holding it.
fn parse_key(arg: &str) -> Result<PublicKey, String> {
    let path = Path::new(arg);
    if path.is_file() {
        let meta = std::fs::metadata(path).map_err(|e| format!("--key {arg}: {e}"))?;
        if meta.len() > 4096 {
            return Err(format!(
                "--key {arg}: a public key file is a line of base64, this one is {} bytes",
                meta.len()
            ));
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("--key {arg}: {e}"))?;
        return PublicKey::from_base64(&text).map_err(|e| format!("--key {arg}: {e}"));
    }
    PublicKey::from_base64(arg).map_err(|e| format!("--key: {e} (and no file of that name)"))
}

/// `plugfest verify`: 0 valid, 1 invalid, 2 unreadable or signer not vouched for.
pub fn verify(args: &VerifyArgs) -> u8 {
    let expected = match args.key.as_deref().map(parse_key).transpose() {
        Ok(k) => k,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    if args.file.extension().is_some_and(|e| e == "json") {
        return verify_attestation(&args.file, expected.as_ref(), args.accept_embedded_key);
    }
    let v = match bundle::verify(&args.file, expected.as_ref(), Limits::default()) {
        Ok(v) => v,
        Err(e) if e.is_invalid() => {
            println!("INVALID: {}: {e}", args.file.display());
            return 1;
        }
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.file.display());
            return 2;
        }
    };
    println!("Bundle: {}", args.file.display());
    if let Some(m) = &v.manifest {
        println!(
            "Product: {} {} ({}), bundled {} by Plugfest {} ({})",
            m.product.name,
            m.product.version,
            m.product.vendor,
            m.created,
            m.plugfest.version,
            m.plugfest.commit
        );
        println!("Files listed: {}", m.files.len());
    }
    if let Some(signer) = &v.signer {
        println!(
            "Signer: fingerprint {} (public key {})",
            signer.fingerprint(),
            signer.to_base64()
        );
    }
    if !v.is_valid() {
        println!("INVALID: {} problem(s):", v.problems.len());
        for p in &v.problems {
            println!("  - {p}");
        }
        return 1;
    }
    trust_verdict(
        "every file matches the manifest and the signature holds",
        v.signer.as_ref(),
        v.key_checked,
        args.accept_embedded_key,
    )
}

/// The end of a successful integrity check: whose key signed it decides 0 or 2.
fn trust_verdict(what: &str, signer: Option<&PublicKey>, key_checked: bool, accept: bool) -> u8 {
    let fp = signer.map(PublicKey::fingerprint).unwrap_or_default();
    if key_checked {
        println!("VALID: {what}, and it was signed by the key you gave ({fp}).");
        0
    } else if accept {
        println!(
            "VALID (integrity only): {what}; signed by {fp}, accepted without --key (--accept-embedded-key)."
        );
        0
    } else {
        println!(
            "NOT VERIFIED: {what}, but it was signed by {fp} and no --key says whose key that is.\n\
             Compare {fp} with the fingerprint the signer published, then run again with \
             --key PUBKEY (or --accept-embedded-key)."
        );
        2
    }
}

fn verify_attestation(path: &Path, expected: Option<&PublicKey>, accept: bool) -> u8 {
    let text = match std::fs::metadata(path).and_then(|m| {
        if m.len() > 1 << 20 {
            Err(std::io::Error::other("larger than 1 MiB"))
        } else {
            std::fs::read_to_string(path)
        }
    }) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return 2;
        }
    };
    let a = match attest::verify(&text, expected) {
        Ok(a) => a,
        Err(e) => {
            println!("INVALID: {}: {e}", path.display());
            return 1;
        }
    };
    println!("Attestation: {}", path.display());
    println!("{} by {} at {}: {}", a.requirement, a.by, a.at, a.note);
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    for (what, att) in [("run record", &a.run), ("evidence", &a.evidence)] {
        match att.check_in(dir) {
            FileCheck::Matches => println!("{what} {}: matches", att.file),
            FileCheck::Changed => problems.push(format!(
                "{what} {} was changed since it was attested",
                att.file
            )),
            FileCheck::Missing => println!(
                "{what} {}: not next to the attestation, not checked",
                att.file
            ),
        }
    }
    if !problems.is_empty() {
        println!("INVALID:");
        for p in &problems {
            println!("  - {p}");
        }
        return 1;
    }
    let signer = PublicKey::from_base64(&a.signer_public_key).ok();
    trust_verdict(
        "the attestation's signature holds",
        signer.as_ref(),
        expected.is_some(),
        accept,
    )
}

/// `plugfest attest`: writes `<RUN>.attest-<ID>.json` next to RUN.json; 0 done, 2 bad input.
pub fn attest(args: &AttestArgs) -> u8 {
    match attest_inner(args) {
        Ok(path) => {
            println!("Attestation written to {}", path.display());
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn attest_inner(args: &AttestArgs) -> Result<PathBuf, String> {
    if !attest::is_requirement_id(&args.req) {
        return Err(format!(
            "--req `{}` is not a requirement ID (like LTI13-TOOL-SEC-007)",
            args.req
        ));
    }
    if args.by.trim().is_empty() || args.note.trim().is_empty() {
        return Err("--by and --note must not be empty".into());
    }
    let run_bytes = std::fs::read(&args.run).map_err(|e| format!("{}: {e}", args.run.display()))?;
    let record: RunRecord = serde_json::from_slice(&run_bytes)
        .map_err(|e| format!("{} is not a run record: {e}", args.run.display()))?;
    let result = record
        .result(&args.req)
        .ok_or_else(|| format!("{} has no requirement {}", args.run.display(), args.req))?;
    if result.verdict != Verdict::Manual {
        println!(
            "Note: {} is `{}` in this run, not `manual`; recording the attestation anyway.",
            args.req, result.verdict
        );
    }
    let evidence = std::fs::read(&args.evidence)
        .map_err(|e| format!("--evidence {}: {e}", args.evidence.display()))?;
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let key = signing_key(args.signing_key.as_deref())?;
    let at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| e.to_string())?;
    let text = Attestation {
        format: attest::FORMAT.into(),
        run: Attached::of(&name(&args.run), &run_bytes),
        requirement: args.req.clone(),
        verdict_in_run: result.verdict.to_string(),
        by: args.by.clone(),
        at,
        verdict: args.verdict.clone(),
        note: args.note.clone(),
        evidence: Attached::of(&name(&args.evidence), &evidence),
        signer_public_key: String::new(),
        signer_fingerprint: String::new(),
    }
    .sign(&key);
    let stem = args
        .run
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    let out = args
        .run
        .with_file_name(format!("{stem}.attest-{}.json", args.req));
    std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    let public = key.public_key();
    println!(
        "Signed by {} (public key {})",
        public.fingerprint(),
        public.to_base64()
    );
    match crate::attested::rerender(&args.run) {
        Ok(written) if !written.is_empty() => {
            let names: Vec<_> = written.iter().map(|p| p.display().to_string()).collect();
            println!("Reports updated with the attestation: {}", names.join(", "));
        }
        Ok(_) => {}
        Err(message) => eprintln!("warning: reports not updated: {message}"),
    }
    Ok(out)
}
