//! Plugfest's callback server: serves a suite's router (e.g. the platform JWKS) over HTTPS, or
//! plain HTTP on loopback only (DESIGN §7 "TLS like a real client").

use std::net::SocketAddr;

/// Why the callback server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The bind address is not `host:port`.
    #[error("[server] bind `{0}` is not an address like 127.0.0.1:8443")]
    BadAddress(String),
    /// Plain HTTP was asked for on a non-loopback address.
    #[error("[server] bind `{0}`: plain HTTP is allowed on loopback only; add [server.tls]")]
    PlainHttpOffLoopback(String),
    /// Binding or the TLS material failed.
    #[error("[server] {0}")]
    Io(String),
}

/// A running callback server; stops when dropped.
pub struct CallbackServer {
    /// The address it listens on.
    pub local_addr: SocketAddr,
    /// True when it speaks HTTPS.
    pub tls: bool,
    handle: axum_server::Handle<SocketAddr>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl CallbackServer {
    /// Bind `bind` and serve `router`; with `tls` = (cert chain PEM, key PEM) over HTTPS.
    pub async fn start(
        bind: &str,
        tls: Option<(String, String)>,
        router: axum::Router,
    ) -> Result<CallbackServer, ServerError> {
        let addr: SocketAddr = bind
            .parse()
            .map_err(|_| ServerError::BadAddress(bind.to_string()))?;
        if tls.is_none() && !addr.ip().is_loopback() {
            return Err(ServerError::PlainHttpOffLoopback(bind.to_string()));
        }
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|e| ServerError::Io(format!("cannot listen on {addr}: {e}")))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| ServerError::Io(e.to_string()))?;
        let local_addr = listener
            .local_addr()
            .map_err(|e| ServerError::Io(e.to_string()))?;
        let handle = axum_server::Handle::new();
        let service = router.into_make_service();
        let is_tls = tls.is_some();
        let task = match tls {
            Some((cert, key)) => {
                install_crypto_provider();
                let config = axum_server::tls_rustls::RustlsConfig::from_pem(
                    cert.into_bytes(),
                    key.into_bytes(),
                )
                .await
                .map_err(|e| ServerError::Io(format!("TLS certificate or key: {e}")))?;
                let server = axum_server::from_tcp_rustls(listener, config)
                    .map_err(|e| ServerError::Io(e.to_string()))?
                    .handle(handle.clone());
                tokio::spawn(server.serve(service))
            }
            None => {
                let server = axum_server::from_tcp(listener)
                    .map_err(|e| ServerError::Io(e.to_string()))?
                    .handle(handle.clone());
                tokio::spawn(server.serve(service))
            }
        };
        Ok(CallbackServer {
            local_addr,
            tls: is_tls,
            handle,
            task: Some(task),
        })
    }
}

impl CallbackServer {
    /// Stop serving and wait until the port is released.
    pub async fn stop(mut self) {
        self.handle.shutdown();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}

/// Install aws-lc-rs as the process's rustls provider (idempotent).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}
