//! Serving an axum [`Router`] over HTTPS on loopback (or any address) from PEM strings.
//!
//! Main types: [`serve`] and the [`HttpsServer`] it returns. The listener is bound before
//! [`serve`] returns, so the server is reachable as soon as the caller has its address;
//! dropping (or [`HttpsServer::shutdown`]) stops accepting, closes the listener and ends the
//! connection tasks, so many servers can run one after another in one process.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// How long a client may take to send its first request on a new connection.
const FIRST_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Why an HTTPS server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// The certificate PEM holds no certificate, or one that does not parse.
    #[error("server certificate PEM: {0}")]
    Certificate(String),
    /// The private key PEM holds no key, or one that does not parse.
    #[error("server private key PEM: {0}")]
    PrivateKey(String),
    /// rustls refused the certificate and key together (e.g. they do not match).
    #[error("TLS server configuration: {0}")]
    Config(#[from] rustls::Error),
    /// Binding or configuring the listening socket failed.
    #[error("listening on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// Install aws-lc-rs as the process-wide rustls crypto provider, unless one is installed
/// already (which is fine: whichever came first stays).
pub fn install_crypto_provider() {
    // Err means a provider is already installed; either way one is now.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// A running HTTPS server; stops when dropped.
#[derive(Debug)]
pub struct HttpsServer {
    local_addr: SocketAddr,
    handle: Handle<SocketAddr>,
    task: tokio::task::JoinHandle<()>,
}

impl HttpsServer {
    /// The address the server listens on (with the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stop the server now: no new connections, open ones closed, the port freed.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for HttpsServer {
    fn drop(&mut self) {
        self.handle.shutdown();
        // Aborting the accept loop drops the listener even if the shutdown signal was sent
        // before the loop started waiting for it.
        self.task.abort();
    }
}

/// Serve `router` over HTTPS on `bind`, with the certificate chain and private key given as
/// PEM. Must be called inside a tokio runtime; the server runs on it as spawned tasks.
pub async fn serve(
    bind: SocketAddr,
    cert_pem: &str,
    key_pem: &str,
    router: Router,
) -> Result<HttpsServer, TlsError> {
    serve_with(bind, cert_pem, key_pem, |_| router).await
}

/// Like [`serve`], for a router that needs to know the bound address (e.g. to build its own
/// URLs when `bind` asks for port 0).
pub async fn serve_with(
    bind: SocketAddr,
    cert_pem: &str,
    key_pem: &str,
    make_router: impl FnOnce(SocketAddr) -> Router,
) -> Result<HttpsServer, TlsError> {
    install_crypto_provider();
    let config = server_config(cert_pem, key_pem)?;

    let bind_error = |source| TlsError::Bind { addr: bind, source };
    let listener = listen(bind).map_err(bind_error)?;
    let local_addr = listener.local_addr().map_err(bind_error)?;
    let server = axum_server::tls_rustls::from_tcp_rustls(listener, config).map_err(bind_error)?;

    let router = make_router(local_addr);
    let handle = Handle::new();
    let server = server
        .handle(handle.clone())
        .first_request_timeout(FIRST_REQUEST_TIMEOUT);
    let task = tokio::spawn(async move {
        // An accept-loop error ends this server only; there is nobody to report it to but the
        // clients, who see the connection refused.
        let _ = server.serve(router.into_make_service()).await;
    });
    Ok(HttpsServer {
        local_addr,
        handle,
        task,
    })
}

/// A listening socket with `SO_REUSEADDR`, so a stopped server's port can be bound again
/// at once (its closed connections may linger in TIME_WAIT).
fn listen(bind: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let socket = if bind.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(bind)?;
    socket.listen(1024)?.into_std()
}

fn server_config(cert_pem: &str, key_pem: &str) -> Result<RustlsConfig, TlsError> {
    let certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::Certificate(e.to_string()))?;
    if certs.is_empty() {
        return Err(TlsError::Certificate("no CERTIFICATE block".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| TlsError::PrivateKey(e.to_string()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(RustlsConfig::from_config(Arc::new(config)))
}
