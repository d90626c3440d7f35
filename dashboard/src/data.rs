//! One snapshot's data as the dashboard holds it: decoded once, indexed
//! once, and kept for the life of the page.
//!
//! Everything is leaked on purpose: views then share `&'static` references
//! (cheap to copy into closures, `Send + Sync` as leptos' signals require)
//! instead of reference-counting a million rows. A page holds at most a
//! handful of snapshots (its own and those it was compared with), each
//! loaded once (see `compare`).

use crate::bench;
use arsite_core::metrics::amount::percent_money;
use arsite_core::select::{Index, InvoiceOrder};
use arsite_core::wire::{self, Settings};
use arsite_core::{format, Money, Snapshot};
use std::sync::OnceLock;

pub struct Data {
    pub snapshot: &'static Snapshot,
    pub settings: &'static Settings,
    pub index: Index<'static>,
    pub labels: Vec<String>,
    /// Rows sorted by each invoice order, computed on first use: sorting a
    /// million rows takes a noticeable moment, once, not per keystroke.
    permutations: [OnceLock<Vec<u32>>; InvoiceOrder::ALL.len()],
}

impl Data {
    /// Decodes the base64 text of a data script.
    pub fn load(base64: &str) -> Result<&'static Data, String> {
        let started = bench::now();
        let bytes = wire::from_base64(base64).map_err(|e| e.to_string())?;
        bench::record("base64_ms", bench::now() - started);
        let (snapshot, settings) = wire::decode(&bytes).map_err(|e| e.to_string())?;
        drop(bytes);
        let decoded = bench::now();
        let snapshot: &'static Snapshot = Box::leak(Box::new(snapshot));
        let settings: &'static Settings = Box::leak(Box::new(settings));
        let index = Index::new(snapshot, &settings.scheme);
        let data = Box::leak(Box::new(Data {
            snapshot,
            settings,
            index,
            labels: settings.scheme.labels(),
            permutations: Default::default(),
        }));
        bench::record("decode_ms", decoded - started);
        bench::record("index_ms", bench::now() - decoded);
        Ok(data)
    }

    pub fn permutation(&self, order: InvoiceOrder) -> &[u32] {
        let slot = InvoiceOrder::ALL
            .iter()
            .position(|&o| o == order)
            .expect("every order has a slot");
        self.permutations[slot].get_or_init(|| self.index.permutation(order))
    }

    pub fn exp(&self) -> u32 {
        self.snapshot.currency.exponent
    }

    pub fn code(&self) -> &'static str {
        &self.snapshot.currency.code
    }

    /// An amount as every page prints it (`12,345.67`).
    pub fn money(&self, m: Money) -> String {
        format::money(m, self.exp())
    }
}

/// A share in percent with two decimals ("12.50"), "—" when the whole is
/// zero: `core`'s exact integer rounding (half away from zero), the same
/// figure `format::percent` prints on the static pages, without linking
/// decimal division into the wasm.
pub fn percent(part: Money, whole: Money) -> String {
    percent_money(part, whole).map_or_else(|| "—".to_string(), |d| d.to_string())
}
