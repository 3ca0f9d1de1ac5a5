//! The reference lab: starts reference roles on loopback HTTPS and writes the config a user
//! would write for them (used by `plugfest demo` and `plugfest reference serve`).

use plugfest_http::pki::{self, LoopbackPki};
use plugfest_reference::oneroster;
use plugfest_reference::{
    lti11_consumer, lti11_tool, lti13_platform, lti13_tool, packages_exporter, packages_importer,
};
use std::path::{Path, PathBuf};

/// Roles the lab can start (suite names).
pub const ROLES: &[&str] = &[
    "lti13-tool",
    "lti13-platform",
    "lti11-tool",
    "lti11-consumer",
    "packages-exporter",
    "packages-importer",
    "oneroster11-provider",
    "oneroster12-provider",
];

/// Running reference roles and the config that assesses them.
pub struct Lab {
    /// The written config file.
    pub config_path: PathBuf,
    /// Its text.
    pub config_text: String,
    _tool: Option<lti13_tool::Running>,
    _lti13_platform: Option<lti13_platform::Running>,
    _lti11_tool: Option<lti11_tool::Running>,
    _lti11_consumer: Option<lti11_consumer::Running>,
    _exporter: Option<packages_exporter::Running>,
    _importer: Option<packages_importer::Running>,
    _oneroster: Vec<oneroster::Running>,
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
    start_sized(dir, roles, faults, oneroster::DistrictSize::default()).await
}

/// [`start`], with the size of the OneRoster providers' synthetic district.
pub async fn start_sized(
    dir: &Path,
    roles: &[String],
    faults: &[String],
    district: oneroster::DistrictSize,
) -> Result<Lab, LabError> {
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
    let mut lti13_platform = None;
    if on("lti13-platform") {
        let (running, table) = start_lti13_platform(dir, &pki, &platform, faults).await?;
        text.push_str(&table);
        lti13_platform = Some(running);
    }
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
    let mut oneroster_running = Vec::new();
    for version in [oneroster::Version::V1p1, oneroster::Version::V1p2] {
        if on(version.role()) {
            let (running, table) = start_oneroster(dir, &pki, version, district, faults).await?;
            text.push_str(&table);
            oneroster_running.push(running);
        }
    }
    let config_path = dir.join("plugfest.toml");
    write(dir, "plugfest.toml", &text)?;
    Ok(Lab {
        config_path,
        config_text: text,
        _tool: tool,
        _lti13_platform: lti13_platform,
        _lti11_tool: lti11,
        _lti11_consumer: consumer,
        _exporter: exporter,
        _importer: importer,
        _oneroster: oneroster_running,
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
        platform_token_url: Some(format!(
            "{platform}{}",
            plugfest_lti::lti13::platform_services::TOKEN_PATH
        )),
        faults: faults_of("lti13-tool", faults),
    };
    let running = lti13_tool::start(settings)
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
    let table = format!(
        "\n[roles.lti13-tool]\n\
         login_initiation_url = \"{}\"\nlaunch_urls = [\"{}\"]\ntarget_link_uri = \"{}\"\n\
         tool_jwks_url = \"{}\"\nclient_id = \"{client_id}\"\ndeployment_id = \"{deployment_id}\"\n\
         issuer = \"{platform}\"\nplatform_key = \"platform-key.pem\"\n\
         services = [\"ags\", \"nrps\", \"deep-linking\"]\n\
         advantage_hook_url = \"{}\"\ndeep_linking_url = \"{}\"\n",
        running.login_url,
        running.launch_url,
        running.target_link_uri,
        running.jwks_url,
        running.advantage_hook_url,
        running.deep_linking_url
    );
    Ok((running, table))
}

/// Start the reference LTI 1.3 platform with Plugfest registered as its tool: Plugfest's tool
/// URLs on its callback server (`public_base`, the paths of `plugfest_lti::lti13::tool_side`),
/// and the launch trigger behind a bearer token written beside the config.
async fn start_lti13_platform(
    dir: &Path,
    pki: &LoopbackPki,
    public_base: &str,
    faults: &[String],
) -> Result<(lti13_platform::Running, String), LabError> {
    use plugfest_lti::lti13::tool_side::{JWKS_PATH, LAUNCH_PATH, LOGIN_PATH};
    let client_id = "plugfest-tool";
    let deployment_id = "deployment-1";
    let token = new_secret(dir, "trigger-token.txt")?;
    // The header value the harness sends is the file's text: the whole `Bearer …` credential.
    write(dir, "trigger-token.txt", &format!("Bearer {token}"))?;
    let launch_url = format!("{public_base}{LAUNCH_PATH}");
    let settings = lti13_platform::Settings {
        bind: "127.0.0.1:0".parse().expect("literal address"),
        cert_pem: pki.cert_pem.clone(),
        key_pem: pki.key_pem.clone(),
        ca_pem: Some(pki.ca_pem.clone()),
        client_id: client_id.into(),
        deployment_id: deployment_id.into(),
        tool_login_url: format!("{public_base}{LOGIN_PATH}"),
        tool_redirect_uris: vec![launch_url.clone()],
        tool_jwks_url: format!("{public_base}{JWKS_PATH}"),
        tool_target_link_uri: launch_url,
        trigger_token: token,
        faults: faults_of("lti13-platform", faults),
    };
    let running = lti13_platform::start(settings)
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
    let trigger = |kind: &str| format!("{}?launch={kind}", running.trigger_url);
    let table = format!(
        "\n[roles.lti13-platform]\n\
         issuer = \"{}\"\nclient_id = \"{client_id}\"\ndeployment_id = \"{deployment_id}\"\n\
         auth_url = \"{}\"\ntoken_url = \"{}\"\njwks_url = \"{}\"\n\
         tool_key = \"tool-key.pem\"\nsandbox_context = \"{}\"\n\
         services = [\"ags\", \"nrps\", \"deep-linking\"]\n\
         \n[roles.lti13-platform.launch]\nmode = \"trigger\"\ntimeout_secs = 30\n\
         header = {{ name = \"Authorization\", value = {{ file = \"trigger-token.txt\" }} }}\n\
         \n[roles.lti13-platform.launch.triggers]\n\
         instructor = \"{}\"\nstudent = \"{}\"\ninstructor_anonymous = \"{}\"\n\
         student_anonymous = \"{}\"\ndeep_linking = \"{}\"\nsecond_context = \"{}\"\n",
        running.issuer,
        running.auth_url,
        running.token_url,
        running.jwks_url,
        running.sandbox_context,
        trigger("instructor"),
        trigger("student"),
        trigger("instructor_anonymous"),
        trigger("student_anonymous"),
        trigger("deep_linking"),
        trigger("second_context"),
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

/// Start a reference OneRoster provider of `version` over a `district` and write its config
/// table (the contract's `[roles.oneroster1Xprovider]`).
async fn start_oneroster(
    dir: &Path,
    pki: &LoopbackPki,
    version: oneroster::Version,
    district: oneroster::DistrictSize,
    faults: &[String],
) -> Result<(oneroster::Running, String), LabError> {
    let role = version.role();
    let secret_file = match version {
        oneroster::Version::V1p1 => "oneroster11-secret.txt",
        oneroster::Version::V1p2 => "oneroster12-secret.txt",
    };
    let client_id = "plugfest";
    let settings = oneroster::Settings {
        bind: "127.0.0.1:0".parse().expect("literal address"),
        cert_pem: pki.cert_pem.clone(),
        key_pem: pki.key_pem.clone(),
        version,
        district,
        client_id: client_id.into(),
        client_secret: new_secret(dir, secret_file)?,
        faults: faults_of(role, faults),
    };
    let running = oneroster::start(settings)
        .await
        .map_err(|e| LabError::Setup(e.to_string()))?;
    let credentials = match version {
        oneroster::Version::V1p1 => format!(
            "consumer_key = \"{client_id}\"\nconsumer_secret = {{ file = \"{secret_file}\" }}\n\
             signature_method = \"HMAC-SHA256\"\n"
        ),
        oneroster::Version::V1p2 => format!(
            "token_url = \"{}\"\nclient_id = \"{client_id}\"\n\
             client_secret = {{ file = \"{secret_file}\" }}\n",
            running.token_url
        ),
    };
    let table = format!(
        "\n[roles.{role}]\nbase_url = \"{}\"\n{credentials}\
         services = [\"rostering\", \"gradebook\", \"resources\"]\nsandbox_class = \"{}\"\n\
         page_size = 100\nmax_requests_per_second = 50\nmax_concurrency = 4\n",
        running.root_url, running.sandbox_class
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
