use super::*;

const ISA: &str = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *261124*1200*^*00501*000000905*0*P*:~";

fn file(body: &str) -> String {
    format!("{ISA}GS*HP*S*R*20261124*1200*1*X*005010X221A1~ST*835*0001~{body}")
}

#[test]
fn a_file_ending_with_its_iea_ends_whole_with_the_padding_the_reader_allows() {
    assert_eq!(ISA.len(), ISA_LEN);
    for end in [
        "SE*2*0001~GE*1*1~IEA*1*000000905~",
        "IEA*1*000000905~\n",
        "IEA*1*000000905~\r\n  \n",
        "IEA*1*000000905~\0\0\0\x1a",
        "GE*1*1~\nIEA*1*000000905~\n",
    ] {
        assert!(bytes_end_whole(file(end).as_bytes()), "{end:?}");
    }
    // What the reader skips before the ISA: a byte-order mark, blank lines.
    let text = format!("\u{feff}\r\n{}", file("IEA*1*000000905~"));
    assert!(bytes_end_whole(text.as_bytes()));
}

#[test]
fn a_file_cut_short_does_not_end_whole() {
    for end in [
        "SE*2*0001~GE*1*1~",
        "CLP*A1*1*100*0",
        "SE*2*0001~GE*1*1~IE",
        "GE*1*1~IEA",
        "GE*1*1~IEA*1*0000",
        "GE*1*1~IEA*1*000000905",
        "GE*1*1~IEAX*1*000000905~",
        "CLP*IEA*1*000000905~",
    ] {
        assert!(!bytes_end_whole(file(end).as_bytes()), "{end:?}");
    }
}

#[test]
fn a_file_of_several_interchanges_ends_whole_with_its_last_iea() {
    let second = ISA.replace("000000905", "000000906");
    let text = file(&format!("IEA*1*000000905~{second}GS*HP~IEA*1*000000906~"));
    assert!(bytes_end_whole(text.as_bytes()));
    let cut = file(&format!("IEA*1*000000905~{second}GS*HP~"));
    assert!(!bytes_end_whole(cut.as_bytes()));
}

#[test]
fn the_separators_are_the_headers() {
    let isa = ISA.replace('*', "|").replace('~', "\n");
    assert!(bytes_end_whole(
        format!("{isa}GS|HP\nIEA|1|000000905\n").as_bytes()
    ));
    assert!(bytes_end_whole(
        format!("{isa}GS|HP\r\nIEA|1|000000905\r\n\r\n").as_bytes()
    ));
    assert!(!bytes_end_whole(
        format!("{isa}GS|HP\nIEA|1|000000905").as_bytes()
    ));
    assert!(!bytes_end_whole(
        format!("{isa}GS|HP\nIEA*1*000000905\n").as_bytes()
    ));
    assert!(!bytes_end_whole(b"not an interchange\nIEA*1*2~"));
    assert!(!bytes_end_whole(b""));
    assert!(!bytes_end_whole(&ISA.as_bytes()[..105]));
}

#[test]
fn a_file_on_disk_is_looked_at_by_its_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("remit.835");
    let long = "CLP*A1*1*100*0~".repeat(10_000);
    std::fs::write(&path, file(&format!("{long}IEA*1*000000905~\n"))).unwrap();
    assert!(file_ends_whole(&std::fs::File::open(&path).unwrap()));
    std::fs::write(&path, file(&long)).unwrap();
    assert!(!file_ends_whole(&std::fs::File::open(&path).unwrap()));
    std::fs::write(&path, "ISA").unwrap();
    assert!(!file_ends_whole(&std::fs::File::open(&path).unwrap()));
}
