//! Writes X12 text in a given dialect (separators, line breaks, 4010 or 5010), counting
//! segments so SE/GE/IEA trailers are right.

/// How one payer's files look on the wire.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub element: char,
    pub component: char,
    /// ISA11: repetition separator in 5010, `U` in 4010.
    pub repetition: char,
    pub terminator: char,
    /// What follows each terminator: "\n", "\r\n" or nothing.
    pub line_break: &'static str,
    pub v4010: bool,
}

impl Dialect {
    pub fn version(&self) -> &'static str {
        if self.v4010 {
            "004010X091A1"
        } else {
            "005010X221A1"
        }
    }
}

/// X12 amount: "150", "150.5", "-12.34".
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        c if c % 10 == 0 => format!("{sign}{}.{}", abs / 100, c / 10),
        c => format!("{sign}{}.{c:02}", abs / 100),
    }
}

/// Accumulates one file.
pub struct X12Writer {
    pub dialect: Dialect,
    out: String,
    st_segments: usize,
}

impl X12Writer {
    pub fn new(dialect: Dialect) -> X12Writer {
        X12Writer {
            dialect,
            out: String::new(),
            st_segments: 0,
        }
    }

    /// Writes a segment; elements are joined with the element separator and trailing
    /// empty elements dropped, as real translators do.
    pub fn seg(&mut self, elements: &[&str]) {
        let keep = elements
            .iter()
            .rposition(|e| !e.is_empty())
            .map_or(0, |i| i + 1);
        let mut first = true;
        for e in &elements[..keep] {
            if !first {
                self.out.push(self.dialect.element);
            }
            first = false;
            self.out.push_str(e);
        }
        self.out.push(self.dialect.terminator);
        self.out.push_str(self.dialect.line_break);
        self.st_segments += 1;
    }

    /// A composite element from components.
    pub fn composite(&self, parts: &[&str]) -> String {
        let keep = parts
            .iter()
            .rposition(|e| !e.is_empty())
            .map_or(0, |i| i + 1);
        parts[..keep].join(&self.dialect.component.to_string())
    }

    /// ISA and GS. `control` is the interchange and group control number.
    pub fn open_interchange(&mut self, control: u32, sender: &str, receiver: &str, date8: &str) {
        let version = self.dialect.version();
        self.open_group(control, sender, receiver, date8, "HP", version);
    }

    /// ISA and a GS of functional group `gs01` (HP, FA, HN) under guide `version`.
    pub fn open_group(
        &mut self,
        control: u32,
        sender: &str,
        receiver: &str,
        date8: &str,
        gs01: &str,
        version: &str,
    ) {
        let d = self.dialect;
        let isa = format!(
            "ISA{e}00{e}          {e}00{e}          {e}ZZ{e}{sender:<15}{e}ZZ{e}{receiver:<15}{e}{}{e}0800{e}{}{e}{}{e}{control:09}{e}0{e}P{e}{}{}{}",
            &date8[2..],
            d.repetition,
            if d.v4010 { "00401" } else { "00501" },
            d.component,
            d.terminator,
            d.line_break,
            e = d.element
        );
        self.out.push_str(&isa);
        let control = control.to_string();
        self.seg(&[
            "GS",
            gs01,
            sender.trim(),
            receiver.trim(),
            date8,
            "0800",
            &control,
            "X",
            version,
        ]);
    }

    pub fn start_set(&mut self, control: &str) {
        self.st_segments = 0;
        let version = if self.dialect.v4010 {
            ""
        } else {
            self.dialect.version()
        };
        self.seg(&["ST", "835", control, version]);
    }

    /// ST of another transaction set (`id` 999 or 277) under guide `version`.
    pub fn start_set_of(&mut self, id: &str, control: &str, version: &str) {
        self.st_segments = 0;
        self.seg(&["ST", id, control, version]);
    }

    pub fn end_set(&mut self, control: &str) {
        let count = (self.st_segments + 1).to_string();
        self.seg(&["SE", &count, control]);
    }

    pub fn close_interchange(&mut self, control: u32, sets: usize) {
        let c = control.to_string();
        self.seg(&["GE", &sets.to_string(), &c]);
        self.seg(&["IEA", "1", &format!("{control:09}")]);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_as_x12_decimals() {
        assert_eq!(amount(15000), "150");
        assert_eq!(amount(15050), "150.5");
        assert_eq!(amount(15055), "150.55");
        assert_eq!(amount(-1234), "-12.34");
        assert_eq!(amount(5), "0.05");
    }
}
