//! A throw-away certificate authority and server certificates for loopback HTTPS (the demo and
//! `plugfest reference serve`). Real runs use the vendor's CA through `[client] ca_bundle`.

/// A CA certificate and one server certificate it signed, all PEM.
#[derive(Clone)]
pub struct LoopbackPki {
    /// The CA certificate, to trust (`[client] ca_bundle`).
    pub ca_pem: String,
    /// Server certificate chain (leaf, then CA).
    pub cert_pem: String,
    /// Server private key.
    pub key_pem: String,
}

impl std::fmt::Debug for LoopbackPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoopbackPki { .. }")
    }
}

/// Generate a CA and a certificate for `127.0.0.1`, `::1` and `localhost`, valid for a day.
pub fn generate_loopback() -> Result<LoopbackPki, rcgen::Error> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let now = time::OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Plugfest loopback CA (throw-away)");
    ca_params.not_before = now - time::Duration::hours(1);
    ca_params.not_after = now + time::Duration::days(1);
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate()?;
    let mut leaf = CertificateParams::new(vec![
        "127.0.0.1".to_string(),
        "::1".to_string(),
        "localhost".to_string(),
    ])?;
    leaf.distinguished_name
        .push(DnType::CommonName, "Plugfest loopback server");
    leaf.not_before = now - time::Duration::hours(1);
    leaf.not_after = now + time::Duration::days(1);
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer)?;
    Ok(LoopbackPki {
        ca_pem: ca_cert.pem(),
        cert_pem: format!("{}{}", leaf_cert.pem(), ca_cert.pem()),
        key_pem: leaf_key.serialize_pem(),
    })
}
