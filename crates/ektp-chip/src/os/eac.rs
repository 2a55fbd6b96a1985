//! The room for Extended Access Control (BSI TR-03110): Chip Authentication and Terminal
//! Authentication. Nothing here yet: the chip answers their commands as it always has
//! (`6D00` for PSO, PACE's `6A86` for other MSE parameters), and files with
//! [`Access::TerminalAuth`](super::profile::Access::TerminalAuth) stay unreadable (`6982`).
//!
//! When they arrive, their handlers go in this module as `impl Chip` blocks, and the
//! dispatcher ([`super::dispatch`]) routes to them:
//!
//! - Chip Authentication (TR-03110-3 §B.1, ICAO 9303-11 §6.2): MSE:Set AT `00 22 41 A4`,
//!   then GENERAL AUTHENTICATE with the terminal's ephemeral key; restarts secure messaging.
//! - Terminal Authentication (TR-03110-3 §B.11): MSE:Set DST `00 22 81 B6` and
//!   PSO:Verify Certificate `00 2A 00 BE` for each CV certificate of the chain,
//!   MSE:Set AT `00 22 81 A4`, GET CHALLENGE, EXTERNAL AUTHENTICATE with the terminal's
//!   signature; success grants [`Access::TerminalAuth`](super::profile::Access::TerminalAuth)
//!   reads for the session.
