//! Plugfest's side of the wire: the recording HTTP client, the callback server and TLS material.
//!
//! Main types: [`RecordingClient`] (one simulated browser or service client: timeouts, size caps,
//! no retries, no automatic redirects, explicit proxy, every exchange captured masked as
//! [`plugfest_core::Exchange`]), [`CallbackServer`] (serves a router over HTTPS or loopback
//! HTTP), and [`pki`] (a throw-away CA for the demo). It knows no protocol and no Gherkin.
#![deny(missing_docs)]

pub mod client;
pub mod pki;
pub mod server;

pub use client::{ClientError, RecordingClient, Request, Response, Sent};
pub use server::{CallbackServer, ServerError};
