//! The arsite generator: import → model → metrics → render → write.

pub mod sample;
