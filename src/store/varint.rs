//! LEB128 varints, and reading stored bytes from the front with every length checked: the
//! claim index's fragments (`index_fragment`) and the claims' binary form (`claim_codec`)
//! are both written this way.

/// Appends `v` as a LEB128 varint (7 bits a byte, low first; 1 to 10 bytes).
pub(super) fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Stored bytes read from the front. Every error names `what` is being read ("a claim",
/// "an index fragment"), never panics, and reads nothing past the bytes.
pub(super) struct Cursor<'a> {
    rest: &'a [u8],
    what: &'static str,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(bytes: &'a [u8], what: &'static str) -> Cursor<'a> {
        Cursor { rest: bytes, what }
    }

    /// The bytes not read yet.
    pub(super) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    fn cut_short(&self) -> String {
        format!("{} cut short", self.what)
    }

    pub(super) fn byte(&mut self) -> Result<u8, String> {
        let (&b, rest) = self.rest.split_first().ok_or_else(|| self.cut_short())?;
        self.rest = rest;
        Ok(b)
    }

    pub(super) fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        let (taken, rest) = self
            .rest
            .split_at_checked(n)
            .ok_or_else(|| self.cut_short())?;
        self.rest = rest;
        Ok(taken)
    }

    /// A varint `put` wrote; one past 64 bits is damage.
    pub(super) fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return Err(format!("a number too large in {}", self.what));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(format!("a number too long in {}", self.what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_reads_back_and_damage_is_an_error() {
        for v in [
            0,
            1,
            127,
            128,
            300,
            u64::from(u32::MAX),
            u64::MAX - 1,
            u64::MAX,
        ] {
            let mut out = Vec::new();
            put(&mut out, v);
            let mut c = Cursor::new(&out, "a test");
            assert_eq!(c.varint().unwrap(), v);
            assert!(c.rest().is_empty());
            for cut in 0..out.len() {
                let refused = Cursor::new(&out[..cut], "a test").varint().unwrap_err();
                assert_eq!(refused, "a test cut short");
            }
        }
        // Ten continuation bytes, or a tenth byte carrying more than bit 64: refused.
        assert!(Cursor::new(&[0xff; 11], "a test").varint().is_err());
        let mut too_large = vec![0xff; 9];
        too_large.push(0x02);
        assert!(Cursor::new(&too_large, "a test").varint().is_err());
        assert!(Cursor::new(&[1, 2], "a test").bytes(3).is_err());
    }
}
