//! `.xls` (Excel 97-2003, BIFF) and `.ods` (OpenDocument) workbooks, read
//! through calamine (issue 14, item 9). NetSuite's and SAP GUI's
//! "spreadsheet" downloads are often `.xls`; LibreOffice saves `.ods`.
//!
//! Unlike xlsx, calamine has no cell-by-cell reader for these: it builds
//! each sheet as one rectangle of cells, as large as the area between its
//! first and last cell. A file of a few hundred bytes can name a cell at
//! row 65,536 and column 256 (or, in ods, repeat one cell a million times)
//! and so ask for gigabytes. Each file is therefore measured before
//! calamine opens it, without unpacking anything big:
//!
//! * the bytes: at most [`MAX_WORKBOOK_BYTES`];
//! * ods (a zip): the unpacked-size cap of xlsx ([`super::source`]'s
//!   zip-bomb check);
//! * the cells the sheets' rectangles would hold, from the positions the
//!   file declares (xls: its cell and DIMENSIONS records; ods: rows,
//!   cells and their repeat counts): at most [`MAX_WORKBOOK_CELLS`] over
//!   all sheets, since calamine builds every sheet when it opens an xls.
//!
//! Rows are then handed out as from xlsx, with the same limits: values
//! beyond column [`super::source::MAX_SHEET_COLUMNS`] and rows over
//! [`super::source::MAX_ROW_BYTES`] reject their row.

use super::problem::{Kind, Problem};
use super::source::{
    cell_name, cell_text, column_name, mib, unpacked_size_within_bounds, Cell, Input, Record,
    Records, SourceInfo, SourceSpec, MAX_ROW_BYTES, MAX_SHEET_COLUMNS,
};
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::Arc;

/// The largest xls or ods file read: 64 MiB (an xls sheet holds at most
/// 65,536 rows; a full one of 30 columns is about 20 MiB).
pub const MAX_WORKBOOK_BYTES: u64 = 64 << 20;

/// The most cells the sheets of one xls or ods workbook may span:
/// 2^22 = 4,194,304, i.e. 65,536 rows (all an xls sheet has) of 64
/// columns. calamine holds each as a 32-byte value, so about 128 MiB.
pub const MAX_WORKBOOK_CELLS: u64 = 1 << 22;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind2 {
    Xls,
    Ods,
}

impl Kind2 {
    fn name(self) -> &'static str {
        match self {
            Kind2::Xls => "an Excel 97-2003 workbook (.xls)",
            Kind2::Ods => "an OpenDocument spreadsheet (.ods)",
        }
    }
}

/// Opens an xls or ods workbook and hands its sheet's rows to `read`.
pub fn with_sheet<R>(
    path: &Path,
    input: Input<'_>,
    spec: &SourceSpec,
    kind: Kind2,
    read: impl FnOnce(&mut dyn Records, &SourceInfo) -> R,
) -> Result<R, Problem> {
    use calamine::Reader;
    let not_it = |why: String| {
        Problem::file(
            path,
            Kind::NotText,
            format!("expected {}: {why}", kind.name()),
        )
    };
    let bytes: Vec<u8> = match input {
        Input::Bytes(b) => b.to_vec(),
        Input::Path(p) => {
            let file = std::fs::File::open(p)
                .map_err(|e| Problem::file(path, Kind::Unreadable, format!("cannot open: {e}")))?;
            let mut buf = Vec::new();
            file.take(MAX_WORKBOOK_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| Problem::file(path, Kind::Unreadable, format!("cannot read: {e}")))?;
            buf
        }
    };
    if bytes.is_empty() {
        return Err(Problem::file(
            path,
            Kind::Empty,
            format!("file is empty: expected {}", kind.name()),
        ));
    }
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(not_it(format!(
            "the file is larger than the {} MiB arsite reads of such a workbook (save it as .xlsx or CSV)",
            MAX_WORKBOOK_BYTES >> 20
        )));
    }
    let cells = match kind {
        Kind2::Xls => {
            if !bytes.starts_with(&CFB_MAGIC) {
                return Err(not_it(if bytes.starts_with(b"PK\x03\x04") {
                    "the file is a zip archive (an .xlsx or .ods saved as .xls? set format)".into()
                } else if bytes.iter().take(512).all(|b| b.is_ascii() && *b != 0) {
                    "the file is text (a CSV or HTML export saved as .xls? set format = \"csv\")"
                        .into()
                } else {
                    "the file is not an OLE compound document".into()
                }));
            }
            xls_cells(&bytes).map_err(|why| not_it(format!("the workbook is damaged ({why})")))?
        }
        Kind2::Ods => {
            if !bytes.starts_with(b"PK\x03\x04") {
                return Err(not_it("the file is not a zip archive".into()));
            }
            unpacked_size_within_bounds(path, &mut Cursor::new(&bytes[..]))?;
            ods_cells(&bytes).map_err(not_it)?
        }
    };
    if cells > MAX_WORKBOOK_CELLS {
        return Err(not_it(format!(
            "its sheets span {cells} cells, more than the {MAX_WORKBOOK_CELLS} arsite reads of such a workbook (65,536 rows of 64 columns; a damaged file, or save it as .xlsx)"
        )));
    }
    // A damaged workbook must not take the whole run down, whatever the
    // reader does with it.
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match kind {
        Kind2::Xls => calamine::Xls::new(Cursor::new(&bytes[..]))
            .map(calamine::Sheets::Xls)
            .map_err(|e| e.to_string()),
        Kind2::Ods => calamine::Ods::new(Cursor::new(&bytes[..]))
            .map(calamine::Sheets::Ods)
            .map_err(|e| e.to_string()),
    }));
    let mut workbook = match opened {
        Ok(Ok(w)) => w,
        Ok(Err(e)) => return Err(not_it(one_line(&e))),
        Err(_) => return Err(not_it("the workbook is damaged".into())),
    };
    let names = workbook.sheet_names();
    let sheet = super::source::pick_sheet(path, &names, spec.sheet.as_deref())?;
    let range = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        workbook.worksheet_range(&sheet)
    }))
    .map_err(|_| not_it(format!("sheet {sheet:?} is damaged")))?
    .map_err(|e| {
        not_it(format!(
            "cannot read sheet {sheet:?}: {}",
            one_line(&e.to_string())
        ))
    })?;
    let mut records = RangeRecords {
        range: &range,
        next: 0,
        path,
        sheet: Arc::from(sheet.as_str()),
    };
    let info = SourceInfo {
        delimiter: None,
        sniffed: false,
        sheet: Some(sheet.clone()),
        encoding: None,
    };
    Ok(read(&mut records, &info))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A sheet's rectangle, row by row.
struct RangeRecords<'a> {
    range: &'a calamine::Range<calamine::Data>,
    /// The next row, from the rectangle's top.
    next: usize,
    path: &'a Path,
    sheet: Arc<str>,
}

impl Records for RangeRecords<'_> {
    fn read(&mut self, record: &mut Record) -> Result<bool, Problem> {
        record.fields.clear();
        record.cells.clear();
        let Some((top, left)) = self.range.start() else {
            return Ok(false);
        };
        let Some(cells) = self.range.rows().nth(self.next) else {
            return Ok(false);
        };
        let r = top + self.next as u32;
        self.next += 1;
        record.line = u64::from(r) + 1;
        let last = cells
            .iter()
            .rposition(|c| !matches!(c, calamine::Data::Empty));
        let Some(last) = last else {
            return Ok(true);
        };
        for _ in 0..left {
            record.fields.push_field(b"");
            record.cells.push(Cell::Text);
        }
        for (i, value) in cells[..=last].iter().enumerate() {
            let c = left + i as u32;
            let reject = |message: String| {
                let mut p = Problem::file(self.path, Kind::Row, message);
                p.sheet = Some(self.sheet.clone());
                p.line = u64::from(r) + 1;
                p.column = Some(c as usize + 1);
                p
            };
            if c >= MAX_SHEET_COLUMNS {
                record.fields.clear();
                record.cells.clear();
                return Err(reject(format!(
                    "cell {} holds a value beyond column {}, the widest a sheet's rows are read ({MAX_SHEET_COLUMNS} columns)",
                    cell_name(r, c),
                    column_name(MAX_SHEET_COLUMNS - 1),
                )));
            }
            let (text, kind) = cell_text(&data_ref(value));
            if record.fields.as_slice().len() + text.len() > MAX_ROW_BYTES {
                record.fields.clear();
                record.cells.clear();
                return Err(reject(format!(
                    "cell {} makes the row longer than {} MiB, the most a row may hold (the cell holds {})",
                    cell_name(r, c),
                    MAX_ROW_BYTES >> 20,
                    mib(text.len() as u128)
                )));
            }
            record.fields.push_field(text.as_bytes());
            record.cells.push(kind);
        }
        Ok(true)
    }
}

fn data_ref(value: &calamine::Data) -> calamine::DataRef<'_> {
    use calamine::{Data, DataRef};
    match value {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

// ----- xls: measuring the sheets without calamine --------------------------

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The cells an xls workbook's sheets would span in calamine: its
/// Workbook stream is found in the compound file and its BIFF records
/// walked; per sheet (BOF … EOF), the rectangle of every cell record's
/// position and the area its DIMENSIONS record declares (calamine
/// reserves that much), summed.
fn xls_cells(file: &[u8]) -> Result<u64, String> {
    let stream = workbook_stream(file).ok_or("no readable Workbook stream")?;
    let mut total: u64 = 0;
    let mut area = Area::default();
    let mut at = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(&stream, at), u16_at(&stream, at + 2)) {
        let data = stream
            .get(at + 4..at + 4 + len as usize)
            .ok_or("a record runs past the stream's end")?;
        at += 4 + len as usize;
        match typ {
            0x0809 => {
                total = total.saturating_add(area.cells());
                area = Area::default();
            }
            // DIMENSIONS: BIFF8 (u32 rows, u16 columns) or BIFF5 (u16s).
            0x0200 => {
                let (rf, rl, cf, cl) = match data.len() {
                    10 => (
                        u32::from(u16_at(data, 0).unwrap_or(0)),
                        u32::from(u16_at(data, 2).unwrap_or(0)),
                        u32::from(u16_at(data, 4).unwrap_or(0)),
                        u32::from(u16_at(data, 6).unwrap_or(0)),
                    ),
                    14 | 16 => (
                        u32_at(data, 0).unwrap_or(0),
                        u32_at(data, 4).unwrap_or(0),
                        u32::from(u16_at(data, 8).unwrap_or(0)),
                        u32::from(u16_at(data, 10).unwrap_or(0)),
                    ),
                    _ => (0, 0, 0, 0),
                };
                // As calamine reads it: the last row and column exclusive,
                // a first column past 0xFF taken as 0; it then reserves
                // (last − first + 1) rows × columns, in u32 arithmetic
                // that wraps for a last row before the first.
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl >= 1 && cl >= 1 {
                    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
                    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1);
                    area.reserved = area
                        .reserved
                        .max(u64::from(rows).saturating_mul(u64::from(cols)));
                }
            }
            // Cells: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    area.add(r, c, c);
                }
            }
            // MULRK: a row's run of cells, the last column at its end.
            0x00BD if data.len() >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, data.len() - 2),
                ) {
                    area.add(r, c0, c1.max(c0));
                }
            }
            _ => {}
        }
    }
    Ok(total.saturating_add(area.cells()))
}

/// A sheet's cell rectangle so far.
#[derive(Default)]
struct Area {
    rows: Option<(u16, u16)>,
    cols: Option<(u16, u16)>,
    reserved: u64,
}

impl Area {
    fn add(&mut self, r: u16, c0: u16, c1: u16) {
        self.rows = Some(self.rows.map_or((r, r), |(a, b)| (a.min(r), b.max(r))));
        self.cols = Some(self.cols.map_or((c0, c1), |(a, b)| (a.min(c0), b.max(c1))));
    }

    fn cells(&self) -> u64 {
        let span = |x: Option<(u16, u16)>| x.map_or(0, |(a, b)| u64::from(b - a) + 1);
        (span(self.rows) * span(self.cols)).max(self.reserved)
    }
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a compound file,
/// following its sector chain (regular or mini). `None` for a file that
/// is not a well-formed compound document.
fn workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
    let shift = u16_at(file, 0x1E)?;
    if shift != 9 && shift != 12 {
        return None;
    }
    let size = 1usize << shift;
    let sector = |n: u32| -> Option<&[u8]> {
        let start = (n as usize + 1).checked_mul(size)?;
        file.get(start..start + size)
    };
    let max_sectors = file.len() / size + 1;
    // The FAT: its sectors from the header's DIFAT, then DIFAT sectors.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(file, 0x4C + 4 * i))
        .filter(|s| *s < 0xFFFF_FFFA)
        .collect();
    let mut difat = u32_at(file, 0x44)?;
    let mut hops = 0;
    while difat < 0xFFFF_FFFA && hops < max_sectors {
        let s = sector(difat)?;
        for i in 0..size / 4 - 1 {
            let v = u32_at(s, 4 * i)?;
            if v < 0xFFFF_FFFA {
                fat_sectors.push(v);
            }
        }
        difat = u32_at(s, size - 4)?;
        hops += 1;
    }
    let mut fat: Vec<u32> = Vec::new();
    for s in fat_sectors.iter().take(max_sectors) {
        let s = sector(*s)?;
        fat.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let chain = |start: u32, table: &[u32], limit: usize| -> Option<Vec<u32>> {
        let mut out = Vec::new();
        let mut at = start;
        while at != END_OF_CHAIN {
            if out.len() >= limit {
                return None; // a loop
            }
            out.push(at);
            at = *table.get(at as usize)?;
        }
        Some(out)
    };
    let read_chain = |start: u32| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for s in chain(start, &fat, max_sectors)? {
            out.extend_from_slice(sector(s)?);
        }
        Some(out)
    };
    let dir = read_chain(u32_at(file, 0x30)?)?;
    let entry = |i: usize| dir.get(i * 128..i * 128 + 128);
    let root = entry(0)?;
    let mut found = None;
    for i in 1..dir.len() / 128 {
        let e = entry(i)?;
        let name_len = (u16_at(e, 64)? as usize).min(64);
        let name: String = char::decode_utf16(
            (0..name_len.saturating_sub(2) / 2).filter_map(|k| u16_at(e, 2 * k)),
        )
        .map(|c| c.unwrap_or('?'))
        .collect();
        if e[66] == 2 && (name == "Workbook" || name == "Book") {
            found = Some((u32_at(e, 116)?, u32_at(e, 120)? as usize));
            if name == "Workbook" {
                break;
            }
        }
    }
    let (start, len) = found?;
    let cutoff = u32_at(file, 0x38)? as usize;
    let mut data = if len < cutoff {
        // In the mini stream: 64-byte sectors inside the root's stream.
        let mini = read_chain(u32_at(root, 116)?)?;
        let minifat_bytes = read_chain(u32_at(file, 0x3C)?)?;
        let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
            .filter_map(|i| u32_at(&minifat_bytes, 4 * i))
            .collect();
        let mut out = Vec::new();
        for s in chain(start, &minifat, mini.len() / 64 + 1)? {
            out.extend_from_slice(mini.get(s as usize * 64..s as usize * 64 + 64)?);
        }
        out
    } else {
        read_chain(start)?
    };
    data.truncate(len);
    Some(data)
}

// ----- ods: measuring the sheets without calamine --------------------------

/// The cells an ods workbook's sheets would span in calamine: in
/// `content.xml`, per `<table:table>`, the rectangle from the first row
/// to the last row and column holding a value, counting
/// `number-rows-repeated` and `number-columns-repeated` (capped as
/// calamine caps them: 1,048,576 rows, 16,384 columns). A cell counts as
/// holding a value when it has an `office:value-type` or any content;
/// LibreOffice's trailing empty filler (`<table:table-cell
/// table:number-columns-repeated="1000"/>`) does not.
fn ods_cells(file: &[u8]) -> Result<u64, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(file)).map_err(|e| format!("not a zip: {e}"))?;
    let mut xml = Vec::new();
    archive
        .by_name("content.xml")
        .map_err(|_| "it has no content.xml".to_string())?
        .read_to_end(&mut xml)
        .map_err(|e| format!("content.xml cannot be unpacked: {e}"))?;
    const ROWS: u64 = 1_048_576;
    const COLS: u64 = 16_384;
    let mut total: u64 = 0;
    let (mut row, mut row_repeat, mut col) = (0u64, 1u64, 0u64);
    let (mut max_row, mut max_col) = (0u64, 0u64);
    let mut at = 0;
    while let Some(open) = xml[at..].iter().position(|b| *b == b'<').map(|i| i + at) {
        let Some(close) = xml[open..]
            .iter()
            .position(|b| *b == b'>')
            .map(|i| i + open)
        else {
            break;
        };
        let tag = &xml[open + 1..close];
        at = close + 1;
        // From the second byte: an end tag's name starts with its `/`.
        let name_end = tag
            .iter()
            .skip(1)
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .map_or(tag.len(), |i| i + 1);
        let name = &tag[..name_end];
        let repeat = |attr: &[u8]| -> u64 {
            find_attr(tag, attr)
                .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
                .unwrap_or(1)
        };
        match name {
            b"table:table" => {
                total = total.saturating_add(max_row.saturating_mul(max_col));
                (row, col, max_row, max_col) = (0, 0, 0, 0);
            }
            b"table:table-row" => {
                row_repeat = repeat(b"table:number-rows-repeated").max(1);
                col = 0;
                if tag.ends_with(b"/") {
                    row = (row + row_repeat).min(ROWS);
                }
            }
            b"/table:table-row" => row = (row + row_repeat).min(ROWS),
            b"table:table-cell" | b"table:covered-table-cell" => {
                let n = repeat(b"table:number-columns-repeated").max(1);
                let valued = find_attr(tag, b"office:value-type").is_some() || !tag.ends_with(b"/");
                let end = (col.saturating_add(n)).min(COLS);
                if valued {
                    max_col = max_col.max(end);
                    max_row = max_row.max((row + row_repeat).min(ROWS));
                }
                col = end;
            }
            _ => {}
        }
    }
    Ok(total.saturating_add(max_row.saturating_mul(max_col)))
}

/// The value of attribute `name` in a tag's text.
fn find_attr<'t>(tag: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    let mut from = 0;
    while let Some(i) = tag[from..]
        .windows(name.len())
        .position(|w| w == name)
        .map(|i| i + from)
    {
        from = i + name.len();
        let preceded = i == 0 || tag[i - 1].is_ascii_whitespace();
        let rest = &tag[from..];
        if preceded && rest.first() == Some(&b'=') {
            let quote = *rest.get(1)?;
            let end = rest[2..].iter().position(|b| *b == quote)?;
            return Some(&rest[2..2 + end]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ods_areas_count_repeats_and_skip_empty_filler() {
        let doc = |body: &str| {
            let mut buf = Vec::new();
            {
                let mut w = zip::ZipWriter::new(Cursor::new(&mut buf));
                w.start_file("content.xml", zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut w, body.as_bytes()).unwrap();
                w.finish().unwrap();
            }
            buf
        };
        let v = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        let filler = r#"<table:table-cell table:number-columns-repeated="1020"/>"#;
        // Two rows of three values, LibreOffice's filler right and below:
        // 2 × 3 = 6 cells.
        let body = format!(
            r#"<table:table table:name="S"><table:table-row>{v}{v}{v}{filler}</table:table-row><table:table-row>{v}{v}{v}{filler}</table:table-row><table:table-row table:number-rows-repeated="1048574">{filler}</table:table-row></table:table>"#
        );
        assert_eq!(ods_cells(&doc(&body)).unwrap(), 6);
        // One value repeated over 16,384 columns and a million rows.
        let bomb = r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert_eq!(ods_cells(&doc(bomb)).unwrap(), 1_000_000 * 16_384);
    }

    #[test]
    fn attributes_are_found_whole() {
        let tag = br#"table:table-cell xtable:number-columns-repeated="9" table:number-columns-repeated="3""#;
        assert_eq!(
            find_attr(tag, b"table:number-columns-repeated"),
            Some(&b"3"[..])
        );
        assert_eq!(find_attr(tag, b"office:value-type"), None);
    }
}
