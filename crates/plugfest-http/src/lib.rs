//! Plugfest's side of the wire: the recording HTTP client, the callback server and TLS material.
//!
//! Main types: [`RecordingClient`] (one simulated browser or service client: timeouts, size caps,
//! no retries, no automatic redirects, explicit proxy, every exchange captured masked as
//! [`plugfest_core::Exchange`]), [`CallbackServer`] (serves a router over HTTPS or loopback
//! HTTP), [`pki`] (a throw-away CA for the demo) and [`oauth1`] (OAuth 1.0a signing). It knows no
//! other protocol and no Gherkin.
#![deny(missing_docs)]

pub mod client;
/// RFC 5849 OAuth 1.0a HMAC signing and verification (LTI 1.1, Basic Outcomes, OneRoster 1.1).
pub mod oauth1;
pub mod pki;
pub mod server;

pub use client::{ClientError, RecordingClient, Request, Response, Sent};
pub use server::{CallbackServer, ServerError};
