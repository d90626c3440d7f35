//! SVG charts drawn at build time: readable without JavaScript, printable,
//! styled by the site's stylesheet (classes, no inline styles, which the
//! Content-Security-Policy forbids). Written by hand rather than with a
//! plotting crate: two chart kinds are needed, and plain SVG text keeps the
//! output small, deterministic and escapable. Values become f64 here only to
//! place pixels; every figure a reader sees comes from the table beneath.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt::Write;

const W: f64 = 760.0;
const H: f64 = 280.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 58.0;

pub struct Series {
    pub name: String,
    pub values: Vec<Option<Decimal>>,
}

/// Number of steps in the stylesheet's aging scale (`.a0` … `.a7`, light
/// and dark in `site/static/style.css`): one per bucket a scheme may have.
pub const AGING_STEPS: usize = arsite_core::aging::MAX_BUCKETS;

/// Which colours a chart's series take. Aging buckets take the one
/// sequential aging scale (Current lightest, the oldest bucket darkest in
/// light mode, brightest in dark), so a bucket looks the same on every page;
/// every other series (DSO, CEI, write-offs) takes the categorical `.s*`
/// colours, which never stand for a bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    /// Series `k` is bucket `first + k` of a scheme with `buckets` buckets
    /// (`first` is 1 for a chart of the past-due buckets only).
    Aging {
        first: usize,
        buckets: usize,
    },
    Categorical,
}

impl Palette {
    /// The CSS class of series `k`. An aging scheme with fewer buckets
    /// than the scale has steps is spread over the whole scale, so Current
    /// always takes the first step and the oldest bucket the last (most
    /// intense) one.
    pub fn class(self, k: usize) -> String {
        match self {
            Palette::Categorical => format!("s{k}"),
            Palette::Aging { first, buckets } => {
                let b = first + k;
                let step = if buckets <= 1 {
                    0
                } else {
                    (b * (AGING_STEPS - 1) + (buckets - 1) / 2) / (buckets - 1)
                };
                format!("a{}", step.min(AGING_STEPS - 1))
            }
        }
    }
}

/// Escapes text for SVG/HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A "nice" axis: ticks at 1, 2 or 5 × 10ⁿ covering [min, max].
fn axis(min: f64, max: f64) -> (f64, f64, f64) {
    let (min, max) = if (max - min).abs() < f64::EPSILON {
        (min - 1.0, max + 1.0)
    } else {
        (min, max)
    };
    let raw = (max - min) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    (
        (min / step).floor() * step,
        (max / step).ceil() * step,
        step,
    )
}

fn tick_label(v: f64, step: f64) -> String {
    let abs = v.abs();
    if abs >= 1e6 && step >= 1e5 {
        format!("{:.1}M", v / 1e6)
    } else if abs >= 1e3 && step >= 100.0 {
        format!("{:.0}k", v / 1e3)
    } else if step < 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

struct Frame {
    svg: String,
    lo: f64,
    hi: f64,
    n: usize,
}

impl Frame {
    fn new(title: &str, y_label: &str, x_labels: &[String], lo: f64, hi: f64) -> Frame {
        let (lo, hi, step) = axis(lo, hi);
        let mut svg = String::new();
        let _ = write!(
            svg,
            "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t\"><title id=\"{id}-t\">{t}</title>",
            id = slug(title),
            t = esc(title)
        );
        let _ = write!(
            svg,
            "<text class=\"chart-title\" x=\"{LEFT}\" y=\"14\">{}</text>",
            esc(title)
        );
        let frame = Frame {
            svg,
            lo,
            hi,
            n: x_labels.len(),
        };
        let mut f = frame;
        let mut v = lo;
        while v <= hi + step / 2.0 {
            let y = f.y(v);
            let _ = write!(
                f.svg,
                "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{x2}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{l}</text>",
                x2 = W - RIGHT,
                tx = LEFT - 6.0,
                ty = y + 4.0,
                l = esc(&tick_label(v, step))
            );
            v += step;
        }
        let _ = write!(
            f.svg,
            "<text class=\"axis-label\" transform=\"translate(14 {cy}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            esc(y_label),
            cy = TOP + (H - TOP - BOTTOM) / 2.0
        );
        let every = x_labels.len().div_ceil(12).max(1);
        for (i, label) in x_labels.iter().enumerate() {
            if i % every == 0 || i + 1 == x_labels.len() {
                let x = f.x(i);
                let _ = write!(
                    f.svg,
                    "<text class=\"tick\" x=\"{x:.1}\" y=\"{y}\" text-anchor=\"end\" transform=\"rotate(-35 {x:.1} {y})\">{}</text>",
                    esc(label),
                    y = H - BOTTOM + 16.0
                );
            }
        }
        f
    }

    fn x(&self, i: usize) -> f64 {
        let inner = W - LEFT - RIGHT;
        LEFT + inner * (i as f64 + 0.5) / self.n.max(1) as f64
    }

    fn y(&self, v: f64) -> f64 {
        let inner = H - TOP - BOTTOM;
        TOP + inner * (1.0 - (v - self.lo) / (self.hi - self.lo))
    }

    fn legend(&mut self, names: &[&str], palette: Palette, series: usize) {
        let mut x = LEFT;
        for (i, name) in names.iter().enumerate() {
            // Names past the series (the target line) keep the categorical class.
            let class = if i < series {
                palette.class(i)
            } else {
                Palette::Categorical.class(i)
            };
            let _ = write!(
                self.svg,
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"24\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"{tx:.1}\" y=\"33\">{}</text>",
                esc(name),
                tx = x + 14.0
            );
            x += 22.0 + 7.0 * name.chars().count() as f64;
        }
    }

    fn finish(mut self) -> String {
        self.svg.push_str("</svg>");
        self.svg
    }
}

/// A chart value as the hover text shows it: two decimals, thousands
/// grouped ("1,234,567.80"), so the figure under the pointer reads like the
/// table beneath the chart.
fn grouped(d: Decimal) -> String {
    let text = format!("{:.2}", d.round_dp(2));
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut out = String::from(sign);
    arsite_core::format::push_grouped(&mut out, int);
    format!("{out}.{frac}")
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Lines over time, with an optional dashed target line.
pub fn line_chart(
    title: &str,
    y_label: &str,
    x_labels: &[String],
    series: &[Series],
    target: Option<Decimal>,
) -> String {
    let values = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .chain(target);
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values {
        lo = lo.min(f(v));
        hi = hi.max(f(v));
    }
    let mut fr = Frame::new(title, y_label, x_labels, lo, hi);
    for (k, s) in series.iter().enumerate() {
        let mut path = String::new();
        let mut pen_up = true;
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1} {:.1} ",
                        if pen_up { "M" } else { "L" },
                        fr.x(i),
                        fr.y(f(*v))
                    );
                    pen_up = false;
                }
                None => pen_up = true,
            }
        }
        let _ = write!(
            fr.svg,
            "<path class=\"line s{k}\" d=\"{}\"/>",
            path.trim_end()
        );
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    fr.svg,
                    "<circle class=\"dot s{k}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/>",
                    fr.x(i),
                    fr.y(f(*v))
                );
            }
        }
    }
    let mut names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    if let Some(t) = target {
        let y = fr.y(f(t));
        let _ = write!(
            fr.svg,
            "<line class=\"target\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>",
            W - RIGHT
        );
        names.push("target");
    }
    fr.legend(&names, Palette::Categorical, series.len());
    fr.finish()
}

/// Stacked bars: one bar per x label, one segment per series (negative
/// segments, e.g. credit balances, stack downward from zero).
pub fn stacked_bars(
    title: &str,
    y_label: &str,
    x_labels: &[String],
    series: &[Series],
    palette: Palette,
) -> String {
    let n = x_labels.len();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for i in 0..n {
        let (mut pos, mut neg) = (0.0, 0.0);
        for s in series {
            let v = s.values.get(i).copied().flatten().map(f).unwrap_or(0.0);
            if v >= 0.0 {
                pos += v
            } else {
                neg += v
            }
        }
        hi = hi.max(pos);
        lo = lo.min(neg);
    }
    let mut fr = Frame::new(title, y_label, x_labels, lo, hi);
    let band = (W - LEFT - RIGHT) / n.max(1) as f64;
    let bar = (band * 0.7).min(48.0);
    for (i, label) in x_labels.iter().enumerate() {
        let (mut pos, mut neg) = (0.0, 0.0);
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().flatten().map(f).unwrap_or(0.0);
            if v == 0.0 {
                continue;
            }
            let (from, to) = if v > 0.0 {
                pos += v;
                (pos - v, pos)
            } else {
                neg += v;
                (neg - v, neg)
            };
            let (y1, y2) = (fr.y(from), fr.y(to));
            let value = s.values.get(i).copied().flatten().unwrap_or_default();
            let _ = write!(
                fr.svg,
                "<rect class=\"{}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"><title>{}, {}: {} {}</title></rect>",
                palette.class(k),
                fr.x(i) - bar / 2.0,
                y1.min(y2),
                (y1 - y2).abs().max(0.5),
                esc(label),
                esc(&s.name),
                grouped(value),
                esc(y_label)
            );
        }
    }
    let zero = fr.y(0.0);
    let _ = write!(
        fr.svg,
        "<line class=\"zero\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{zero:.1}\" y2=\"{zero:.1}\"/>",
        W - RIGHT
    );
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    fr.legend(&names, palette, series.len());
    fr.finish()
}

fn slug(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("chart-{}", s.trim_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_ticks_are_round() {
        assert_eq!(axis(0.0, 73.0), (0.0, 80.0, 20.0));
        assert_eq!(axis(-5.0, 12.0), (-5.0, 15.0, 5.0));
    }

    #[test]
    fn text_is_escaped_and_charts_are_deterministic() {
        let s = vec![Series {
            name: "<script>".into(),
            values: vec![Some(Decimal::from(5)), None],
        }];
        let x = vec!["a\"b".to_string(), "c".to_string()];
        let a = line_chart("T & <x>", "days", &x, &s, Some(Decimal::from(3)));
        assert!(!a.contains("<script>"));
        assert!(
            a.contains("&lt;script&gt;")
                && a.contains("T &amp; &lt;x&gt;")
                && a.contains("a&quot;b")
        );
        assert_eq!(
            a,
            line_chart("T & <x>", "days", &x, &s, Some(Decimal::from(3)))
        );
        let b = stacked_bars("B", "EUR", &x, &s, Palette::Categorical);
        assert!(b.starts_with("<svg") && b.ends_with("</svg>"));
    }

    #[test]
    fn hover_text_states_the_value_grouped() {
        let s = vec![Series {
            name: "61–90".into(),
            values: vec![Some(Decimal::new(123456780, 2)), Some(Decimal::new(-5, 1))],
        }];
        let x = vec!["2026-10-31".to_string(), "2026-11-30".to_string()];
        let b = stacked_bars("B", "EUR", &x, &s, Palette::Categorical);
        assert!(
            b.contains("<title>2026-10-31, 61–90: 1,234,567.80 EUR</title>"),
            "{b}"
        );
        assert!(
            b.contains("<title>2026-11-30, 61–90: -0.50 EUR</title>"),
            "{b}"
        );
    }

    #[test]
    fn aging_classes_span_the_scale_whatever_the_bucket_count() {
        // Six buckets (Current … 121+) over eight steps: 0, 7/5=1.4→1,
        // 14/5=2.8→3, 21/5=4.2→4, 28/5=5.6→6, 7.
        let six = Palette::Aging {
            first: 0,
            buckets: 6,
        };
        let got: Vec<String> = (0..6).map(|k| six.class(k)).collect();
        assert_eq!(got, ["a0", "a1", "a3", "a4", "a6", "a7"]);
        // The past-due-only trend keeps each bucket's colour.
        let past_due = Palette::Aging {
            first: 1,
            buckets: 6,
        };
        assert_eq!(past_due.class(0), "a1");
        assert_eq!(past_due.class(4), "a7");
        // Eight buckets map one to one; a single bucket takes the first step.
        let eight = Palette::Aging {
            first: 0,
            buckets: 8,
        };
        assert_eq!(eight.class(5), "a5");
        assert_eq!(
            Palette::Aging {
                first: 0,
                buckets: 1
            }
            .class(0),
            "a0"
        );
    }

    /// Whether byte `at` of `css` lies inside a `prefers-color-scheme:
    /// dark` block: since the block began, two more braces opened than
    /// closed (the block's own and the rule's that holds the variable).
    fn in_dark_block(css: &str, at: usize) -> bool {
        let Some(start) = css[..at].rfind("@media (prefers-color-scheme: dark)") else {
            return false;
        };
        let between = &css[start..at];
        between.matches('{').count() >= between.matches('}').count() + 2
    }

    /// The values of `--<var>0`, `--<var>1`, … in the light (`dark ==
    /// false`) or dark definitions of the stylesheet.
    fn css_colours(css: &str, var: &str, dark: bool) -> Vec<String> {
        let mut out = Vec::new();
        for n in 0.. {
            let key = format!("--{var}{n}:");
            let Some(at) = css
                .match_indices(&key)
                .map(|(i, _)| i)
                .find(|&i| in_dark_block(css, i) == dark)
            else {
                break;
            };
            out.push(css[at + key.len()..].trim_start()[..7].to_string());
        }
        out
    }

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn every_series_colour_has_3_to_1_contrast_and_the_aging_scale_is_ordered() {
        let css = include_str!("../../../site/static/style.css");
        for (dark, bg) in [(false, "#ffffff"), (true, "#0f1419")] {
            let page_bg = css
                .match_indices("--bg: ")
                .map(|(i, _)| i)
                .find(|&i| in_dark_block(css, i) == dark);
            assert_eq!(
                &css[page_bg.unwrap() + 6..][..7],
                bg,
                "the page background changed"
            );
            let aging = css_colours(css, "a", dark);
            assert_eq!(aging.len(), AGING_STEPS, "dark={dark}: {aging:?}");
            for c in aging.iter().chain(&css_colours(css, "s", dark)) {
                let r = contrast(c, bg);
                assert!(r >= 3.0, "{c} on {bg} is {r:.2}:1 (WCAG 1.4.11 asks 3:1)");
            }
            // Lightness alone orders the scale (colour-vision safe): darker
            // with age on white, brighter with age on the dark background.
            let l: Vec<f64> = aging.iter().map(|c| luminance(c)).collect();
            assert!(
                l.windows(2)
                    .all(|w| if dark { w[0] < w[1] } else { w[0] > w[1] }),
                "dark={dark}: {aging:?} is not ordered by lightness"
            );
            // No categorical colour is an aging colour.
            for c in css_colours(css, "s", dark) {
                assert!(!aging.contains(&c), "{c} is in the aging scale");
            }
        }
    }
}
