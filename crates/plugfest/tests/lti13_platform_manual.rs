//! Manual launch mode of the `lti13-platform` suite against the reference platform: a launch
//! that never arrives is `error` ("not observed", with what to register and click), never a
//! pass; a launch a "person" makes while Plugfest waits is taken and judged.

#[allow(dead_code)]
mod support;

use plugfest::app;
use plugfest::output::ProgressMode;
use plugfest_core::Verdict;

/// The lab's config for lti13-platform in manual mode with `timeout` seconds.
async fn manual_lab(name: &str, timeout: u64) -> (std::path::PathBuf, String, plugfest::lab::Lab) {
    let dir = support::temp_dir(name);
    let lab_dir = dir.join("lab");
    let lab = plugfest::lab::start(&lab_dir, &["lti13-platform".to_string()], &[])
        .await
        .expect("reference lab starts");
    let text = lab
        .config_text
        .replace("mode = \"trigger\"", "mode = \"manual\"")
        .replace("timeout_secs = 30", &format!("timeout_secs = {timeout}"));
    assert!(
        text.contains("mode = \"manual\"") && text.contains(&format!("timeout_secs = {timeout}")),
        "the lab config changed shape:\n{text}"
    );
    let config = lab_dir.join("manual.toml");
    std::fs::write(&config, &text).expect("write config");
    (dir, text, lab)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_launch_that_never_arrives_is_an_error_with_the_instructions() {
    let (dir, _, _lab) = manual_lab("plat-manual-none", 1).await;
    let mut common = support::common(dir.join("out"), &["lti13-platform"]);
    common.tags = Some("@req:LTI13-PLAT-IDT-001 or @req:LTI13-PLAT-OIDC-004".into());
    let done = app::run_and_report(
        &dir.join("lab/manual.toml"),
        &common,
        ProgressMode::Silent,
        None,
    )
    .await
    .expect("run starts");
    let idt = done.record.result("LTI13-PLAT-IDT-001").expect("result");
    assert_eq!(idt.verdict, Verdict::Error, "{}", idt.message);
    assert!(
        idt.message.contains("not observed")
            && idt.message.contains("/lti13/tool/login")
            && idt.message.contains("/lti13/tool/jwks"),
        "the error says what to register: {}",
        idt.message
    );
    let crafted = done.record.result("LTI13-PLAT-OIDC-004").expect("result");
    assert_eq!(crafted.verdict, Verdict::NotAssessed, "{}", crafted.message);
    assert_eq!(done.record.exit_code(), 2, "an error exits 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_launch_made_by_a_person_while_plugfest_waits_is_judged() {
    let (dir, text, _lab) = manual_lab("plat-manual-person", 8).await;
    let config = plugfest_core::Config::parse(&dir.join("lab/manual.toml"), &text).expect("config");
    let role: plugfest_lti::lti13::as_tool::role::PlatformRole =
        config.role("lti13-platform").expect("role");
    let base = config
        .server
        .as_ref()
        .expect("server")
        .public_base_url
        .clone();
    let header = std::fs::read_to_string(dir.join("lab/trigger-token.txt")).expect("token");
    let ca = std::fs::read_to_string(
        config.resolve_path(config.client.ca_bundle.as_ref().expect("lab CA")),
    )
    .expect("CA");
    // The "person": a browser that opens the instructor link once Plugfest is waiting.
    let person = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let settings = plugfest_http::client::ClientSettings {
            timeout: std::time::Duration::from_secs(10),
            connect_timeout: std::time::Duration::from_secs(5),
            max_body_bytes: 1 << 20,
            ca_pem: Some(ca),
            proxy: None,
        };
        let browser = plugfest_http::RecordingClient::new(
            &settings,
            std::sync::Arc::new(plugfest_core::Redactor::new(false)),
        )
        .expect("browser");
        let ends = plugfest_lti::lti13::as_tool::user_agent::Endpoints {
            login_url: format!("{base}{}", plugfest_lti::lti13::tool_side::LOGIN_PATH),
            launch_url: format!("{base}{}", plugfest_lti::lti13::tool_side::LAUNCH_PATH),
            auth_url: role.auth_url.clone(),
        };
        let trigger = role
            .launch
            .triggers
            .instructor
            .clone()
            .expect("instructor trigger");
        let (_, result) = plugfest_lti::lti13::as_tool::user_agent::launch(
            &browser,
            &trigger,
            Some(("Authorization", header.trim())),
            &ends,
        )
        .await;
        result
    });
    let mut common = support::common(dir.join("out"), &["lti13-platform"]);
    common.tags = Some("@req:LTI13-PLAT-IDT-006".into());
    let done = app::run_and_report(
        &dir.join("lab/manual.toml"),
        &common,
        ProgressMode::Silent,
        None,
    )
    .await
    .expect("run starts");
    person
        .await
        .expect("person task")
        .expect("the person's launch went through");
    let r = done.record.result("LTI13-PLAT-IDT-006").expect("result");
    // The outline has four launches; only the instructor's was made, the others time out.
    assert_eq!(r.verdict, Verdict::Error, "{}", r.message);
    let run_json = std::fs::read_to_string(dir.join("out/run.json")).expect("run.json");
    assert!(
        run_json.contains("received in manual mode") && run_json.contains("nonce is `"),
        "the instructor's launch was taken and its nonce judged against the one Plugfest sent"
    );
}
