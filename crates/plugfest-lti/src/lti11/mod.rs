//! LTI 1.1 launches (OAuth 1.0a) and LIS Basic Outcomes (POX), from both sides the harness plays:
//! the consumer that launches a vendor's tool provider ([`launch`]), and the tool that reads a
//! vendor's launch forms ([`form`]) and calls its outcomes service ([`pox`]).

pub mod form;
pub mod launch;
pub mod pox;
pub mod role;
pub mod service;
