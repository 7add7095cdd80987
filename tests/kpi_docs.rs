//! One source of KPI definitions: README's "Reports for managers" and `report --help`
//! say exactly what `kpi::definitions` says, which is what the engine computes.

use denialdesk::domain::kpi::definitions;

const START: &str = "<!-- kpi-definitions: made from src/domain/kpi/definitions.rs -->\n";
const END: &str = "<!-- end of kpi-definitions -->";

#[test]
fn readme_lists_every_kpi_definition_as_the_code_has_it() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find(START)
        .expect("README has the definitions block")
        + START.len();
    let end = readme[start..].find(END).expect("the block ends") + start;
    let written = &readme[start..end];
    let made = definitions::markdown();
    assert_eq!(
        written, made,
        "README's KPI definitions differ from src/domain/kpi/definitions.rs; replace the block with:\n{made}"
    );
}

#[test]
fn report_help_prints_every_definition() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args(["report", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for d in definitions::DEFINITIONS {
        assert!(
            help.contains(d.formula),
            "{} missing from report --help",
            d.name
        );
        assert!(help.contains(d.source), "{}'s source missing", d.name);
    }
}
