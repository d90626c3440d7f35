//! Portable random draws.
//!
//! Only integer ranges of fixed-width types are drawn (never `usize`, never
//! floating-point maths such as `ln`/`exp` whose last bits may differ between
//! platforms' libm), so the same seed yields the same sample everywhere.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) struct Draw {
    rng: ChaCha8Rng,
}

impl Draw {
    /// Independent streams of one seed: the company roster does not change
    /// when only the simulated period or the volume changes.
    pub fn new(seed: u64, stream: u64) -> Draw {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Draw { rng }
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u32) -> u32 {
        self.rng.random_range(0..n)
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        self.rng.random_range(lo..=hi)
    }

    /// Uniform in `lo..=hi` for amounts in cents.
    pub fn cents(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.random_range(lo..=hi)
    }

    /// Uniform in `lo..=hi` for wide values (fractional-day clocks).
    pub fn wide(&mut self, lo: u64, hi: u64) -> u64 {
        self.rng.random_range(lo..=hi)
    }

    /// True with probability `permille / 1000`.
    pub fn chance(&mut self, permille: u32) -> bool {
        self.below(1000) < permille
    }

    /// Uniform index into a collection of `len > 0` elements.
    pub fn index(&mut self, len: usize) -> usize {
        self.rng.random_range(0..len as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// Index chosen with probability proportional to its weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut ticket = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if ticket < w {
                return i;
            }
            ticket -= w;
        }
        unreachable!("ticket is below the total weight")
    }

    /// Fisher–Yates with portable index draws.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}
