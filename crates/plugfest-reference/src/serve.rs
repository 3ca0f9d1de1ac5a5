//! What every role's HTTPS server shares: binding and spawning it ([`https`]), its base URL,
//! the request body limit and timeout every router gets ([`limited`]), the [`client`] a role
//! calls out with, the fresh values a role hands out ([`random_hex`]: ids, nonces, message
//! identifiers), and the public types around a role's `start`: its [`settings!`], its
//! [`start_error!`] and the [`running!`] handle it returns.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::tls::{self, HttpsServer, TlsError};

/// The longest any request may take, body included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// `routes` with a request body limit of `max_body_bytes` (413 beyond it) and the request
/// timeout (408 after [`REQUEST_TIMEOUT`]).
pub(crate) fn limited<S>(routes: Router<S>, max_body_bytes: usize) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    routes
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(middleware::from_fn(time_limit))
}

async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "request took too long").into_response(),
    }
}

/// Bind `bind` and serve, over HTTPS with the PEM certificate chain and key, the router
/// `make_router` builds for the server's base URL (`https://IP:PORT`, known only once bound
/// when `bind` asks for port 0). Returns the running server and that base URL.
pub(crate) async fn https(
    bind: SocketAddr,
    cert_pem: &str,
    key_pem: &str,
    make_router: impl FnOnce(&str) -> Router,
) -> Result<(HttpsServer, String), TlsError> {
    let server =
        tls::serve_with(bind, cert_pem, key_pem, |addr| make_router(&base_url(addr))).await?;
    let base = base_url(server.local_addr());
    Ok((server, base))
}

/// The HTTP client a role calls out with (`purpose` names those calls in the error): no
/// redirects, no retries, `timeout` to connect and for a whole request, and the root
/// certificates of `ca_pem` besides the default roots.
pub(crate) fn client(
    timeout: Duration,
    ca_pem: Option<&str>,
    purpose: &str,
) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
        .timeout(timeout)
        .connect_timeout(timeout);
    if let Some(pem) = ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| format!("ca_pem: {e}"))?;
        builder = builder.tls_certs_merge(certs);
    }
    builder
        .build()
        .map_err(|e| format!("HTTP client for {purpose}: {e}"))
}

/// `n` random bytes as lower-case hex, from aws-lc-rs's system random generator. Should that
/// ever fail, a SHA-256 of a process-wide counter and the clock keeps values unique (if not
/// unguessable) rather than repeating them.
pub(crate) fn random_hex(n: usize) -> String {
    static FALLBACK: AtomicU64 = AtomicU64::new(0);
    let mut bytes = vec![0u8; n];
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        let seed = format!(
            "{}-{:?}",
            FALLBACK.fetch_add(1, Ordering::Relaxed),
            SystemTime::now().duration_since(UNIX_EPOCH)
        );
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, seed.as_bytes());
        for (b, d) in bytes.iter_mut().zip(digest.as_ref().iter().cycle()) {
            *b = *d;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `https://IP:PORT`, naming loopback when listening on every address.
fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    format!("https://{}", SocketAddr::new(ip, addr.port()))
}

/// Declares a role's `Running`: `base_url`, the role's own URL fields, the server (stopped
/// when the `Running` is dropped), `local_addr()` and `shutdown()`. `$what` names the role in
/// the docs ("tool", "consumer").
macro_rules! running {
    (
        $(#[$meta:meta])*
        $what:literal { $( $(#[$field_meta:meta])* $field:ident, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct Running {
            /// `https://127.0.0.1:PORT`.
            pub base_url: String,
            $( $(#[$field_meta])* pub $field: String, )*
            server: $crate::tls::HttpsServer,
        }

        impl Running {
            #[doc = concat!("The address the ", $what, " listens on.")]
            pub fn local_addr(&self) -> std::net::SocketAddr {
                self.server.local_addr()
            }

            #[doc = concat!(
                "Stop the ", $what, ": the port and its tasks are freed. (Dropping does the same.)"
            )]
            pub fn shutdown(self) {
                self.server.shutdown();
            }
        }
    };
}

pub(crate) use running;

/// Declares a role's `Settings`: `bind`, `cert_pem` and `key_pem`, the role's own fields, and
/// `faults` (qualified names of `$role`), with `fault_set()` (the faults parsed, an unknown one
/// the role's `StartError::UnknownFault`) and `serve()` (its HTTPS server started). Its `Debug`
/// never shows the certificate or a key: a field marked `=> redacted` shows as `<redacted>`,
/// one marked `=> is_some` only says whether it is set.
macro_rules! settings {
    (
        $(#[$meta:meta])*
        $role:literal {
            $( $(#[$field_meta:meta])* $field:ident: $ty:ty $(=> $shown:ident)?, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct Settings {
            /// Address to listen on, e.g. `127.0.0.1:0` for any free port.
            pub bind: std::net::SocketAddr,
            /// Server certificate chain (PEM).
            pub cert_pem: String,
            /// Server private key (PEM).
            pub key_pem: String,
            $( $(#[$field_meta])* pub $field: $ty, )*
            #[doc = concat!("Qualified fault names (`", $role, "/…`) to run with.")]
            pub faults: Vec<String>,
        }

        impl Settings {
            /// The faults to run with; an unknown name, or another role's, is the error.
            fn fault_set<F: $crate::faults::RoleFault>(
                &self,
            ) -> Result<$crate::faults::FaultSet<F>, StartError> {
                $crate::faults::FaultSet::parse(&self.faults)
                    .map_err(|name| StartError::UnknownFault { name })
            }

            /// Serve, on `bind` with this certificate, the router `make_router` builds for the
            /// base URL (`serve::https`).
            async fn serve(
                &self,
                make_router: impl FnOnce(&str) -> axum::Router,
            ) -> Result<($crate::tls::HttpsServer, String), $crate::tls::TlsError> {
                $crate::serve::https(self.bind, &self.cert_pem, &self.key_pem, make_router).await
            }
        }

        impl std::fmt::Debug for Settings {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Settings")
                    .field("bind", &self.bind)
                    .field("key_pem", &"<redacted>")
                    $( .field(stringify!($field), $crate::serve::settings!(@show self.$field $(, $shown)?)) )*
                    .field("faults", &self.faults)
                    .finish_non_exhaustive()
            }
        }
    };
    (@show $value:expr) => { &$value };
    (@show $value:expr, redacted) => { &"<redacted>" };
    (@show $value:expr, is_some) => { &$value.is_some() };
}

pub(crate) use settings;

/// Declares a role's `StartError`: an unknown fault name, an unusable setting (documented by
/// the caller), the role's own `extra` variants (one `String` each), and the HTTPS server.
/// `$role` is the role's name in the messages, `$what` what it is in the docs ("tool").
macro_rules! start_error {
    (
        $role:literal, $what:literal,
        $(#[$settings_meta:meta])*
        Settings,
        $( $(#[$extra_meta:meta])* $extra:ident => $extra_label:literal, )*
    ) => {
        #[doc = concat!("Why the ", $what, " could not start.")]
        #[derive(Debug, thiserror::Error)]
        #[non_exhaustive]
        pub enum StartError {
            #[doc = concat!(
                "A fault name that is not one of `", $role, "`'s (unknown, or another role's)."
            )]
            #[error(
                "`{name}` is not a fault of {role} (`plugfest reference faults` lists them)",
                role = $role
            )]
            UnknownFault {
                /// The name as given.
                name: String,
            },
            $(#[$settings_meta])*
            #[error("{role} settings: {0}", role = $role)]
            Settings(String),
            $(
                $(#[$extra_meta])*
                #[error("{role} {label}: {0}", role = $role, label = $extra_label)]
                $extra(String),
            )*
            /// The HTTPS server could not start.
            #[error(transparent)]
            Tls(#[from] $crate::tls::TlsError),
        }
    };
}

pub(crate) use start_error;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_names_loopback_for_the_unspecified_address() {
        assert_eq!(
            base_url("0.0.0.0:8443".parse().unwrap()),
            "https://127.0.0.1:8443"
        );
        assert_eq!(base_url("[::1]:443".parse().unwrap()), "https://[::1]:443");
        assert_eq!(
            base_url("192.0.2.7:1".parse().unwrap()),
            "https://192.0.2.7:1"
        );
    }
}
