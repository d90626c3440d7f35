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

    fn legend(&mut self, names: &[&str]) {
        let mut x = LEFT;
        for (i, name) in names.iter().enumerate() {
            let _ = write!(
                self.svg,
                "<rect class=\"s{i}\" x=\"{x:.1}\" y=\"24\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"{tx:.1}\" y=\"33\">{}</text>",
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
    fr.legend(&names);
    fr.finish()
}

/// Stacked bars: one bar per x label, one segment per series (negative
/// segments, e.g. credit balances, stack downward from zero).
pub fn stacked_bars(title: &str, y_label: &str, x_labels: &[String], series: &[Series]) -> String {
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
            let _ = write!(
                fr.svg,
                "<rect class=\"s{k}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"><title>{}: {}</title></rect>",
                fr.x(i) - bar / 2.0,
                y1.min(y2),
                (y1 - y2).abs().max(0.5),
                esc(label),
                esc(&s.name)
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
    fr.legend(&names);
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
        let b = stacked_bars("B", "EUR", &x, &s);
        assert!(b.starts_with("<svg") && b.ends_with("</svg>"));
    }
}
