//! The commented `arsite.toml` that `arsite init` writes: the settings a new
//! user sets (title, currency), every other setting commented out with its
//! default and meaning, and the `[import.snapshots]` section of the
//! recognised preset with commented hints derived from the preset's
//! columns and the export (columns it lacks, columns the preset does not
//! read) plus the preset's own `[init] hints`.

use crate::import::recognise::Fit;
use crate::import::snapshot_csv::SCHEMA;
use crate::import::spec::AsOf;

/// What goes into the file.
pub struct Settings<'a> {
    pub title: &'a str,
    /// `None`: left for the user to fill in (the template).
    pub currency: Option<&'a str>,
    /// The recognised preset and the export it was recognised from.
    pub import: Option<ImportPart<'a>>,
}

pub struct ImportPart<'a> {
    pub fit: &'a Fit,
    pub export_name: &'a str,
    /// The preset reads titles but this export's date is in its name.
    pub as_of_from_file_name: bool,
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

const HEAD: &str = "\
# arsite.toml: the settings of this data folder, written by `arsite init`.
# Every key is described in README.md (sections \"arsite.toml\" and
# \"Importing ERP exports\"); a key arsite does not know is an error, so a
# typo never passes silently. Lines starting with # are comments: remove
# the # (and keep the section line above it) to use a setting.
";

/// Every site setting besides title and currency, commented out with its
/// default (config.rs and core's defaults).
const SITE: &str = "
# Where the site is published, for absolute links in e-mail summaries and
# printed page footers.
# base_url = \"https://intranet.example/ar/\"

# Exchange rates into the reporting currency: units of it per unit of the
# other (a row in a currency without a rate is rejected).
# [rates]
# USD = 0.92

# Past-due buckets: inclusive upper bounds in days, and the allowance
# reserve per bucket in percent, Current first (the defaults; custom edges
# need their own reserve list).
# [aging]
# edges = [30, 60, 90, 120]
# reserve_percent = [1, 2, 5, 10, 25, 50]

# DSO: countback | standard | true; the standard DSO's trailing window in
# months; a target in days (none by default).
# [dso]
# method = \"countback\"
# window_months = 3
# target = 45

# The rolling window of the collection effectiveness index, in months.
# [cei]
# window_months = 3

# A promise to pay is kept when paid by the promised date plus these days.
# [promises]
# grace_days = 0

# A dispute open more than sla_days is listed as over its SLA (lists page).
# [disputes]
# sla_days = 30

# Write-off candidates: more than candidate_days past due; the watch list:
# broken_promise_count broken promises due within the window.
# [bad_debt]
# candidate_days = 120
# broken_promise_window_days = 180
# broken_promise_count = 2

# The worklist's next action by the oldest workable days past due: a
# reminder through reminder_until_days, a call through call_until_days, a
# final notice through final_notice_until_days, then propose an agency
# placement (also after agency_after_broken_promises broken promises in 90
# days).
# [policy]
# reminder_until_days = 15
# call_until_days = 45
# final_notice_until_days = 90
# agency_after_broken_promises = 2

# Monthly collection target per collector, and the supervisor's limits
# highlighted in the dashboard's scorecard (false switches one off).
# [collectors.targets]
# \"Ann Smith\" = 120000
# [collectors.thresholds]
# min_current_percent = 50
# max_over_90_percent = 10
# max_weighted_dpd = 30

# The share of a snapshot's data rows (percent) that may be rejected before
# the snapshot fails the build.
# [import]
# max_rejected_percent = 50
";

/// The whole file.
pub fn text(s: &Settings) -> String {
    let mut out = String::from(HEAD);
    out.push_str("\n# The site's title, on every page (your company's name).\n");
    out.push_str(&format!("title = {}\n", quoted(s.title)));
    out.push_str(
        "# The reporting currency (ISO 4217 code): every figure is in it, and\n\
         # amounts may have as many decimals as it has.\n",
    );
    match s.currency {
        Some(c) => out.push_str(&format!("currency = {}\n", quoted(c))),
        None => out.push_str("currency = \"\"        # REQUIRED: e.g. \"EUR\", \"USD\"\n"),
    }
    out.push_str(SITE);
    match &s.import {
        Some(part) => out.push_str(&import_section(part)),
        None => out.push_str(TEMPLATE_IMPORT),
    }
    out
}

/// Without an export: how to say what the files are.
const TEMPLATE_IMPORT: &str = "
# How to read the files in snapshots/ (one per snapshot date, the date
# YYYY-MM-DD or YYYYMMDD in the name). Without this section they are read as
# arsite's canonical CSV (README, \"Input format v1\"). For an ERP export
# name its preset (or run `arsite init DIR --from EXPORT --force` to have
# the preset recognised):
# [import.snapshots]
# preset = \"sap-fbl5n\"
";

fn import_section(part: &ImportPart) -> String {
    let fit = part.fit;
    let spec = &fit.spec;
    let mut out = String::new();
    out.push_str(&format!(
        "\n# How to read the files in snapshots/: {} ({}), recognised by\n# `arsite init` in {}: {} of {} columns found.\n",
        fit.preset.title,
        fit.preset.name,
        part.export_name,
        fit.found(),
        fit.columns.len()
    ));
    out.push_str("[import.snapshots]\n");
    out.push_str(&format!("preset = {}\n", quoted(fit.preset.name)));
    if part.as_of_from_file_name {
        out.push_str(
            "# The preset reads the date from the title rows; this export's title has\n\
             # none, so the date comes from the file name.\n\
             as_of_from = \"file_name\"\n",
        );
    }
    out.push_str("# Every key below overrides the preset's (README, \"Settings\").\n");
    if spec.as_of == AsOf::FileName || part.as_of_from_file_name {
        out.push_str(
            "# Next exports need the snapshot date in their names too; if the ERP writes\n\
             # it otherwise than YYYY-MM-DD or YYYYMMDD:\n\
             # file_date_format = \"DD_MM_YYYY\"\n",
        );
    }
    if let Some(id) = fit.columns.iter().find(|c| c.name == "invoice_id") {
        let header = id.found.clone().or_else(|| id.spellings.first().cloned());
        if let Some(h) = header {
            out.push_str(&format!(
                "# A document with several lines (instalments): the id from several columns.\n\
                 # invoice_key = [{}, \"Item\"]\n",
                quoted(&h)
            ));
        }
    }
    for hint in &fit.preset.init_hints().hints {
        out.push_str(hint.trim_end());
        out.push('\n');
    }
    out.push_str(&columns_hints(fit));
    if let Some(sign) = &spec.sign {
        out.push_str(&format!(
            "# The preset's sign rule: rows whose {} is {} are negative. With your\n\
             # document types:\n\
             # [import.snapshots.sign]\n\
             # column = {}\n\
             # negative = [{}]\n",
            sign.column.first().map(|c| quoted(c)).unwrap_or_default(),
            sign.negative.join(", "),
            sign.column.first().map(|c| quoted(c)).unwrap_or_default(),
            sign.negative
                .iter()
                .map(|v| quoted(v))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str(
        "# A status column's values in arsite's words (open, disputed, promised,\n\
         # agency, legal):\n\
         # [import.snapshots.values.status]\n\
         # \"Promise to pay\" = \"promised\"\n\
         # Only some rows: filters, all of which a row must pass.\n\
         # [[import.snapshots.keep]]\n\
         # column = \"Type\"\n\
         # in = [\"Invoice\", \"Credit Memo\"]\n\
         # A value for every row instead of a column:\n\
         # [import.snapshots.constants]\n\
         # division = \"Industrial\"\n",
    );
    out
}

/// `[import.snapshots.columns]` hints: a required column the export lacks
/// (uncommented it would still need its header, so it stays a comment
/// with REQUIRED), optional columns the preset looks for in vain, and
/// canonical columns the preset does not read at all.
fn columns_hints(fit: &Fit) -> String {
    let spec = &fit.spec;
    let mut lines = Vec::new();
    let list = |s: &[String]| {
        s.iter()
            .map(|h| format!("{h:?}"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let customer_missing = fit
        .missing(true)
        .iter()
        .any(|c| c.name == "customer_id" || c.name == "customer_name");
    for c in fit.columns.iter().filter(|c| c.found.is_none()) {
        if !SCHEMA.columns.iter().any(|s| s.name == c.name) {
            continue;
        }
        let first = c.spellings.first().cloned().unwrap_or_default();
        let why = if c.required {
            format!(
                "REQUIRED: this export has no {} column; name its header",
                list(&c.spellings)
            )
        } else {
            format!(
                "not in this export (the preset looks for {})",
                list(&c.spellings)
            )
        };
        lines.push(format!("# {} = {}   # {why}", c.name, quoted(&first)));
    }
    for s in SCHEMA.columns {
        let unread = !spec.columns.contains_key(s.name)
            && !spec.constants.contains_key(s.name)
            && !s.mapped_required
            && s.name != "as_of";
        if unread {
            let what = match s.name {
                "amount" => "the document's original amount (without it, the open amount)",
                "customer_name" => "the customer's name",
                "currency" => "the row's currency (without it, the site's)",
                "division" => "a grouping: business unit, region",
                "collector" => "the person who collects the account",
                "status" => "open, disputed, promised, agency or legal",
                _ => "",
            };
            lines.push(format!(
                "# {} = \"…\"   # the preset reads none: {what}",
                s.name
            ));
        }
    }
    let mut out = String::new();
    if !lines.is_empty() {
        out.push_str("# Columns: canonical name = the export's header, or a list of spellings.\n");
        out.push_str("# [import.snapshots.columns]\n");
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    if customer_missing {
        out.push_str(
            "# If the report names each customer in a heading row above its documents\n\
             # instead of a column (README, \"Report layouts\"):\n\
             # [import.snapshots.layout]\n\
             # group_heading = \"single_cell\"\n\
             # heading_pattern = \"{id} {name}\"\n",
        );
    }
    out
}
