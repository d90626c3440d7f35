//! The arsite generator: import → model → metrics (arsite-core) → render → write.

pub mod check;
pub mod config;
pub mod import;
pub mod init;
pub mod sample;
pub mod serve;
pub mod site;
