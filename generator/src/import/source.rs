//! Where rows come from: a CSV file (after decoding to UTF-8) or the cells
//! of a worksheet. Both stream: a CSV file passes through a fixed-size
//! buffer, a worksheet through calamine's cell reader, so memory does not
//! grow with the file.
//!
//! Everything reaches the table reader as the same [`Record`]: UTF-8 fields
//! in a reused `csv::ByteRecord`, a line number, and for worksheets what
//! kind of cell each field came from (a number cell's text is a plain
//! decimal whatever the file's regional settings).

use super::number::float_text;
use super::problem::{Kind, Problem};
use super::workbook::{with_sheet, Kind2 as WorkbookKind};
use arsite_core::Day;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

/// Text encodings of CSV exports.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Excel's "Unicode text".
    Utf16Le,
    Windows1252,
}

impl Encoding {
    pub fn parse(text: &str) -> Option<Encoding> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "utf-16le" | "utf-16" | "utf16le" | "utf16" | "unicode" => Some(Encoding::Utf16Le),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => {
                Some(Encoding::Windows1252)
            }
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    /// Excel 97-2003 (BIFF), read by [`super::workbook`].
    Xls,
    /// OpenDocument, read by [`super::workbook`].
    Ods,
}

impl Format {
    /// The format a file's extension names, if it names one.
    pub fn of_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" | "txt" | "tsv" => Format::Csv,
            "xlsx" | "xlsm" => Format::Xlsx,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            _ => return None,
        })
    }
}

/// How to read one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpec {
    pub format: Format,
    pub encoding: Encoding,
    /// `None`: sniffed among `,` `;` TAB `|`.
    pub delimiter: Option<u8>,
    /// `None`: the first sheet.
    pub sheet: Option<String>,
    /// `format` was written in the settings: every file is read so.
    /// Otherwise a file's extension decides, and `format` (a preset's) only
    /// serves files whose extension names none.
    pub format_set: bool,
}

impl SourceSpec {
    /// arsite's canonical files: UTF-8 (a BOM is fine), comma-separated.
    pub fn canonical() -> SourceSpec {
        SourceSpec {
            format: Format::Csv,
            encoding: Encoding::Utf8,
            delimiter: Some(b','),
            sheet: None,
            format_set: false,
        }
    }
}

/// What a worksheet cell held, when it matters for parsing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    Text,
    /// A number cell; the field is its shortest decimal text.
    Number,
    /// A date cell; the field is its ISO date.
    Date(Day),
    /// An error value such as `#N/A`.
    Error,
}

/// One row of the source.
#[derive(Default)]
pub struct Record {
    pub fields: csv::ByteRecord,
    /// Empty for CSV files (every field is text).
    pub cells: Vec<Cell>,
    pub line: u64,
}

impl Record {
    pub fn cell(&self, field: usize) -> Cell {
        self.cells.get(field).copied().unwrap_or(Cell::Text)
    }

    /// Whether every field is empty or blank.
    pub fn is_blank(&self) -> bool {
        self.fields
            .iter()
            .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
    }
}

/// A stream of records.
pub trait Records {
    /// Reads the next record into `record`: `Ok(false)` at the end; `Err`
    /// for a row that cannot be split (the stream goes on after it) or a
    /// read error (the stream ends; the next call returns `Ok(false)`).
    fn read(&mut self, record: &mut Record) -> Result<bool, Problem>;
}

/// Facts about an opened source, for messages.
#[derive(Clone, Debug, Default)]
pub struct SourceInfo {
    pub delimiter: Option<u8>,
    pub sniffed: bool,
    pub sheet: Option<String>,
    pub encoding: Option<&'static str>,
}

/// The first bytes are read whole to recognise the file; large enough for
/// the header area of any export, small enough not to matter.
const PREFIX: usize = 64 * 1024;

/// The longest row read, in bytes of text (all fields together): about a
/// thousand lines of pasted e-mail in a dispute note, far beyond any
/// export's row. Longer rows are a damaged file, a lost closing quote or a
/// wrong delimiter, and reading them whole would take memory and time
/// with nothing to show for it. In the README's limits.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// The most fields a row may have: Excel's column limit, 16,384.
pub const MAX_FIELDS: usize = 16_384;

/// A workbook may unpack to at most this many times its size plus
/// [`UNPACK_ALLOWANCE`]: worksheets compress 5 to 20 times, a zip bomb
/// (a gigabyte of whitespace in a megabyte) about a thousand.
pub const MAX_UNPACK_RATIO: u64 = 100;
pub const UNPACK_ALLOWANCE: u64 = 64 << 20;

/// The input of a source: a file, or bytes (tests, fuzzing).
pub enum Input<'a> {
    Path(&'a Path),
    Bytes(&'a [u8]),
}

/// Opens `input` as `spec` says and hands the records to `read`. The
/// workbook (for xlsx) lives on this function's stack, because calamine's
/// cell reader borrows it.
pub fn with_records<R>(
    path: &Path,
    input: Input<'_>,
    spec: &SourceSpec,
    read: impl FnOnce(&mut dyn Records, &SourceInfo) -> R,
) -> Result<R, Problem> {
    let format = match Format::of_extension(path) {
        Some(f) if !spec.format_set => f,
        _ => spec.format,
    };
    match format {
        Format::Csv => {
            let (mut records, info) = open_csv(path, input, spec)?;
            Ok(read(&mut records, &info))
        }
        Format::Xlsx => with_xlsx(path, input, spec, read),
        Format::Xls => with_sheet(path, input, spec, WorkbookKind::Xls, read),
        Format::Ods => with_sheet(path, input, spec, WorkbookKind::Ods, read),
    }
}

// ----- CSV ------------------------------------------------------------------

struct CsvRecords<'a> {
    reader: csv::Reader<Box<dyn Read + 'a>>,
    path: &'a Path,
    done: bool,
    budget: std::rc::Rc<RowBudget>,
}

/// How far the CSV parser has read past the start of the row it is on:
/// shared by the records (which set the start) and the stream under the
/// parser (which refuses to hand out more than [`MAX_ROW_BYTES`] of one
/// row, so a 200 MB "row" stops at a megabyte, not in the parser's
/// buffer).
#[derive(Default)]
struct RowBudget {
    delivered: std::cell::Cell<u64>,
    row_start: std::cell::Cell<u64>,
    exceeded: std::cell::Cell<bool>,
    lines: std::cell::RefCell<LineIndex>,
}

/// Line numbers counted from the bytes themselves. The `csv` crate's
/// positions are a line short after a CRLF (its record starts at the LF
/// it has not counted yet; rust-csv issue 395) and name a blank line
/// instead of the record after it (issue 208), so every row of a Windows
/// export was reported one line early (found by
/// `prop_tests::input_total_is_the_files_own_sum`).
#[derive(Default)]
struct LineIndex {
    /// Offsets of the CR and LF bytes not yet passed, and whether each
    /// ends a line (the LF of a CRLF does not: its CR did).
    breaks: std::collections::VecDeque<(u64, bool)>,
    /// Line ends before the first of `breaks`.
    passed: u64,
    last_cr: bool,
}

impl LineIndex {
    fn scan(&mut self, base: u64, bytes: &[u8]) {
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\r' => self.breaks.push_back((base + i as u64, true)),
                b'\n' => self.breaks.push_back((base + i as u64, !self.last_cr)),
                _ => {}
            }
            self.last_cr = b == b'\r';
        }
    }

    /// The line of the first byte at or after `start` that is not a line
    /// break (where a record starting at `start` begins). `start`s must
    /// not decrease from call to call.
    fn line_at(&mut self, start: u64) -> u64 {
        let mut at = start;
        while let Some(&(offset, ends)) = self.breaks.front() {
            if offset > at {
                break;
            }
            if offset == at {
                at += 1;
            }
            self.passed += u64::from(ends);
            self.breaks.pop_front();
        }
        self.passed + 1
    }
}

struct Budgeted<R> {
    inner: R,
    budget: std::rc::Rc<RowBudget>,
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let b = &self.budget;
        // The parser reads ahead a buffer's worth; the limit allows for it.
        let used = b.delivered.get() - b.row_start.get();
        if used > (MAX_ROW_BYTES + PREFIX) as u64 {
            b.exceeded.set(true);
            return Err(io::Error::other("row too long"));
        }
        let n = self.inner.read(buf)?;
        b.lines.borrow_mut().scan(b.delivered.get(), &buf[..n]);
        b.delivered.set(b.delivered.get() + n as u64);
        Ok(n)
    }
}

impl Records for CsvRecords<'_> {
    fn read(&mut self, record: &mut Record) -> Result<bool, Problem> {
        if self.done {
            return Ok(false);
        }
        let start = self.reader.position().clone();
        self.budget.row_start.set(start.byte());
        let result = self.reader.read_byte_record(&mut record.fields);
        let too_long = self.budget.exceeded.get()
            || (result.is_ok() && record.fields.as_slice().len() > MAX_ROW_BYTES);
        if too_long {
            // The rest of the file cannot be split reliably after a row
            // that long (most often a quote that never closes).
            self.done = true;
            return Err(Problem::file(
                self.path,
                Kind::Unreadable,
                format!(
                    "row is longer than {} MiB, the most a row may hold (a quote that never closes, a wrong delimiter or a damaged export?); the file is not read past it",
                    MAX_ROW_BYTES >> 20
                ),
            )
            .at_line(self.budget.lines.borrow_mut().line_at(start.byte())));
        }
        let line = self.budget.lines.borrow_mut().line_at(start.byte());
        match result {
            Ok(more) => {
                record.line = line;
                if record.fields.len() > MAX_FIELDS {
                    let fields = record.fields.len();
                    record.fields.clear();
                    return Err(Problem::file(
                        self.path,
                        Kind::Row,
                        format!(
                            "row has {fields} fields, more than the {MAX_FIELDS} a row may have (Excel's column limit)"
                        ),
                    )
                    .at_line(record.line.max(1)));
                }
                Ok(more)
            }
            Err(e) => {
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                self.done |= io;
                let message = if io {
                    format!("cannot read the file further: {e}")
                } else {
                    format!("unreadable CSV row: {e}")
                };
                let kind = if io { Kind::Unreadable } else { Kind::Row };
                Err(Problem::file(self.path, kind, message).at_line(line.max(1)))
            }
        }
    }
}

fn read_prefix(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(PREFIX);
    reader.take(PREFIX as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}

fn open_csv<'a>(
    path: &'a Path,
    input: Input<'a>,
    spec: &SourceSpec,
) -> Result<(CsvRecords<'a>, SourceInfo), Problem> {
    let unreadable =
        |e: io::Error| Problem::file(path, Kind::Unreadable, format!("cannot read: {e}"));
    let mut raw: Box<dyn Read + 'a> = match input {
        Input::Path(p) => Box::new(
            File::open(p)
                .map_err(|e| Problem::file(path, Kind::Unreadable, format!("cannot open: {e}")))?,
        ),
        Input::Bytes(b) => Box::new(b),
    };
    let prefix = read_prefix(&mut raw).map_err(unreadable)?;
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Problem::file(
            path,
            Kind::Empty,
            "file is empty: expected a CSV export with a header row",
        )
        .at_line(1));
    }
    let encoding = match prefix.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8,
        [0xFF, 0xFE, ..] => Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => {
            return Err(Problem::file(
                path,
                Kind::NotText,
                "file is UTF-16 big-endian: expected UTF-8, UTF-16LE (Excel's \"Unicode text\") or Windows-1252",
            ))
        }
        _ => spec.encoding,
    };
    not_text(&prefix, encoding).map_err(|m| Problem::file(path, Kind::NotText, m))?;
    let (text, prefix): (Box<dyn Read + 'a>, Vec<u8>) = match encoding {
        Encoding::Utf8 => {
            // The fast path: bytes go to the CSV parser as they are; fields
            // are checked for UTF-8 when read.
            let mut prefix = prefix;
            if prefix.starts_with(b"\xEF\xBB\xBF") {
                prefix.drain(..3);
            }
            (raw, prefix)
        }
        Encoding::Utf16Le => decoded(raw, prefix, encoding_rs::UTF_16LE).map_err(unreadable)?,
        Encoding::Windows1252 => {
            decoded(raw, prefix, encoding_rs::WINDOWS_1252).map_err(unreadable)?
        }
    };
    let (delimiter, sniffed) = match spec.delimiter {
        Some(d) => (d, false),
        None => (sniff_delimiter(&prefix), true),
    };
    let budget = std::rc::Rc::new(RowBudget::default());
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(PREFIX)
        .from_reader(Box::new(Budgeted {
            inner: Cursor::new(prefix).chain(text),
            budget: budget.clone(),
        }) as Box<dyn Read + 'a>);
    Ok((
        CsvRecords {
            reader,
            path,
            done: false,
            budget,
        },
        SourceInfo {
            delimiter: Some(delimiter),
            sniffed,
            sheet: None,
            encoding: Some(encoding.name()),
        },
    ))
}

fn decoded<'a>(
    raw: Box<dyn Read + 'a>,
    prefix: Vec<u8>,
    encoding: &'static encoding_rs::Encoding,
) -> io::Result<(Box<dyn Read + 'a>, Vec<u8>)> {
    let mut reader = DecodeReader::new(Cursor::new(prefix).chain(raw), encoding);
    let prefix = read_prefix(&mut reader)?;
    Ok((Box::new(reader), prefix))
}

/// Explains files that are not text in the expected encoding.
fn not_text(prefix: &[u8], encoding: Encoding) -> Result<(), String> {
    let known = [
        (&b"PK\x03\x04"[..], "file is a zip archive such as an Excel workbook, not CSV text: expected a CSV export (for .xlsx workbooks set format = \"xlsx\" in the [import] section)"),
        (&b"\xD0\xCF\x11\xE0"[..], "file is a legacy Excel workbook (.xls), not CSV text: expected a CSV export (name the file .xls, or set format = \"xls\" in the [import] section, to read it as a workbook)"),
        (&b"%PDF"[..], "file is a PDF document, not CSV text: expected a CSV export"),
        (&b"\x1F\x8B"[..], "file is a gzip archive, not CSV text: expected a CSV export (unpack it first)"),
    ];
    for (magic, message) in known {
        if prefix.starts_with(magic) {
            return Err(message.to_string());
        }
    }
    if encoding == Encoding::Utf16Le {
        return Ok(());
    }
    let nuls = prefix.iter().filter(|b| **b == 0).count();
    if nuls > 0 {
        let odd_nuls = prefix
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        let hint = if odd_nuls * 10 >= prefix.len() / 2 * 9 {
            " (it looks like UTF-16 without a byte-order mark; set encoding = \"utf-16le\")"
        } else {
            ""
        };
        return Err(format!(
            "file holds binary data (NUL bytes){hint}: expected a CSV text export"
        ));
    }
    Ok(())
}

/// Picks the delimiter that splits the most lines into the same number of
/// fields (quotes respected). Title lines above the header have no
/// delimiters and do not vote; decimal commas in a semicolon file vary
/// per line or miss the header, so the semicolon wins.
fn sniff_delimiter(prefix: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut best = (0usize, 0usize, b',');
    for &d in &CANDIDATES {
        let mut counts: Vec<usize> = Vec::new();
        let mut in_quotes = false;
        let mut count = 0;
        for &b in prefix {
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' if !in_quotes => {
                    counts.push(count);
                    count = 0;
                    if counts.len() == 100 {
                        break;
                    }
                }
                _ if b == d && !in_quotes => count += 1,
                _ => {}
            }
        }
        if counts.is_empty() {
            counts.push(count);
        }
        let mut freq: std::collections::HashMap<usize, usize> = Default::default();
        for c in counts.into_iter().filter(|c| *c > 0) {
            *freq.entry(c).or_default() += 1;
        }
        if let Some((&fields, &lines)) = freq.iter().max_by_key(|(f, l)| (**l, **f)) {
            if (lines, fields) > (best.0, best.1) {
                best = (lines, fields, d);
            }
        }
    }
    best.2
}

/// Transcodes a byte stream to UTF-8 as it is read (BOM removed).
/// Undecodable sequences become U+FFFD, which the row checks then show in
/// context.
struct DecodeReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    finished: bool,
}

impl<R: Read> DecodeReader<R> {
    fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder(),
            input: vec![0; 16 * 1024],
            in_start: 0,
            in_end: 0,
            output: vec![0; 48 * 1024],
            out_start: 0,
            out_end: 0,
            eof: false,
            finished: false,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out_end {
            if self.finished {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.finished = true;
            }
        }
        let n = out.len().min(self.out_end - self.out_start);
        out[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

// ----- xlsx -------------------------------------------------------------------

fn with_xlsx<R>(
    path: &Path,
    input: Input<'_>,
    spec: &SourceSpec,
    read: impl FnOnce(&mut dyn Records, &SourceInfo) -> R,
) -> Result<R, Problem> {
    use calamine::{Reader, Xlsx};
    let not_xlsx = |why: String| {
        Problem::file(
            path,
            Kind::NotText,
            format!("expected an Excel workbook (.xlsx): {why}"),
        )
    };
    let bytes: Box<dyn ReadSeek + '_> =
        match input {
            Input::Path(p) => Box::new(io::BufReader::new(File::open(p).map_err(|e| {
                Problem::file(path, Kind::Unreadable, format!("cannot open: {e}"))
            })?)),
            Input::Bytes(b) => Box::new(Cursor::new(b)),
        };
    let mut bytes = bytes;
    let mut magic = [0u8; 4];
    let n = read_up_to(&mut bytes, &mut magic)
        .map_err(|e| Problem::file(path, Kind::Unreadable, format!("cannot read: {e}")))?;
    if n == 0 {
        return Err(Problem::file(
            path,
            Kind::Empty,
            "file is empty: expected an Excel workbook (.xlsx)",
        ));
    }
    if &magic[..n] != b"PK\x03\x04" {
        let what = if magic[..n].iter().all(|b| b.is_ascii() && *b != 0) {
            "the file is text (a CSV export? set format = \"csv\")"
        } else {
            "the file is not a zip archive"
        };
        return Err(not_xlsx(what.into()));
    }
    unpacked_size_within_bounds(path, &mut bytes)?;
    bytes
        .seek(io::SeekFrom::Start(0))
        .map_err(|e| Problem::file(path, Kind::Unreadable, format!("cannot read: {e}")))?;
    // A damaged workbook must not take the whole run down, whatever the
    // reader does with it.
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Xlsx::new(bytes)));
    let mut workbook: Xlsx<_> = match opened {
        Ok(Ok(w)) => w,
        Ok(Err(e)) => return Err(not_xlsx(one_line(&e.to_string()))),
        Err(_) => return Err(not_xlsx("the workbook is damaged".into())),
    };
    let names = workbook.sheet_names();
    let sheet = pick_sheet(path, &names, spec.sheet.as_deref())?;
    let cells = workbook.worksheet_cells_reader(&sheet).map_err(|e| {
        Problem::file(
            path,
            Kind::NotText,
            format!("cannot read sheet {sheet:?}: {}", one_line(&e.to_string())),
        )
    })?;
    let mut records = XlsxRecords {
        cells,
        pending: None,
        path,
        sheet: std::sync::Arc::from(sheet.as_str()),
        done: false,
        skip_row: None,
    };
    let info = SourceInfo {
        delimiter: None,
        sniffed: false,
        sheet: Some(sheet.clone()),
        encoding: None,
    };
    let path_for_panic = path.to_path_buf();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        read(&mut records, &info)
    }))
    .map_err(|_| {
        Problem::file(
            &path_for_panic,
            Kind::NotText,
            format!("expected an Excel workbook (.xlsx): sheet {sheet:?} is damaged"),
        )
    })
}

/// The sheet to read: the one named (exactly, else ignoring case), or the
/// first.
pub(crate) fn pick_sheet(
    path: &Path,
    names: &[String],
    wanted: Option<&str>,
) -> Result<String, Problem> {
    match wanted {
        Some(wanted) => names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .cloned()
            .ok_or_else(|| {
                Problem::file(
                    path,
                    Kind::Sheet,
                    format!(
                        "workbook has no sheet {wanted:?}: expected one of {}",
                        names
                            .iter()
                            .map(|n| format!("{n:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }),
        None => names.first().cloned().ok_or_else(|| {
            Problem::file(
                path,
                Kind::Sheet,
                "workbook has no sheets: expected at least one",
            )
        }),
    }
}

/// Refuses a workbook whose parts would unpack to more than
/// [`MAX_UNPACK_RATIO`] times the file's size plus [`UNPACK_ALLOWANCE`],
/// from the sizes its zip directory declares, before anything is unpacked.
/// The zip reader stops any part at its declared size, so the check holds
/// whatever the parts really contain. An archive the zip reader cannot
/// list is left to the workbook reader, which explains it.
pub(crate) fn unpacked_size_within_bounds(
    path: &Path,
    bytes: &mut dyn ReadSeek,
) -> Result<(), Problem> {
    let unreadable =
        |e: io::Error| Problem::file(path, Kind::Unreadable, format!("cannot read: {e}"));
    let size = bytes.seek(io::SeekFrom::End(0)).map_err(unreadable)?;
    bytes.seek(io::SeekFrom::Start(0)).map_err(unreadable)?;
    let Ok(archive) = zip::ZipArchive::new(&mut *bytes) else {
        return Ok(());
    };
    let meta = archive.metadata();
    let mut total: u128 = 0;
    let mut largest: (u64, String) = (0, String::new());
    for i in 0..meta.len() {
        let Ok(entry) = meta.entry(i) else { continue };
        let unpacked = entry.size();
        total += u128::from(unpacked);
        if unpacked > largest.0 {
            let name = entry
                .name()
                .map_or_else(|_| "?".to_string(), |n| n.into_owned());
            largest = (unpacked, name);
        }
    }
    let limit = u128::from(size) * u128::from(MAX_UNPACK_RATIO) + u128::from(UNPACK_ALLOWANCE);
    if total > limit {
        return Err(Problem::file(
            path,
            Kind::NotText,
            format!(
                "expected an Excel workbook (.xlsx): the workbook would unpack to {} from {} ({} alone is {}), more than the {} times its size plus {} MiB arsite reads (a damaged file or a zip bomb?)",
                mib(total),
                mib(u128::from(size)),
                largest.1,
                mib(u128::from(largest.0)),
                MAX_UNPACK_RATIO,
                UNPACK_ALLOWANCE >> 20
            ),
        ));
    }
    Ok(())
}

/// A size for messages: KiB below a MiB, MiB to a tenth above.
pub(crate) fn mib(bytes: u128) -> String {
    if bytes < 1 << 20 {
        return format!("{} KiB", bytes.div_ceil(1 << 10));
    }
    let tenths = bytes * 10 / (1 << 20);
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

pub(crate) trait ReadSeek: Read + io::Seek {}
impl<T: Read + io::Seek> ReadSeek for T {}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct XlsxRecords<'a, RS: Read + io::Seek> {
    cells: calamine::XlsxCellReader<'a, RS>,
    pending: Option<calamine::Cell<calamine::DataRef<'a>>>,
    path: &'a Path,
    sheet: std::sync::Arc<str>,
    done: bool,
    /// A row found too long: its remaining cells are passed over.
    skip_row: Option<u32>,
}

/// Worksheets are at most 16,384 columns wide; a cell further right is a
/// damaged file, not data.
const MAX_COLUMNS: u32 = 16_384;

/// The widest a worksheet row is read: 1,024 columns (A … AMJ). A value
/// in column XFD costs a few bytes in the zip but would make the row
/// 16,384 fields, so two million such rows took 78 s; ERP exports have
/// tens of columns. A row with a value further right is rejected, naming
/// the cell, and reading goes on.
pub const MAX_SHEET_COLUMNS: u32 = 1_024;

impl<RS: Read + io::Seek> XlsxRecords<'_, RS> {
    /// The problem of a row rejected at cell `(row, col)` (from 0): its
    /// remaining cells are passed over and reading goes on with the next.
    fn reject_row(&mut self, record: &mut Record, (r, c): (u32, u32), message: String) -> Problem {
        self.skip_row = Some(r);
        let mut p = Problem::file(self.path, Kind::Row, message);
        p.sheet = Some(self.sheet.clone());
        p.line = u64::from(r) + 1;
        p.column = Some(c as usize + 1);
        record.fields.clear();
        record.cells.clear();
        p
    }
}

impl<RS: Read + io::Seek> Records for XlsxRecords<'_, RS> {
    fn read(&mut self, record: &mut Record) -> Result<bool, Problem> {
        record.fields.clear();
        record.cells.clear();
        let mut row: Option<u32> = None;
        loop {
            let cell = match self.pending.take() {
                Some(c) => Some(c),
                None if self.done => None,
                None => match self.cells.next_cell() {
                    Ok(c) => c,
                    Err(e) => {
                        self.done = true;
                        let mut p = Problem::file(
                            self.path,
                            Kind::Unreadable,
                            format!(
                                "the sheet's data is damaged and cannot be read past this row: {}",
                                one_line(&e.to_string())
                            ),
                        );
                        p.sheet = Some(self.sheet.clone());
                        p.line = row.map_or(0, |r| u64::from(r) + 1);
                        return Err(p);
                    }
                },
            };
            let Some(cell) = cell else {
                self.done = true;
                return Ok(row.is_some());
            };
            let (r, c) = cell.get_position();
            if self.skip_row == Some(r) {
                continue;
            }
            match row {
                None => {
                    row = Some(r);
                    record.line = u64::from(r) + 1;
                }
                Some(current) if current != r => {
                    self.pending = Some(cell);
                    return Ok(true);
                }
                Some(_) => {}
            }
            // Cells right of the worksheet's columns are damage, not data;
            // empty cells (formatting only) add nothing, and padding the
            // row out to one in column XFD cost 16,384 fields a row.
            if c >= MAX_COLUMNS || matches!(cell.get_value(), calamine::DataRef::Empty) {
                continue;
            }
            if c >= MAX_SHEET_COLUMNS {
                return Err(self.reject_row(
                    record,
                    (r, c),
                    format!(
                        "cell {} holds a value beyond column {}, the widest a sheet's rows are read ({MAX_SHEET_COLUMNS} columns)",
                        cell_name(r, c),
                        column_name(MAX_SHEET_COLUMNS - 1),
                    ),
                ));
            }
            while record.fields.len() < c as usize {
                record.fields.push_field(b"");
                record.cells.push(Cell::Text);
            }
            if record.fields.len() > c as usize {
                // A repeated column: keep the first value.
                continue;
            }
            let (text, kind) = cell_text(cell.get_value());
            if record.fields.as_slice().len() + text.len() > MAX_ROW_BYTES {
                return Err(self.reject_row(
                    record,
                    (r, c),
                    format!(
                        "cell {} makes the row longer than {} MiB, the most a row may hold (the cell holds {})",
                        cell_name(r, c),
                        MAX_ROW_BYTES >> 20,
                        mib(text.len() as u128)
                    ),
                ));
            }
            record.fields.push_field(text.as_bytes());
            record.cells.push(kind);
        }
    }
}

/// A cell's name as Excel shows it (row and column from 0): `A1`, `XFD9`.
pub(crate) fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// A column's letters as Excel shows them (from 0): `A`, `AMJ`, `XFD`.
pub(crate) fn column_name(col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

pub(crate) fn cell_text(value: &calamine::DataRef<'_>) -> (String, Cell) {
    use calamine::DataRef;
    match value {
        DataRef::Empty => (String::new(), Cell::Text),
        DataRef::String(s) => (s.clone(), Cell::Text),
        DataRef::SharedString(s) => (s.to_string(), Cell::Text),
        DataRef::Int(i) => (i.to_string(), Cell::Number),
        DataRef::Float(f) => match float_text(*f) {
            Some(t) => (t, Cell::Number),
            None => (f.to_string(), Cell::Error),
        },
        DataRef::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), Cell::Text),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match Day::from_ymd(i32::from(y), u32::from(m), u32::from(d)) {
                Some(day) => (day.to_string(), Cell::Date(day)),
                None => (format!("{}", dt.as_f64()), Cell::Error),
            }
        }
        DataRef::DateTime(dt) => (float_text(dt.as_f64()).unwrap_or_default(), Cell::Number),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.clone(), Cell::Text),
        DataRef::Error(e) => (format!("#{e:?}"), Cell::Error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_delimiter_past_title_lines() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(
            sniff_delimiter(b"Report title\n\nA;B;C;D\n1,5;2,25;x;y\n3;4;5;6\n"),
            b';'
        );
        assert_eq!(sniff_delimiter(b"a\tb\n\"x,y,z\"\t2\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n"), b'|');
        assert_eq!(sniff_delimiter(b"single\ncolumn\n"), b',');
    }

    #[test]
    fn decodes_utf16_and_windows_1252() {
        let text = "name;amount\nMüller GmbH;1,5\n";
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let (w1252, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        for (bytes, encoding) in [
            (utf16, Encoding::Utf8),
            (w1252.into_owned(), Encoding::Windows1252),
        ] {
            let spec = SourceSpec {
                format: Format::Csv,
                encoding,
                delimiter: None,
                sheet: None,
                format_set: false,
            };
            let rows = with_records(
                Path::new("t.csv"),
                Input::Bytes(&bytes),
                &spec,
                |r, info| {
                    assert_eq!(info.delimiter, Some(b';'));
                    let mut rec = Record::default();
                    let mut out = Vec::new();
                    while r.read(&mut rec).unwrap() {
                        out.push(
                            rec.fields
                                .iter()
                                .map(|f| String::from_utf8(f.to_vec()).unwrap())
                                .collect::<Vec<_>>(),
                        );
                    }
                    out
                },
            )
            .unwrap();
            assert_eq!(rows[1], vec!["Müller GmbH", "1,5"]);
        }
    }

    #[test]
    fn tiny_reads_through_the_decoder() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("äöü€x");
        let mut r = DecodeReader::new(&bytes[..], encoding_rs::WINDOWS_1252);
        r.input = vec![0; 1];
        let mut out = Vec::new();
        let mut buf = [0u8; 1];
        while r.read(&mut buf).unwrap() == 1 {
            out.push(buf[0]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), "äöü€x");
    }

    /// Every record of `bytes` read as `spec`: fields as text, or the problem.
    fn read_all(bytes: &[u8], spec: &SourceSpec) -> Vec<Result<Vec<String>, Problem>> {
        with_records(Path::new("t"), Input::Bytes(bytes), spec, |r, _| {
            let mut rec = Record::default();
            let mut out = Vec::new();
            loop {
                match r.read(&mut rec) {
                    Ok(false) => break,
                    Ok(true) => out.push(Ok(rec
                        .fields
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect())),
                    Err(p) => out.push(Err(p)),
                }
            }
            out
        })
        .unwrap()
    }

    /// The line of every record, whatever ends the lines: LF, CRLF (the
    /// csv crate counts one short after it), a lone CR; blank lines
    /// between records and line breaks inside quotes counted.
    #[test]
    fn csv_lines_are_counted_from_the_bytes() {
        let lines = |bytes: &[u8]| -> Vec<u64> {
            with_records(
                Path::new("t"),
                Input::Bytes(bytes),
                &SourceSpec::canonical(),
                |r, _| {
                    let mut rec = Record::default();
                    let mut out = Vec::new();
                    while let Ok(true) = r.read(&mut rec) {
                        out.push(rec.line);
                    }
                    out
                },
            )
            .unwrap()
        };
        // Lines: 1 header, 2 a, 3 blank, 4 b, 5–6 "c⏎d", 7 e.
        for eol in ["\n", "\r\n", "\r"] {
            let text = ["id,x", "a,1", "", "b,2", "\"c", "d\",3", "e,4"].join(eol);
            assert_eq!(lines(text.as_bytes()), [1, 2, 4, 5, 7], "{eol:?}");
        }
    }

    #[test]
    fn a_csv_row_over_the_limit_stops_the_file_with_its_line() {
        // A 2 MB header row (one field, no delimiter): over the 1 MiB limit.
        let mut csv = b"title line\n".to_vec();
        csv.extend(std::iter::repeat_n(b'x', 2_000_000));
        csv.extend_from_slice(b",amount\nA,1\n");
        let started = std::time::Instant::now();
        let rows = read_all(&csv, &SourceSpec::canonical());
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(rows.len(), 2, "the title, then the problem; nothing after");
        let p = rows[1].as_ref().unwrap_err();
        assert_eq!((p.kind, p.line), (Kind::Unreadable, 2));
        assert!(p.message.contains("longer than 1 MiB"), "{}", p.message);
        // The same inside quotes that never close.
        let mut quoted = b"id,amount\n\"".to_vec();
        quoted.extend(std::iter::repeat_n(b'y', 3_000_000));
        let rows = read_all(&quoted, &SourceSpec::canonical());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].as_ref().unwrap_err().line, 2);
    }

    #[test]
    fn a_csv_row_with_too_many_fields_is_refused_and_reading_goes_on() {
        let mut csv = b"id,amount\n".to_vec();
        csv.extend(std::iter::repeat_n(b',', 20_000));
        csv.extend_from_slice(b"\nA,1\n");
        let rows = read_all(&csv, &SourceSpec::canonical());
        let p = rows[1].as_ref().unwrap_err();
        assert_eq!((p.kind, p.line), (Kind::Row, 2));
        assert!(p.message.contains("20001 fields"), "{}", p.message);
        assert_eq!(rows[2].as_ref().unwrap(), &vec!["A", "1"]);
    }

    fn xlsx_spec() -> SourceSpec {
        SourceSpec {
            format: Format::Xlsx,
            format_set: true,
            ..SourceSpec::canonical()
        }
    }

    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, c, text) in cells {
            ws.write_string(*r, *c, *text).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn an_xlsx_cell_over_the_row_limit_is_named_and_the_row_skipped() {
        // Row 2: "A", then 60 cells of 30,000 characters (Excel's cells
        // hold at most 32,767). Before column j (B = 1) the row holds
        // 1 + 30,000 × (j − 1) bytes; adding one more passes 1,048,576 when
        // 30,000 × j > 1,048,575, i.e. at j = 35: column AJ (the 36th).
        let long = "z".repeat(30_000);
        let mut cells = vec![(0, 0, "id"), (0, 1, "note"), (1, 0, "A")];
        cells.extend((1..=60).map(|c| (1, c, long.as_str())));
        cells.extend([(2, 0, "B"), (2, 1, "short")]);
        let bytes = workbook(&cells);
        let started = std::time::Instant::now();
        let rows = read_all(&bytes, &xlsx_spec());
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(rows.len(), 3);
        let p = rows[1].as_ref().unwrap_err();
        assert_eq!((p.kind, p.line, p.column), (Kind::Row, 2, Some(36)));
        assert!(p.message.contains("cell AJ2"), "{}", p.message);
        assert_eq!(rows[2].as_ref().unwrap(), &vec!["B", "short"]);
    }

    #[test]
    fn a_value_beyond_the_read_columns_rejects_its_row_only() {
        // Row 2 has a value in column XFD (the 16,384th, index 16,383):
        // rejected, named, and never padded out to 16,384 fields; row 3
        // is read as usual. Column AMJ (index 1,023) is still read.
        let cells = [
            (0, 0, "id"),
            (0, 1, "note"),
            (1, 0, "A"),
            (1, 16_383, "far"),
            (2, 0, "B"),
            (2, 1, "short"),
            (3, 0, "C"),
            (3, 1_023, "edge"),
        ];
        let bytes = workbook(&cells);
        let rows = read_all(&bytes, &xlsx_spec());
        assert_eq!(rows.len(), 4);
        let p = rows[1].as_ref().unwrap_err();
        assert_eq!((p.kind, p.line, p.column), (Kind::Row, 2, Some(16_384)));
        assert!(
            p.message.contains("cell XFD2") && p.message.contains("beyond column AMJ"),
            "{}",
            p.message
        );
        assert_eq!(rows[2].as_ref().unwrap(), &vec!["B", "short"]);
        let edge = rows[3].as_ref().unwrap();
        assert_eq!((edge.len(), edge[1_023].as_str()), (1_024, "edge"));
        assert_eq!(column_name(MAX_SHEET_COLUMNS - 1), "AMJ");
    }

    #[test]
    fn an_xlsx_that_would_unpack_far_beyond_its_size_is_refused_unread() {
        let mut bytes = workbook(&[(0, 0, "id"), (1, 0, "A")]);
        // Declare the sheet's part as 4 GiB in the zip directory, as a zip
        // bomb of whitespace would (its real data never gets unpacked).
        let sheet = b"xl/worksheets/sheet1.xml";
        let at = (0..bytes.len() - 46)
            .find(|&i| bytes[i..].starts_with(b"PK\x01\x02") && bytes[i + 46..].starts_with(sheet))
            .expect("the sheet's directory entry");
        bytes[at + 24..at + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let started = std::time::Instant::now();
        let err = with_records(
            Path::new("t.xlsx"),
            Input::Bytes(&bytes),
            &xlsx_spec(),
            |_, _| (),
        )
        .unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(err.kind, Kind::NotText);
        assert!(err.message.contains("zip bomb"), "{}", err.message);
        assert!(
            err.message
                .contains("xl/worksheets/sheet1.xml alone is 4095.9 MiB"),
            "{}",
            err.message
        );
        // The unchanged workbook reads.
        let ok = workbook(&[(0, 0, "id"), (1, 0, "A")]);
        assert_eq!(read_all(&ok, &xlsx_spec()).len(), 2);
    }

    #[test]
    fn formatted_empty_cells_far_right_add_no_fields() {
        // Rows with an id in A and a formatted, empty cell in XFD (as a
        // formatted column leaves them): the record is the id alone, not
        // the id and 16,383 empty fields.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let format = rust_xlsxwriter::Format::new().set_bold();
        for r in 0..200 {
            ws.write_string(r, 0, format!("I{r}")).unwrap();
            ws.write_blank(r, 16_383, &format).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let rows = read_all(&bytes, &xlsx_spec());
        assert_eq!(rows.len(), 200);
        for (r, row) in rows.iter().enumerate() {
            assert_eq!(row.as_ref().unwrap(), &vec![format!("I{r}")]);
        }
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 25), "Z12");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(8, 16_383), "XFD9");
    }

    #[test]
    fn explains_files_that_are_not_csv() {
        let spec = SourceSpec {
            delimiter: None,
            ..SourceSpec::canonical()
        };
        let err = |bytes: &[u8]| {
            with_records(Path::new("t.csv"), Input::Bytes(bytes), &spec, |_, _| ())
                .unwrap_err()
                .message
        };
        assert!(err(b"PK\x03\x04rest").contains("set format = \"xlsx\""));
        assert!(err(b"\x00\x01\x02garbage").contains("binary data"));
        assert!(err(b"a\x00b\x00c\x00").contains("utf-16le"));
        assert!(err(b"").contains("file is empty"));
        assert!(err(b"%PDF-1.4").contains("PDF"));
    }
}
