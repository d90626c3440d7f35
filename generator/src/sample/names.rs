//! Word lists for company, division and collector names.
//!
//! Names deliberately include non-ASCII letters and the characters that break
//! naive CSV handling (`&`, apostrophes, double quotes, commas), because the
//! sample exists to exercise importers and renderers.

use super::rng::Draw;
use std::collections::BTreeSet;

/// A naming style: real company registers mix nationalities.
struct Style {
    surnames: &'static [&'static str],
    places: &'static [&'static str],
    trades: &'static [&'static str],
    suffixes: &'static [&'static str],
    cities: &'static [&'static str],
    weight: u32,
}

const ENGLISH: Style = Style {
    surnames: &[
        "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Johnson", "Roberts",
        "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
        "Wood", "Harris", "Clarke", "Baker", "Turner", "Parker", "Cooper", "Hill", "Ward",
        "O'Brien", "O'Connor", "McDonald", "D'Arcy", "Fletcher",
    ],
    places: &[
        "Northwind",
        "Redwood",
        "Atlantic",
        "Pennine",
        "Summit",
        "Harbour",
        "Riverside",
        "Highland",
        "Westfield",
        "Kingsway",
        "Oakridge",
        "Silverline",
        "Granite",
        "Meridian",
        "Beacon",
        "Crescent",
        "Evergreen",
        "Pioneer",
        "Keystone",
        "Lakeside",
    ],
    trades: &[
        "Components",
        "Supplies",
        "Engineering",
        "Logistics",
        "Industries",
        "Tools",
        "Plastics",
        "Electrical",
        "Fasteners",
        "Packaging",
        "Hydraulics",
        "Metals",
        "Systems",
        "Controls",
        "Bearings",
        "Foods",
        "Textiles",
        "Instruments",
        "Traders",
        "Wholesale",
    ],
    suffixes: &["Ltd", "Limited", "Inc.", "LLC", "plc", "Corp.", "& Co."],
    cities: &["Leeds", "Bristol", "Boston", "Denver", "Glasgow", "Cork"],
    weight: 34,
};

const GERMAN: Style = Style {
    surnames: &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Krüger",
        "Hofmann",
        "Hartmann",
        "Lange",
        "Weiß",
        "König",
        "Groß",
    ],
    places: &[
        "Rhein",
        "Alpen",
        "Nordsee",
        "Schwarzwald",
        "Elbe",
        "Bodensee",
        "Harz",
        "Spree",
        "Main",
        "Donau",
        "Allgäu",
        "Sauerland",
    ],
    trades: &[
        "Maschinenbau",
        "Metallbau",
        "Elektrotechnik",
        "Kunststofftechnik",
        "Logistik",
        "Antriebstechnik",
        "Verpackungen",
        "Werkzeugbau",
        "Stahlhandel",
        "Präzisionsteile",
        "Gerätebau",
        "Industriebedarf",
    ],
    suffixes: &["GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "OHG"],
    cities: &[
        "München",
        "Köln",
        "Düsseldorf",
        "Nürnberg",
        "Lübeck",
        "Würzburg",
    ],
    weight: 20,
};

const FRENCH: Style = Style {
    surnames: &[
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefèvre",
        "Michel",
        "Garcia",
        "Fournier",
        "Girard",
        "Bonnet",
        "Dupont",
        "Lambert",
        "Fontaine",
        "Rousseau",
        "Chevalier",
        "Gauthier",
    ],
    places: &[
        "Lumière",
        "Azur",
        "Provence",
        "Bretagne",
        "Alsace",
        "Loire",
        "Atlantique",
        "Étoile",
        "Horizon",
        "Mistral",
        "Côte d'Opale",
        "Vallée",
    ],
    trades: &[
        "Industrie",
        "Mécanique",
        "Distribution",
        "Équipements",
        "Emballages",
        "Outillage",
        "Électricité",
        "Fournitures",
        "Transports",
        "Métallurgie",
    ],
    suffixes: &["SARL", "SA", "SAS", "& Fils", "et Cie"],
    cities: &["Lyon", "Lille", "Nantes", "Rennes", "Genève", "Liège"],
    weight: 14,
};

const NORDIC: Style = Style {
    surnames: &[
        "Jensen",
        "Nielsen",
        "Hansen",
        "Pedersen",
        "Andersen",
        "Larsen",
        "Sørensen",
        "Rasmussen",
        "Johansson",
        "Lindqvist",
        "Bergström",
        "Åberg",
        "Öberg",
        "Nyström",
        "Løvås",
        "Håkansson",
        "Virtanen",
        "Mäkinen",
        "Korhonen",
        "Strøm",
    ],
    places: &[
        "Øresund", "Fjord", "Nordlys", "Skagen", "Göta", "Bålsta", "Lapland", "Vänern", "Fyn",
        "Åland", "Tromsø", "Kattegat",
    ],
    trades: &[
        "Trading",
        "Teknik",
        "Maskin",
        "Handel",
        "Stål",
        "Elektro",
        "Byg",
        "Logistik",
        "Træ",
        "Automation",
    ],
    suffixes: &["ApS", "A/S", "AB", "AS", "Oy"],
    cities: &["Aarhus", "Malmö", "Göteborg", "Bergen", "Tampere", "Odense"],
    weight: 12,
};

const SOUTHERN: Style = Style {
    surnames: &[
        "Rossi",
        "Russo",
        "Ferrari",
        "Esposito",
        "Bianchi",
        "Romano",
        "Colombo",
        "Ricci",
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Muñoz",
        "Silva",
        "Gonçalves",
    ],
    places: &[
        "Mediterranea",
        "Adriatica",
        "Iberia",
        "Sol",
        "Levante",
        "Toscana",
        "Galicia",
        "Andalucía",
        "Lombarda",
        "Atlântico",
    ],
    trades: &[
        "Componenti",
        "Meccanica",
        "Suministros",
        "Industrial",
        "Distribuzione",
        "Logística",
        "Impianti",
        "Ferretería",
        "Plásticos",
        "Elettronica",
    ],
    suffixes: &["S.p.A.", "S.r.l.", "S.L.", "S.A.", "Lda."],
    cities: &["Milano", "Torino", "Bilbao", "Sevilla", "Porto", "Valencia"],
    weight: 12,
};

const CENTRAL: Style = Style {
    surnames: &[
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kowalczyk",
        "Kamiński",
        "Lewandowski",
        "Novák",
        "Svoboda",
        "Dvořák",
        "Černý",
        "Procházka",
        "de Vries",
        "van Dijk",
        "Bakker",
        "Janssen",
        "Visser",
        "de Jong",
        "Nagy",
        "Kovács",
    ],
    places: &[
        "Wisła", "Tatra", "Vltava", "Morava", "Zeeland", "Holland", "Balaton", "Karpaty",
        "Bohemia", "Pannonia",
    ],
    trades: &[
        "Technika",
        "Przemysł",
        "Stroje",
        "Handel",
        "Techniek",
        "Metaal",
        "Logistika",
        "Elektro",
        "Dystrybucja",
        "Gépgyár",
    ],
    suffixes: &[
        "Sp. z o.o.",
        "S.A.",
        "s.r.o.",
        "a.s.",
        "B.V.",
        "N.V.",
        "Kft.",
    ],
    cities: &["Kraków", "Poznań", "Brno", "Plzeň", "Utrecht", "Győr"],
    weight: 8,
};

const STYLES: [&Style; 6] = [&ENGLISH, &GERMAN, &FRENCH, &NORDIC, &SOUTHERN, &CENTRAL];

/// Names that must appear in every sample with at least this many customers:
/// they cover non-ASCII text and every CSV quoting case.
pub(crate) const SHOWCASE: [&str; 6] = [
    "Müller GmbH",
    "Société Lumière SARL",
    "Øresund Trading ApS",
    "Smith & Sons",
    "O'Brien \"Best\" Supplies, Ltd",
    "Dvořák, Nowak & Partners",
];

/// `count` distinct company names.
pub(crate) fn company_names(draw: &mut Draw, count: usize) -> Vec<String> {
    let mut taken = BTreeSet::new();
    let mut names: Vec<String> = (0..count)
        .map(|_| unique_company_name(draw, &mut taken))
        .collect();
    place_showcase(draw, &mut names, &mut taken);
    names
}

/// Puts the showcase names at random positions (not always the first ids),
/// unless a generated name already equals one.
fn place_showcase(draw: &mut Draw, names: &mut [String], taken: &mut BTreeSet<String>) {
    if names.len() < SHOWCASE.len() * 4 {
        return;
    }
    let stride = names.len() / SHOWCASE.len();
    for (i, showcase) in SHOWCASE.iter().enumerate() {
        if taken.contains(*showcase) {
            continue;
        }
        let at = i * stride + draw.index(stride);
        taken.remove(&names[at]);
        names[at] = (*showcase).to_string();
        taken.insert(names[at].clone());
    }
}

/// Draws until the name is new; after a few collisions a city qualifier and
/// finally a number make it unique (large samples exhaust the word lists).
fn unique_company_name(draw: &mut Draw, taken: &mut BTreeSet<String>) -> String {
    let style = pick_style(draw);
    for attempt in 0.. {
        let mut name = company_name(draw, style);
        if attempt >= 3 {
            name = format!("{name} ({})", draw.pick(style.cities));
        }
        if attempt >= 6 {
            name = format!("{name} {attempt}");
        }
        if taken.insert(name.clone()) {
            return name;
        }
    }
    unreachable!("the numbered fallback is always unique eventually")
}

fn pick_style(draw: &mut Draw) -> &'static Style {
    let weights: Vec<u32> = STYLES.iter().map(|s| s.weight).collect();
    STYLES[draw.weighted(&weights)]
}

fn company_name(draw: &mut Draw, s: &Style) -> String {
    let english = std::ptr::eq(s, &ENGLISH);
    match draw.below(100) {
        0..=21 => format!("{} {}", draw.pick(s.surnames), draw.pick(s.suffixes)),
        22..=35 => format!(
            "{} & {} {}",
            draw.pick(s.surnames),
            draw.pick(s.surnames),
            draw.pick(s.suffixes)
        ),
        36..=65 => format!(
            "{} {} {}",
            draw.pick(s.places),
            draw.pick(s.trades),
            draw.pick(s.suffixes)
        ),
        66..=87 => format!(
            "{} {} {}",
            draw.pick(s.surnames),
            draw.pick(s.trades),
            draw.pick(s.suffixes)
        ),
        88..=92 => format!(
            "{}, {} & Partners",
            draw.pick(s.surnames),
            draw.pick(s.surnames)
        ),
        93..=97 if english => format!("{} & Sons", draw.pick(s.surnames)),
        93..=97 => format!("{} {}", draw.pick(s.places), draw.pick(s.trades)),
        _ => format!(
            "{} \"{}\" {}, {}",
            draw.pick(s.surnames),
            draw.pick(&["Best", "Express", "Prime", "Budget", "Original"]),
            draw.pick(s.trades),
            draw.pick(s.suffixes)
        ),
    }
}

const DIVISIONS: [&str; 10] = [
    "Industrial",
    "Retail",
    "Services",
    "Automotive",
    "Healthcare",
    "Energy",
    "Public Sector",
    "Aerospace",
    "Food & Beverage",
    "Logistics",
];

/// Division names; past the list they get a region qualifier.
pub(crate) fn division_names(count: usize) -> Vec<String> {
    const REGIONS: [&str; 4] = ["", " North", " South", " International"];
    (0..count)
        .map(|i| {
            let base = DIVISIONS[i % DIVISIONS.len()];
            let region = i / DIVISIONS.len();
            match REGIONS.get(region) {
                Some(r) => format!("{base}{r}"),
                None => format!("{base} {}", region + 1),
            }
        })
        .collect()
}

const FIRST_NAMES: [&str; 36] = [
    "Anna",
    "Lukas",
    "Sophie",
    "Jonas",
    "Emma",
    "Mateo",
    "Léa",
    "Noah",
    "Mia",
    "Elias",
    "Chloé",
    "Oliver",
    "Ingrid",
    "Søren",
    "Julia",
    "Marco",
    "Giulia",
    "Pablo",
    "Lucía",
    "Tomás",
    "Zofia",
    "Jakub",
    "Eva",
    "Pieter",
    "Fleur",
    "Hannah",
    "James",
    "Grace",
    "Amira",
    "Yusuf",
    "Priya",
    "Ravi",
    "Mei",
    "Kenji",
    "Björn",
    "Agnieszka",
];

const LAST_NAMES: [&str; 36] = [
    "Schmidt",
    "Dupont",
    "Rossi",
    "Jensen",
    "Kowalska",
    "de Groot",
    "García",
    "Murphy",
    "Novak",
    "Lindström",
    "Fischer",
    "Moreau",
    "Bianchi",
    "Olsen",
    "Wiśniewska",
    "Peeters",
    "Fernández",
    "O'Neill",
    "Horváth",
    "Berg",
    "Keller",
    "Lefebvre",
    "Conti",
    "Dahl",
    "Zieliński",
    "Janssens",
    "Ortega",
    "Walsh",
    "Kaya",
    "Patel",
    "Chen",
    "Tanaka",
    "Nilsson",
    "Brenner",
    "Marchetti",
    "Haas",
];

/// `count` distinct collector names (first + last; middle initials once the
/// combinations run out).
pub(crate) fn collector_names(draw: &mut Draw, count: usize) -> Vec<String> {
    let mut taken = BTreeSet::new();
    let mut names = Vec::with_capacity(count);
    let mut collisions = 0u32;
    while names.len() < count {
        let first = draw.pick(&FIRST_NAMES);
        let last = draw.pick(&LAST_NAMES);
        let name = match collisions {
            0..=19 => format!("{first} {last}"),
            20..=199 => format!(
                "{first} {}. {last}",
                char::from(b'A' + draw.below(26) as u8)
            ),
            _ => format!("{first} {last} {}", names.len() + 1),
        };
        collisions += 1;
        if taken.insert(name.clone()) {
            collisions = 0;
            names.push(name);
        }
    }
    names
}
