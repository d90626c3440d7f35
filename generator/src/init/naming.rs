//! The snapshot date of the export `arsite init` copies, and the name it
//! gets in `snapshots/`: one the importer takes as a snapshot of that date.
//! The date is never guessed: it comes from `--as-of`, the file name or,
//! for a preset that reads it there, the report's title; else the user is
//! asked for `--as-of`.

use super::UsageError;
use crate::import::spec::{AsOf, InputSpec};
use crate::import::{date, file_name_dates, rules};
use arsite_core::Day;
use std::path::Path;

/// Where the snapshot date came from (for the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateSource {
    Option,
    FileName,
    Title,
}

/// The snapshot date, where it came from, and whether the importer must
/// read it from the file name although the preset reads titles (the title
/// holds none): `as_of_from = "file_name"` in the settings then.
#[derive(Debug)]
pub struct SnapshotDate {
    pub day: Day,
    pub source: DateSource,
    pub from_file_name_not_title: bool,
}

/// The snapshot date of `path` read with `spec` (the preset's settings).
pub fn snapshot_date(
    path: &Path,
    spec: &InputSpec,
    given: Option<Day>,
) -> Result<SnapshotDate, UsageError> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let mut in_name: Vec<Day> = file_name_dates(stem, spec)
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    in_name.dedup();
    // A date the preset reads inside the file: its title, or a workbook cell.
    let title = match &spec.as_of {
        AsOf::Title => Some(rules::peek_title_date(path, spec)),
        AsOf::Cell { sheet, key } => Some(rules::peek_cell_date(path, spec, sheet, key)),
        _ => None,
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let found = match (given, title) {
        (Some(day), Some(Ok(t))) if t != day => {
            return Err(UsageError(format!(
                "{}: its title dates the report {t}, but --as-of says {day}: expected one snapshot date (leave --as-of out to use the title's)",
                path.display()
            )))
        }
        (Some(day), Some(Ok(_))) => SnapshotDate {
            day,
            source: DateSource::Title,
            from_file_name_not_title: false,
        },
        (Some(day), title) => SnapshotDate {
            day,
            source: DateSource::Option,
            from_file_name_not_title: title.is_some(),
        },
        (None, Some(Ok(t))) => SnapshotDate {
            day: t,
            source: DateSource::Title,
            from_file_name_not_title: false,
        },
        (None, title) => {
            let why_not_title = match &title {
                Some(Err(p)) => format!("; its title gives none ({})", p.message),
                _ => String::new(),
            };
            match in_name.as_slice() {
                [day] => SnapshotDate {
                    day: *day,
                    source: DateSource::FileName,
                    from_file_name_not_title: title.is_some(),
                },
                [] => {
                    return Err(UsageError(format!(
                        "{}: the file name {name:?} holds no snapshot date{}{why_not_title}: pass --as-of YYYY-MM-DD, the date the export lists the open items of",
                        path.display(),
                        match &spec.rules.file_date {
                            Some(f) => format!(" (written {})", f.as_str()),
                            None => " (YYYY-MM-DD or YYYYMMDD)".into(),
                        }
                    )))
                }
                several => {
                    return Err(UsageError(format!(
                        "{}: the file name {name:?} holds {} dates ({}){why_not_title}: pass --as-of YYYY-MM-DD to say which is the snapshot date",
                        path.display(),
                        several.len(),
                        several
                            .iter()
                            .map(Day::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
    };
    if let Some(m) = date::outside_window(found.day) {
        return Err(UsageError(format!("{}: snapshot {m}", path.display())));
    }
    Ok(found)
}

/// The name the copy gets in `snapshots/`: the export's own name with its
/// date written as the importer reads names (`YYYY-MM-DD`, or the
/// preset's `file_date_format`) in place of the date it held, or added at
/// the end (`Open items_2026-10-31.csv`); the extension kept when the
/// importer takes it, else the preset's format's added.
pub fn snapshot_name(source: &Path, spec: &InputSpec, day: Day) -> Result<String, String> {
    let file_name = source
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: expected a file name in UTF-8", source.display()))?;
    let extensions = spec.extensions();
    let (stem, ext) = match source.extension().and_then(|e| e.to_str()) {
        Some(e) if extensions.iter().any(|x| x.eq_ignore_ascii_case(e)) => {
            (&file_name[..file_name.len() - e.len() - 1], e.to_string())
        }
        _ => (file_name, extensions[0].to_string()),
    };
    let text = match &spec.rules.file_date {
        Some(format) => format.write(day),
        None => day.to_string(),
    };
    let spans = file_name_dates(stem, spec);
    let new_stem = if spans.is_empty() {
        let separator = if stem.contains(' ') { " " } else { "_" };
        let stem = stem.trim_start_matches('.');
        if stem.is_empty() {
            text.clone()
        } else {
            format!("{stem}{separator}{text}")
        }
    } else {
        let mut s = stem.to_string();
        for (range, _) in spans.iter().rev() {
            s.replace_range(range.clone(), &text);
        }
        s
    };
    let name = format!("{new_stem}.{ext}");
    // The importer must read exactly this date from the name.
    if spec.as_of == AsOf::FileName {
        let mut read: Vec<Day> = file_name_dates(&new_stem, spec)
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        read.dedup();
        if read != [day] {
            return Err(format!(
                "cannot name the snapshot: {name:?} would not read as the snapshot {day}; rename the export so that its name holds the date"
            ));
        }
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::snapshot_csv::SCHEMA;
    use crate::import::spec::RawInput;

    fn spec(toml_text: &str) -> InputSpec {
        let raw: RawInput = toml::from_str(toml_text).unwrap();
        InputSpec::from_raw(&raw, &SCHEMA).unwrap()
    }

    fn day(s: &str) -> Day {
        Day::parse_iso(s).unwrap()
    }

    #[test]
    fn the_date_is_written_iso_where_the_name_held_it_or_added() {
        let s = spec("preset = \"sap\"");
        let d = day("2026-10-31");
        let name = |n: &str| snapshot_name(Path::new(n), &s, d).unwrap();
        assert_eq!(name("FBL5N_20261031.csv"), "FBL5N_2026-10-31.csv");
        assert_eq!(name("FBL5N_2026-10-31.txt"), "FBL5N_2026-10-31.txt");
        assert_eq!(name("Open items.csv"), "Open items 2026-10-31.csv");
        assert_eq!(name("export.csv"), "export_2026-10-31.csv");
        // A date that is not the snapshot's (the export day) is replaced.
        assert_eq!(name("export_20261102.csv"), "export_2026-10-31.csv");
        // An extension the importer does not take: the preset's added.
        assert_eq!(name("aging.dat"), "aging.dat_2026-10-31.csv");
    }

    #[test]
    fn a_file_date_format_is_kept_in_the_name() {
        let s = spec("preset = \"sap\"\nfile_date_format = \"DD_MM_YYYY\"");
        let d = day("2026-03-31");
        let name = |n: &str| snapshot_name(Path::new(n), &s, d).unwrap();
        assert_eq!(
            name("CISP_ABERTO_31_03_2026_.txt"),
            "CISP_ABERTO_31_03_2026_.txt"
        );
        assert_eq!(name("CISP_ABERTO.txt"), "CISP_ABERTO_31_03_2026.txt");
    }

    #[test]
    fn no_date_and_no_option_asks_for_as_of() {
        let s = spec("preset = \"sap\"");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Open items.csv");
        std::fs::write(&p, "a;b\n").unwrap();
        let e = snapshot_date(&p, &s, None).unwrap_err();
        assert!(e.0.contains("holds no snapshot date"), "{}", e.0);
        assert!(e.0.contains("pass --as-of YYYY-MM-DD"), "{}", e.0);
        let ok = snapshot_date(&p, &s, Some(day("2026-10-31"))).unwrap();
        assert_eq!((ok.day, ok.source), (day("2026-10-31"), DateSource::Option));
        let two = dir.path().join("aging 2026-10-31 vs 2026-09-30.csv");
        std::fs::write(&two, "a;b\n").unwrap();
        let e = snapshot_date(&two, &s, None).unwrap_err();
        assert!(
            e.0.contains("holds 2 dates (2026-10-31, 2026-09-30)"),
            "{}",
            e.0
        );
    }

    #[test]
    fn a_title_date_is_used_and_must_agree_with_as_of() {
        let s = spec("format = \"csv\"\nas_of_from = \"title\"\n[columns]\ninvoice_id = \"No\"");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("aging.csv");
        std::fs::write(&p, "Aged Receivables\nAs of Oct 31, 2026\nNo,Open\n").unwrap();
        let d = snapshot_date(&p, &s, None).unwrap();
        assert_eq!((d.day, d.source), (day("2026-10-31"), DateSource::Title));
        let e = snapshot_date(&p, &s, Some(day("2026-09-30"))).unwrap_err();
        assert!(e
            .0
            .contains("its title dates the report 2026-10-31, but --as-of says 2026-09-30"));
        // No date in the title: the name's, read from the name from now on.
        let q = dir.path().join("aging_2026-10-31.csv");
        std::fs::write(&q, "Aged Receivables\nNo,Open\n").unwrap();
        let d = snapshot_date(&q, &s, None).unwrap();
        assert_eq!(d.source, DateSource::FileName);
        assert!(d.from_file_name_not_title);
    }
}
