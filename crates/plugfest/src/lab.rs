//! The reference lab: starts reference roles on loopback HTTPS and writes the config a user
//! would write for them (used by `plugfest demo` and `plugfest reference serve`).

use plugfest_http::pki::{self, LoopbackPki};
use plugfest_reference::{
    lti11_consumer, lti11_tool, lti13_tool, packages_exporter, packages_importer,
};
use std::path::{Path, PathBuf};

/// Roles the lab can start (suite names).
pub const ROLES: &[&str] = &[
    "lti13-tool",
    "lti11-tool",
    "lti11-consumer",
    "packages-exporter",
    "packages-importer",
];

/// Running reference roles and the config that assesses them.
pub struct Lab {
    /// The written config file.
    pub config_path: PathBuf,
    /// Its text.
    pub config_text: String,
    _tool: Option<lti13_tool::Running>,
    _lti11_tool: Option<lti11_tool::Running>,
    _lti11_consumer: Option<lti11_consumer::Running>,
    _exporter: Option<packages_exporter::Running>,
    _importer: Option<packages_importer::Running>,
}

/// Why the lab could not start.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// A role or fault name is unknown.
    #[error("{0}")]
    Unknown(String),
    /// Certificates, files or servers.
    #[error("reference lab: {0}")]
    Setup(String),
}

/// Start `roles` (every role when empty) with `faults`, writing config, CA and keys into `dir`.
pub async fn start(dir: &Path, roles: &[String], faults: &[String]) -> Result<Lab, LabError> {
    let roles: Vec<String> = if roles.is_empty() {
        ROLES.iter().map(|s| s.to_string()).collect()
    } else {
        roles.to_vec()
    };
    for r in &roles {
        if !ROLES.contains(&r.as_str()) {
            return Err(LabError::Unknown(format!(
                "the reference has no role `{r}` (roles: {})",
                ROLES.join(", ")
            )));
        }
    }
    for f in faults {
        let known = plugfest_reference::faults::find(f).is_some();
        let role_on = roles.iter().any(|r| f.starts_with(&format!("{r}/")));
        if !known || !role_on {
            return Err(LabError::Unknown(format!(
                "`{f}` is not a fault of the roles started ({}); `plugfest reference faults` lists them",
                roles.join(", ")
            )));
        }
    }
    let setup = |e: &dyn std::fmt::Display| LabError::Setup(e.to_string());
    std::fs::create_dir_all(dir).map_err(|e| setup(&format!("{}: {e}", dir.display())))?;
    let pki = pki::generate_loopback().map_err(|e| setup(&e))?;
    write(dir, "ca.pem", &pki.ca_pem)?;
    write(dir, "server.pem", &pki.cert_pem)?;
    write(dir, "server-key.pem", &pki.key_pem)?;
    let port = free_port().map_err(|e| setup(&e))?;
    let platform = format!("https://127.0.0.1:{port}");

    let mut text = format!(
        "# Written by Plugfest for its built-in reference vendor on loopback.\n\
         # Certificates and keys beside this file are throw-away.\n\n\
         [product]\nname = \"Plugfest reference vendor\"\nvendor = \"Plugfest\"\nversion = \"{}\"\n\n\
         [client]\nca_bundle = \"ca.pem\"\ntimeout_secs = 10\n\n\
         [server]\nbind = \"127.0.0.1:{port}\"\npublic_base_url = \"{platform}\"\n\n\
         [server.tls]\ncert = \"server.pem\"\nkey = {{ file = \"server-key.pem\" }}\n",
        env!("CARGO_PKG_VERSION")
    );
    let mut tool = None;
    if roles.iter().any(|r| r == "lti13-tool") {
        let (running, table) = start_lti13_tool(&pki, &platform, faults).await?;
        text.push_str(&table);
        tool = Some(running);
    }
    let on = |role: &str| roles.iter().any(|r| r == role);
    let mut lti11 = None;
    if on("lti11-tool") {
        let (running, table) = start_lti11_tool(dir, &pki, faults).await?;
        text.push_str(&table);
        lti11 = Some(running);
    }
    let mut consumer = None;
    if on("lti11-consumer") {
        let (running, table) = start_lti11_consumer(dir, &pki, &platform, faults).await?;
        text.push_str(&table);
        consumer = Some(running);
    }
    let mut exporter = None;
    if on("packages-exporter") {
        let token = new_secret(dir, "exporter-token.txt")?;
        let running = packages_exporter::start(packages_exporter::Settings {
            bind: "127.0.0.1:0".parse().expect("literal address"),
            cert_pem: pki.cert_pem.clone(),
            key_pem: pki.key_pem.clone(),
            token,
            faults: faults_of("packages-exporter", faults),
        })
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
        text.push_str(&format!(
            "\n[roles.packages-exporter]\nqti_export_url = \"{}\"\ncc_export_url = \"{}\"\n\
             token = {{ file = \"exporter-token.txt\" }}\n",
            running.qti_export_url, running.cc_export_url
        ));
        exporter = Some(running);
    }
    let mut importer = None;
    if on("packages-importer") {
        let token = new_secret(dir, "importer-token.txt")?;
        let running = packages_importer::start(packages_importer::Settings {
            bind: "127.0.0.1:0".parse().expect("literal address"),
            cert_pem: pki.cert_pem.clone(),
            key_pem: pki.key_pem.clone(),
            token,
            faults: faults_of("packages-importer", faults),
        })
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
        text.push_str(&format!(
            "\n[roles.packages-importer]\nimport_url = \"{}\"\n\
             token = {{ file = \"importer-token.txt\" }}\nsandbox = \"the reference importer (all of it)\"\n",
            running.import_url
        ));
        importer = Some(running);
    }
    let config_path = dir.join("plugfest.toml");
    write(dir, "plugfest.toml", &text)?;
    Ok(Lab {
        config_path,
        config_text: text,
        _tool: tool,
        _lti11_tool: lti11,
        _lti11_consumer: consumer,
        _exporter: exporter,
        _importer: importer,
    })
}

async fn start_lti13_tool(
    pki: &LoopbackPki,
    platform: &str,
    faults: &[String],
) -> Result<(lti13_tool::Running, String), LabError> {
    let client_id = "plugfest-reference-client";
    let deployment_id = "plugfest-reference-deployment";
    let settings = lti13_tool::Settings {
        bind: "127.0.0.1:0".parse().expect("literal address"),
        cert_pem: pki.cert_pem.clone(),
        key_pem: pki.key_pem.clone(),
        ca_pem: Some(pki.ca_pem.clone()),
        platform_issuer: platform.to_string(),
        platform_jwks_url: format!("{platform}{}", plugfest_lti::lti13::platform::JWKS_PATH),
        platform_auth_url: format!("{platform}{}", plugfest_lti::lti13::platform::AUTH_PATH),
        client_id: client_id.into(),
        deployment_id: deployment_id.into(),
        faults: faults_of("lti13-tool", faults),
    };
    let running = lti13_tool::start(settings)
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
    let table = format!(
        "\n[roles.lti13-tool]\n\
         login_initiation_url = \"{}\"\nlaunch_urls = [\"{}\"]\ntarget_link_uri = \"{}\"\n\
         tool_jwks_url = \"{}\"\nclient_id = \"{client_id}\"\ndeployment_id = \"{deployment_id}\"\n\
         issuer = \"{platform}\"\nplatform_key = \"platform-key.pem\"\n",
        running.login_url, running.launch_url, running.target_link_uri, running.jwks_url
    );
    Ok((running, table))
}

/// The faults of `role` among `faults`.
fn faults_of(role: &str, faults: &[String]) -> Vec<String> {
    faults
        .iter()
        .filter(|f| f.starts_with(&format!("{role}/")))
        .cloned()
        .collect()
}

/// A fresh shared secret, written beside the config (the config names the file).
fn new_secret(dir: &Path, file: &str) -> Result<String, LabError> {
    // 256 bits from the OS random source, as hex.
    let secret = plugfest_core::Seed::from_os().to_hex();
    write(dir, file, &secret)?;
    Ok(secret)
}

async fn start_lti11_tool(
    dir: &Path,
    pki: &LoopbackPki,
    faults: &[String],
) -> Result<(lti11_tool::Running, String), LabError> {
    let consumer_key = "plugfest-reference-consumer";
    let settings = lti11_tool::Settings {
        bind: "127.0.0.1:0".parse().expect("literal address"),
        cert_pem: pki.cert_pem.clone(),
        key_pem: pki.key_pem.clone(),
        ca_pem: Some(pki.ca_pem.clone()),
        consumer_key: consumer_key.into(),
        consumer_secret: new_secret(dir, "lti11-tool-secret.txt")?,
        faults: faults_of("lti11-tool", faults),
    };
    let running = lti11_tool::start(settings)
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
    let table = format!(
        "\n[roles.lti11-tool]\nlaunch_url = \"{}\"\nconsumer_key = \"{consumer_key}\"\n\
         consumer_secret = {{ file = \"lti11-tool-secret.txt\" }}\noutcomes_hook_url = \"{}\"\n",
        running.launch_url, running.hook_url
    );
    Ok((running, table))
}

async fn start_lti11_consumer(
    dir: &Path,
    pki: &LoopbackPki,
    platform: &str,
    faults: &[String],
) -> Result<(lti11_consumer::Running, String), LabError> {
    let consumer_key = "plugfest-reference-lms";
    let settings = lti11_consumer::Settings {
        bind: "127.0.0.1:0".parse().expect("literal address"),
        cert_pem: pki.cert_pem.clone(),
        key_pem: pki.key_pem.clone(),
        consumer_key: consumer_key.into(),
        consumer_secret: new_secret(dir, "lti11-consumer-secret.txt")?,
        tool_launch_url: format!(
            "{platform}{}",
            plugfest_lti::lti11::service::TOOL_LAUNCH_PATH
        ),
        faults: faults_of("lti11-consumer", faults),
    };
    let running = lti11_consumer::start(settings)
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
    let table = format!(
        "\n[roles.lti11-consumer]\nlearner_launch_form_url = \"{}\"\ninstructor_launch_form_url = \"{}\"\n\
         consumer_key = \"{consumer_key}\"\nconsumer_secret = {{ file = \"lti11-consumer-secret.txt\" }}\n",
        running.launch_form_url_learner, running.launch_form_url_instructor
    );
    Ok((running, table))
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), LabError> {
    let p = dir.join(name);
    std::fs::write(&p, text).map_err(|e| LabError::Setup(format!("{}: {e}", p.display())))
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
