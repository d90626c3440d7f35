//! The arithmetic of the dashboard's virtualized tables
//! (`dashboard/src/vlist.rs`): which rows to draw for a scroll offset, and
//! how tall the spacers above and below them are. It lives here, not in the
//! wasm-only dashboard crate, so that its tests run with every `cargo test`.
//!
//! Rows share one height (they are single lines). Browsers cap an element's
//! height (Chromium at about 33 million pixels), less than a million rows
//! need: past [`MAX_PX`] the scroll bar stands for the list proportionally
//! instead of pixel for pixel.

/// Rows drawn beyond the visible ones on each side.
pub const MARGIN: usize = 15;
/// Tallest scrollable height used, in pixels.
pub const MAX_PX: i64 = 8_000_000;

/// What to draw for a scroll offset: rows `start..end`, and the spacer
/// heights above and below them (pixels).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub above: i64,
    pub below: i64,
}

/// The rows to draw for `len` rows of `row_px` pixels in a box `view_px`
/// tall scrolled to `scroll_px`.
pub fn window(len: usize, row_px: i64, view_px: i64, scroll_px: i64) -> Window {
    let row_px = row_px.max(1);
    let total = len as i64 * row_px;
    let height = total.min(MAX_PX);
    let scroll = scroll_px.clamp(0, (height - view_px).max(0));
    let visible = ((view_px + row_px - 1) / row_px).max(1) as usize;
    // The first row in view: pixel for pixel, or in proportion.
    let top = if total <= MAX_PX {
        (scroll / row_px) as usize
    } else {
        let range = (height - view_px).max(1);
        let rows = len.saturating_sub(visible) as i64;
        (i128::from(scroll) * i128::from(rows) / i128::from(range)) as usize
    }
    .min(len);
    let start = top.saturating_sub(MARGIN);
    let end = (top + visible + MARGIN).min(len).max(start);
    // The drawn rows sit where the first one in view meets the box's top.
    let drawn = (end - start) as i64 * row_px;
    let above = if total <= MAX_PX {
        start as i64 * row_px
    } else {
        (scroll - (top - start) as i64 * row_px).clamp(0, (height - drawn).max(0))
    };
    let below = (height - above - drawn).max(0);
    Window {
        start,
        end,
        above,
        below,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(start: usize, end: usize, above: i64, below: i64) -> Window {
        Window {
            start,
            end,
            above,
            below,
        }
    }

    #[test]
    fn short_lists_scroll_pixel_for_pixel() {
        // 1,000 rows × 30 px = 30,000 px (under MAX_PX). Scrolled 3,000 px:
        // the first row in view is 3,000 / 30 = 100; 600 / 30 = 20 rows are
        // visible; with 15 either side rows 85..135 are drawn. Above: 85 × 30
        // = 2,550; drawn 50 × 30 = 1,500; below 30,000 − 2,550 − 1,500 = 25,950.
        assert_eq!(window(1_000, 30, 600, 3_000), w(85, 135, 2_550, 25_950));
        // 10 rows (300 px) fit in the box: all drawn, no spacers.
        assert_eq!(window(10, 30, 600, 0), w(0, 10, 0, 0));
        // An empty list draws nothing.
        assert_eq!(window(0, 34, 600, 500), w(0, 0, 0, 0));
    }

    #[test]
    fn scrolling_past_the_end_shows_the_last_rows() {
        // The offset is clamped to 30,000 − 600 = 29,400: first row in view
        // 29,400 / 30 = 980, drawn 965..min(980 + 20 + 15, 1,000) = 1,000;
        // above 965 × 30 = 28,950, drawn 35 × 30 = 1,050, below 0.
        assert_eq!(window(1_000, 30, 600, 1_000_000), w(965, 1_000, 28_950, 0));
        // A negative offset (overscroll) counts as the top: rows 0..35.
        assert_eq!(window(1_000, 30, 600, -50), w(0, 35, 0, 28_950));
    }

    #[test]
    fn a_zero_row_height_counts_as_one_pixel() {
        // Before the first row is measured: 1 px rows, 600 visible, top 0.
        assert_eq!(window(1_000, 0, 600, 0), w(0, 615, 0, 385));
    }

    #[test]
    fn long_lists_scroll_in_proportion_and_reach_the_end() {
        // 1,000,000 rows × 34 px = 34,000,000 px > MAX_PX: the height is
        // 8,000,000 and the scroll range 8,000,000 − 600 = 7,999,400.
        // Visible rows: ceil(600 / 34) = 18; proportional rows 999,982.
        let len = 1_000_000;
        // Top: rows 0..18 + 15 = 33; below 8,000,000 − 33 × 34 = 7,998,878.
        assert_eq!(window(len, 34, 600, 0), w(0, 33, 0, 7_998_878));
        // Middle, 4,000,000 px: top = 4,000,000 × 999,982 / 7,999,400
        // = 500,028 (rounded down); drawn 500,013..500,061 (48 rows, 1,632
        // px) starting 15 × 34 = 510 px above the offset: 3,999,490;
        // below 8,000,000 − 3,999,490 − 1,632 = 3,998,878.
        assert_eq!(
            window(len, 34, 600, MAX_PX / 2),
            w(500_013, 500_061, 3_999_490, 3_998_878)
        );
        // End (clamped to 7,999,400): top 999,982, drawn 999,967..1,000,000
        // (33 rows, 1,122 px); above 7,999,400 − 510 = 7,998,890, clamped to
        // 8,000,000 − 1,122 = 7,998,878 so the last row ends the list; below 0.
        assert_eq!(
            window(len, 34, 600, MAX_PX),
            w(999_967, 1_000_000, 7_998_878, 0)
        );
    }
}
