//! arsite's data model and metrics.
//!
//! Everything here is a pure function over in-memory values: no files, no
//! clocks, no threads. The generator (native) and the dashboard (wasm32) link
//! the same code, so a figure on a static page and the same figure recomputed
//! in the browser cannot disagree.
//!
//! Money is held as integer minor units ([`Money`]) of the reporting currency:
//! sums are exact and fast (the dashboard re-aggregates a million rows per
//! keystroke); conversion to `rust_decimal::Decimal` happens at the edges
//! (parsing, display, ratios).

pub mod activity;
pub mod aging;
pub mod day;
pub mod export;
pub mod format;
pub mod ledger;
pub mod metrics;
pub mod model;
pub mod money;
pub mod portfolio;
pub mod rollrate;
pub mod select;
pub mod table;
pub mod viewstate;
pub mod vlist;
pub mod wire;

pub use aging::{AgingScheme, BucketTotals};
pub use day::Day;
pub use model::{Customer, Invoice, Snapshot, SnapshotBuilder, Status};
pub use money::{Currency, Money};
