//! The customer master assigns divisions, collectors and names where the
//! snapshot has none (issue 13, item 5; README "Optional files").

mod common;

use common::build;

#[test]
fn a_snapshot_without_assignments_takes_them_from_the_customer_master() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("snapshots")).unwrap();
    std::fs::write(
        data.join("arsite.toml"),
        "title = \"T\"\ncurrency = \"EUR\"\n",
    )
    .unwrap();
    // No division or collector column; C1 has no name of its own.
    std::fs::write(
        data.join("snapshots/2026-10-31.csv"),
        "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount\n\
         I1,C1,,2026-09-01,2026-10-01,100.00,100.00\n\
         I2,C2,Beta Own,2026-08-01,2026-09-01,250.00,250.00\n\
         I3,C3,Gamma,2026-08-01,2026-09-01,7.00,7.00\n",
    )
    .unwrap();
    std::fs::write(
        data.join("customers.csv"),
        "customer_id,name,division,collector\n\
         C1,Acme Master,North,Ann Lee\n\
         C2,Beta Master,South,Bo Kim\n",
    )
    .unwrap();
    let site = tmp.path().join("site");
    build(&data, &site, &["--quiet"]);
    let csv = |name: &str| {
        std::fs::read_to_string(site.join("2026-10-31/csv").join(name))
            .unwrap()
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // On 2026-10-31, I1 (due 2026-10-01) is 30 days past due: bucket 1–30;
    // I2 and I3 (due 2026-09-01) are 60 days: 31–60. C3 is not in the
    // master and stays unassigned. Total 100 + 250 + 7 = 357.00.
    assert_eq!(
        csv("aging--aging-by-division.csv"),
        [
            "South,0.00,0.00,250.00,0.00,0.00,0.00,250.00,250.00,1",
            "North,0.00,100.00,0.00,0.00,0.00,0.00,100.00,100.00,1",
            "(unassigned),0.00,0.00,7.00,0.00,0.00,0.00,7.00,7.00,1",
            "Total,0.00,100.00,257.00,0.00,0.00,0.00,357.00,357.00,3",
        ]
    );
    assert_eq!(
        csv("aging--aging-by-collector.csv"),
        [
            "Bo Kim,0.00,0.00,250.00,0.00,0.00,0.00,250.00,250.00,1",
            "Ann Lee,0.00,100.00,0.00,0.00,0.00,0.00,100.00,100.00,1",
            "(unassigned),0.00,0.00,7.00,0.00,0.00,0.00,7.00,7.00,1",
            "Total,0.00,100.00,257.00,0.00,0.00,0.00,357.00,357.00,3",
        ]
    );
    // The master names C1, which has no name in the snapshot; C2's own
    // name wins.
    let customers = csv("customers-index--customers.csv").join("\n");
    assert!(customers.contains("Acme Master"), "{customers}");
    assert!(customers.contains("Beta Own"), "{customers}");
    assert!(!customers.contains("Beta Master"), "{customers}");
}
