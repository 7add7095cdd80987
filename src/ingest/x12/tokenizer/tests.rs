use super::*;

const ISA_STAR: &str = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260301*1200*^*00501*000000001*0*P*:~";

fn segments(text: &str) -> Vec<Vec<String>> {
    let mut reader = SegmentReader::new(text.as_bytes(), "t.835");
    let mut out = Vec::new();
    while let Some(seg) = reader.next_segment().unwrap() {
        let mut elems = vec![seg.id().to_string()];
        elems.extend((1..=seg.len()).map(|i| seg.element(i).to_string()));
        out.push(elems);
    }
    out
}

#[test]
fn reads_separators_from_isa_and_skips_line_breaks() {
    let text = format!("{ISA_STAR}\r\nGS*HP*A*B~\nST*835*0001~\r\n");
    let segs = segments(&text);
    assert_eq!(segs.len(), 3);
    assert_eq!(segs[1], vec!["GS", "HP", "A", "B"]);
    assert_eq!(segs[2][0], "ST");
}

#[test]
fn honours_other_separators_without_line_breaks() {
    let isa = ISA_STAR
        .replace('*', "|")
        .replace(":~", "^\n")
        .replace("|^|", "|{|");
    let text = format!("{isa}ST|835|0001\nSVC|HC^99213^25|100|80\n");
    let mut reader = SegmentReader::new(text.as_bytes(), "t.835");
    let isa_seg = reader.next_segment().unwrap().unwrap();
    assert_eq!(isa_seg.separators.component, b'^');
    assert_eq!(isa_seg.separators.segment, b'\n');
    assert_eq!(isa_seg.separators.repetition, Some(b'{'));
    reader.next_segment().unwrap().unwrap();
    let svc = reader.next_segment().unwrap().unwrap();
    assert_eq!(
        svc.components(1).collect::<Vec<_>>(),
        vec!["HC", "99213", "25"]
    );
    assert_eq!(svc.element(3), "80");
    assert_eq!(svc.element(9), "");
}

#[test]
fn truncated_segment_is_an_error_with_its_number() {
    let text = format!("{ISA_STAR}GS*HP~ST*835");
    let mut reader = SegmentReader::new(text.as_bytes(), "t.835");
    reader.next_segment().unwrap();
    reader.next_segment().unwrap();
    let err = reader.next_segment().err().unwrap();
    assert_eq!(err.segment, Some(3));
    assert!(err.message.contains("truncated"), "{err}");
}

#[test]
fn non_x12_input_is_refused() {
    let mut reader = SegmentReader::new("PATIENT,AMOUNT\n".as_bytes(), "x.csv");
    let err = reader.next_segment().err().unwrap();
    assert!(err.to_string().contains("not an X12 interchange"), "{err}");
}
