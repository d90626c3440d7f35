//! SAP FBL5N exports as users logged on in English, German, French,
//! Spanish, Portuguese and Italian save them, each read with nothing but
//! `preset = "sap-fbl5n"`: the column labels in the logon language, the
//! delimiter sniffed (TAB for "Spreadsheet"/"text with tabs", `|` for the
//! unconverted list with its dashed rulings and `|` at both ends, `;` for
//! Excel's CSV in a European locale), title rows, `*`/`**` total lines,
//! CRLF, Windows-1252.
//!
//! Every file holds the same open items, written by hand (the figures of
//! tests/fixtures/import/FBL5N_20261031.csv):
//!
//!   100001 Müller GmbH, business area 1000, clerk Weiß
//!     1800000101 DR  15.09.2026  due 15.10.2026   1.234,56
//!     1800000102 DG  20.09.2026  due 20.10.2026     200,00  (credit memo → −200,00)
//!     1400000007 DZ  28.10.2026  due 28.10.2026      50,00- (payment → −50,00)
//!   *                                                984,56  = 1234,56 − 200 − 50
//!   100002 Société Générale d'Équipement, 2000, clerk Lefèvre
//!     1800000150 DR  01.10.2026  due 31.10.2026  12.000,00
//!     1800000151 RV  30.10.2026  due 29.11.2026     999,99
//!   *                                             12.999,99
//!   **                                            13.984,55
//!
//! Open total 13 984,55. At the key date 31.10.2026 the items are 16, 11,
//! 3, 0 and −29 days past due: current (≤ 0 days) 12 000,00 + 999,99 =
//! 12 999,99; 1–30 days 1 234,56 − 200,00 − 50,00 = 984,56.
//!
//! The required columns and the document type carry labels found in public
//! exports of each language (see the preset's comments); business area and
//! clerk use the preset's unverified spellings for FR/ES/PT/IT.

use arsite::import::{DataSet, SnapshotImport};
use arsite_core::{AgingScheme, Money};
use arsite_e2e::import_folder::with_snapshot;

const PRESET: &str = "[import.snapshots]\npreset = \"sap-fbl5n\"\n";

/// The text as SAP writes it on Windows: CRLF line ends, Windows-1252.
/// Every character used here is ASCII or Latin-1, which Windows-1252 codes
/// by the same byte value.
fn windows_file(text: &str) -> Vec<u8> {
    text.replace('\n', "\r\n")
        .chars()
        .map(|c| {
            let code = c as u32;
            assert!(
                code < 0x80 || (0xA0..=0xFF).contains(&code),
                "{c:?} is not coded alike"
            );
            code as u8
        })
        .collect()
}

fn read(text: &str) -> SnapshotImport {
    let dir = with_snapshot(PRESET, "FBL5N_20261031.txt", &windows_file(text));
    arsite_e2e::import_folder::read_only_snapshot(dir.path(), "2026-10-31")
}

fn buckets(import: &SnapshotImport) -> Vec<i64> {
    let s = &import.snapshot;
    let scheme = AgingScheme::default();
    let mut b = vec![0; scheme.bucket_count()];
    for inv in &s.invoices {
        b[scheme.bucket_of(inv.days_past_due(s.as_of))] += inv.open.0;
    }
    b
}

/// The hand-worked figures of the module comment; `skipped` is the file's
/// own count of report lines below the header (totals, rulings).
fn assert_figures(import: &SnapshotImport, skipped: u64) {
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!((q.rows, q.skipped), (5, skipped));
    let s = &import.snapshot;
    assert_eq!(s.customers[0].id, "100001");
    assert_eq!(s.customers[0].name, "Müller GmbH");
    assert_eq!(s.customers[1].name, "Société Générale d'Équipement");
    let ids: Vec<&str> = s.invoices.iter().map(|i| i.invoice_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "1800000101",
            "1800000102",
            "1400000007",
            "1800000150",
            "1800000151"
        ]
    );
    let opens: Vec<i64> = s.invoices.iter().map(|i| i.open.0).collect();
    assert_eq!(opens, vec![123_456, -20_000, -5_000, 1_200_000, 99_999]);
    assert_eq!(s.total_open(), Money(1_398_455));
    assert_eq!(buckets(import), vec![1_299_999, 98_456, 0, 0, 0, 0]);
    assert_eq!(s.collectors[s.invoices[0].collector as usize], "Weiß");
    assert_eq!(s.collectors[s.invoices[4].collector as usize], "Lefèvre");
    assert_eq!(s.divisions[s.invoices[3].division as usize], "2000");
}

/// English logon, "Spreadsheet" export: TAB-separated, short labels (with
/// their dots) where the columns are narrow, the unmapped Assignment and
/// Item columns in between, European number and date settings.
#[test]
fn english_text_with_tabs() {
    let text = "\
Customer Line Item Display
Key date\t31.10.2026

Account\tName 1\tBusA\tAcctg clerk\tAssignment\tDocumentNo\tItem\tTyp\tDoc. Date\tNet due dt\tAmt in loc.cur.\tLCurr
100001\tMüller GmbH\t1000\tWeiß\tA-1\t1800000101\t1\tDR\t15.09.2026\t15.10.2026\t1.234,56\tEUR
100001\tMüller GmbH\t1000\tWeiß\tA-2\t1800000102\t1\tDG\t20.09.2026\t20.10.2026\t200,00\tEUR
100001\tMüller GmbH\t1000\tWeiß\t\t1400000007\t2\tDZ\t28.10.2026\t28.10.2026\t50,00-\tEUR
*\t\t\t\t\t\t\t\t\t\t984,56\tEUR
100002\tSociété Générale d'Équipement\t2000\tLefèvre\t\t1800000150\t1\tDR\t01.10.2026\t31.10.2026\t12.000,00\tEUR
100002\tSociété Générale d'Équipement\t2000\tLefèvre\t\t1800000151\t1\tRV\t30.10.2026\t29.11.2026\t999,99\tEUR
*\t\t\t\t\t\t\t\t\t\t12.999,99\tEUR
**\t\t\t\t\t\t\t\t\t\t13.984,55\tEUR
";
    // Below the header: two `*` and one `**` line.
    assert_figures(&read(text), 3);
}

/// German logon, list saved "unconverted": the printed list with a page
/// title, `-----` rulings around the table and under the header, `|`
/// before, between and after the padded cells (so every row starts and
/// ends with an empty field).
#[test]
fn german_unconverted_list() {
    let text = "\
31.10.2026                     Kundeneinzelposten anzeigen                      1
Stichtag 31.10.2026
------------------------------------------------------------------------------------------------------------------------------------------
|Konto |Name 1                       |GsBe|Sachbearbeiter|Zuordnung |Belegnummer|Belegart|Belegdatum|Nettofälligkeit|Betrag in HW|HWähr|
|----------------------------------------------------------------------------------------------------------------------------------------|
|100001|Müller GmbH                  |1000|Weiß          |A-1       |1800000101 |DR      |15.09.2026|15.10.2026     |    1.234,56|EUR  |
|100001|Müller GmbH                  |1000|Weiß          |A-2       |1800000102 |DG      |20.09.2026|20.10.2026     |      200,00|EUR  |
|100001|Müller GmbH                  |1000|Weiß          |          |1400000007 |DZ      |28.10.2026|28.10.2026     |      50,00-|EUR  |
|*     |                             |    |              |          |           |        |          |               |      984,56|EUR  |
|100002|Société Générale d'Équipement|2000|Lefèvre       |          |1800000150 |DR      |01.10.2026|31.10.2026     |   12.000,00|EUR  |
|100002|Société Générale d'Équipement|2000|Lefèvre       |          |1800000151 |RV      |30.10.2026|29.11.2026     |      999,99|EUR  |
|*     |                             |    |              |          |           |        |          |               |   12.999,99|EUR  |
|----------------------------------------------------------------------------------------------------------------------------------------|
|**    |                             |    |              |          |           |        |          |               |   13.984,55|EUR  |
------------------------------------------------------------------------------------------------------------------------------------------
";
    // Below the header: the `|---|` ruling under it, two `*`, the ruling
    // above `**`, the `**` line and the closing ruling: 6.
    assert_figures(&read(text), 6);
}

/// French logon, opened in Excel and saved as CSV: `;`, groups of
/// thousands as SAP's "1 234 567,89" notation writes them (a space, and a
/// no-break space where Excel kept one).
#[test]
fn french_csv_with_semicolons_and_space_groups() {
    let text = "\
Affichage des postes individuels client;;;;;;;;;;
Date de référence;31.10.2026;;;;;;;;;
;;;;;;;;;;
Compte;Nom 1;Domaine d'activité;Gestionnaire;Affectation;Nº pièce;Type de pièce;Date de la pièce;Échéance nette;Montant en devise interne;Devise interne
100001;Müller GmbH;1000;Weiß;A-1;1800000101;DR;15.09.2026;15.10.2026;1 234,56;EUR
100001;Müller GmbH;1000;Weiß;A-2;1800000102;DG;20.09.2026;20.10.2026;200,00;EUR
100001;Müller GmbH;1000;Weiß;;1400000007;DZ;28.10.2026;28.10.2026;50,00-;EUR
*;;;;;;;;;984,56;EUR
100002;Société Générale d'Équipement;2000;Lefèvre;;1800000150;DR;01.10.2026;31.10.2026;12\u{a0}000,00;EUR
100002;Société Générale d'Équipement;2000;Lefèvre;;1800000151;RV;30.10.2026;29.11.2026;999,99;EUR
*;;;;;;;;;12 999,99;EUR
**;;;;;;;;;13 984,55;EUR
";
    assert_figures(&read(text), 3);
}

/// Spanish logon, "Spreadsheet": TAB-separated, with the arrears column
/// (Demora) the preset does not map.
#[test]
fn spanish_text_with_tabs() {
    let text = "\
Visualizar partidas individuales de deudores

Cuenta\tNombre 1\tDivisión\tEncargado\tAsignación\tNº documento\tClase de documento\tFecha de documento\tVencimiento neto\tDemora\tImporte en ML\tMoneda local
100001\tMüller GmbH\t1000\tWeiß\tA-1\t1800000101\tDR\t15.09.2026\t15.10.2026\t16\t1.234,56\tEUR
100001\tMüller GmbH\t1000\tWeiß\tA-2\t1800000102\tDG\t20.09.2026\t20.10.2026\t11\t200,00\tEUR
100001\tMüller GmbH\t1000\tWeiß\t\t1400000007\tDZ\t28.10.2026\t28.10.2026\t3\t50,00-\tEUR
*\t\t\t\t\t\t\t\t\t\t984,56\tEUR
100002\tSociété Générale d'Équipement\t2000\tLefèvre\t\t1800000150\tDR\t01.10.2026\t31.10.2026\t0\t12.000,00\tEUR
100002\tSociété Générale d'Équipement\t2000\tLefèvre\t\t1800000151\tRV\t30.10.2026\t29.11.2026\t-29\t999,99\tEUR
*\t\t\t\t\t\t\t\t\t\t12.999,99\tEUR
**\t\t\t\t\t\t\t\t\t\t13.984,55\tEUR
";
    assert_figures(&read(text), 3);
}

/// Portuguese (Brazil) logon, Excel CSV with `;`.
#[test]
fn portuguese_csv_with_semicolons() {
    let text = "\
Exibir partidas individuais de clientes
Data-chave 31.10.2026

Conta;Nome 1;Divisão;Responsável;Atribuição;Nº documento;Item;Tipo de documento;Data do documento;Vencimento líquido;Montante em moeda interna;Moeda interna
100001;Müller GmbH;1000;Weiß;A-1;1800000101;1;DR;15.09.2026;15.10.2026;1.234,56;EUR
100001;Müller GmbH;1000;Weiß;A-2;1800000102;1;DG;20.09.2026;20.10.2026;200,00;EUR
100001;Müller GmbH;1000;Weiß;;1400000007;2;DZ;28.10.2026;28.10.2026;50,00-;EUR
*;;;;;;;;;;984,56;EUR
100002;Société Générale d'Équipement;2000;Lefèvre;;1800000150;1;DR;01.10.2026;31.10.2026;12.000,00;EUR
100002;Société Générale d'Équipement;2000;Lefèvre;;1800000151;1;RV;30.10.2026;29.11.2026;999,99;EUR
*;;;;;;;;;;12.999,99;EUR
**;;;;;;;;;;13.984,55;EUR
";
    assert_figures(&read(text), 3);
}

/// Italian logon, unconverted list: as the German one, with the short
/// amount label.
#[test]
fn italian_unconverted_list() {
    let text = "\
31.10.2026                Visualizzazione partite singole cliente                 1
--------------------------------------------------------------------------------------------------------------------------------------------------
|Conto |Nome 1                       |Divisione|Responsabile|Numero documento|Tipo di documento|Data documento|Scadenza al netto|Importo in DI|Divisa interna|
|------------------------------------------------------------------------------------------------------------------------------------------------|
|100001|Müller GmbH                  |1000     |Weiß        |1800000101      |DR               |15.09.2026    |15.10.2026       |     1.234,56|EUR           |
|100001|Müller GmbH                  |1000     |Weiß        |1800000102      |DG               |20.09.2026    |20.10.2026       |       200,00|EUR           |
|100001|Müller GmbH                  |1000     |Weiß        |1400000007      |DZ               |28.10.2026    |28.10.2026       |       50,00-|EUR           |
|*     |                             |         |            |                |                 |              |                 |       984,56|EUR           |
|100002|Société Générale d'Équipement|2000     |Lefèvre     |1800000150      |DR               |01.10.2026    |31.10.2026       |    12.000,00|EUR           |
|100002|Société Générale d'Équipement|2000     |Lefèvre     |1800000151      |RV               |30.10.2026    |29.11.2026       |       999,99|EUR           |
|*     |                             |         |            |                |                 |              |                 |    12.999,99|EUR           |
|**    |                             |         |            |                |                 |              |                 |    13.984,55|EUR           |
--------------------------------------------------------------------------------------------------------------------------------------------------
";
    // Below the header: the ruling under it, two `*`, `**`, the closing
    // ruling: 5.
    assert_figures(&read(text), 5);
}

/// An English user whose SU3 profile says `1,234,567.89` and MM/DD/YYYY
/// (the US defaults): the preset alone refuses the file row by row rather
/// than misreading it, and the two documented keys read it.
#[test]
fn english_us_profile_needs_decimal_and_date_format() {
    let text = "\
Customer Line Item Display

Account\tName 1\tBusA\tAcctg clerk\tDocumentNo\tTyp\tDoc. Date\tNet due dt\tAmt in loc.cur.\tLCurr
100001\tMüller GmbH\t1000\tWeiß\t1800000101\tDR\t09/15/2026\t10/15/2026\t1,234.56\tEUR
100001\tMüller GmbH\t1000\tWeiß\t1800000102\tDG\t09/20/2026\t10/20/2026\t200.00\tEUR
100001\tMüller GmbH\t1000\tWeiß\t1400000007\tDZ\t10/28/2026\t10/28/2026\t50.00-\tEUR
*\t\t\t\t\t\t\t\t984.56\tEUR
100002\tSociété Générale d'Équipement\t2000\tLefèvre\t1800000150\tDR\t10/01/2026\t10/31/2026\t12,000.00\tEUR
100002\tSociété Générale d'Équipement\t2000\tLefèvre\t1800000151\tRV\t10/30/2026\t11/29/2026\t999.99\tEUR
*\t\t\t\t\t\t\t\t12,999.99\tEUR
**\t\t\t\t\t\t\t\t13,984.55\tEUR
";
    let bytes = windows_file(text);
    let dir = with_snapshot(PRESET, "FBL5N_20261031.txt", &bytes);
    let data = DataSet::open(dir.path()).unwrap();
    let import = data.read_snapshot_rows(&data.snapshots[0]).unwrap();
    // Every data row is rejected (its dates do not read as DD.MM.YYYY),
    // none is taken with a wrong figure.
    assert_eq!(import.quality.rows, 5);
    assert_eq!(import.snapshot.invoices.len(), 0);
    let first = import.quality.problems().next().unwrap();
    assert_eq!(first.line, 4);
    assert!(first.message.contains("DD.MM.YYYY"), "{}", first.message);

    let us = format!("{PRESET}decimal = \".\"\ndate_format = \"MM/DD/YYYY\"\n");
    let dir = with_snapshot(&us, "FBL5N_20261031.txt", &bytes);
    let import = arsite_e2e::import_folder::read_only_snapshot(dir.path(), "2026-10-31");
    assert_figures(&import, 3);
}
