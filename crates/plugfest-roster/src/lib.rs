//! OneRoster 1.1 / 1.2 REST consumer: the client side Plugfest plays against a provider.
//!
//! [`version`] holds what differs between the versions (paths, wrappers, spellings), [`client`]
//! the authenticated, rate-bounded, masked request path, [`walk`] the streaming page walker with
//! its compact duplicate/omission indexes and [`link`] RFC 8288 parsing, [`filter`] the filter
//! grammar and its client-side evaluation, [`schema`] validation against the project's JSON
//! Schemas, [`status`] the reading of error bodies, [`integrity`] the dataset-wide pass, and
//! [`mask`] keeps student data out of evidence.
#![deny(missing_docs)]

pub mod client;
pub mod filter;
pub mod integrity;
pub mod link;
pub mod mask;
pub mod role;
pub mod schema;
pub mod status;
pub mod version;
pub mod walk;

pub use client::{Answer, Auth, Call, Credentials, RosterClient, Settings};
pub use version::{Service, Version};
