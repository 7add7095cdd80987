//! Reading claims back from the binary form (see the parent module).

use crate::domain::claim::{
    Adjustment, Claim, ClaimStatusCode, GroupCode, Party, Person, Procedure, RemitRef, ServiceLine,
};
use crate::store::varint::Cursor;
use chrono::NaiveDate;

/// Reads the forms `write` writes; every error says what could not be read.
pub(super) struct Reader<'a>(Cursor<'a>);

type Read<T> = Result<T, String>;

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader(Cursor::new(bytes, "a claim"))
    }

    fn byte(&mut self) -> Read<u8> {
        self.0.byte()
    }

    fn bytes(&mut self, n: usize) -> Read<&'a [u8]> {
        self.0.bytes(n)
    }

    pub(super) fn int(&mut self) -> Read<i64> {
        let v = self.0.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A count of items each at least `least` bytes long: never more than the bytes left
    /// could hold, so a damaged count allocates nothing.
    fn count(&mut self, least: usize) -> Read<usize> {
        let n = self.0.varint()?;
        if n > (self.0.rest().len() / least.max(1)) as u64 {
            return Err(format!("a count of {n} that the bytes left cannot hold"));
        }
        Ok(n as usize)
    }

    fn text(&mut self) -> Read<String> {
        let len = self.count(1)?;
        let bytes = self.bytes(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| "text that is not UTF-8".into())
    }

    fn date(&mut self) -> Read<NaiveDate> {
        let days = self.int()?;
        i32::try_from(days)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or_else(|| format!("day number {days}, which is no date"))
    }

    fn float(&mut self) -> Read<f64> {
        let bytes = self.bytes(8)?;
        Ok(f64::from_le_bytes(bytes.try_into().expect("8 bytes")))
    }

    fn flag(&mut self) -> Read<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(format!("a flag of {other}")),
        }
    }

    fn opt<T>(&mut self, each: impl Fn(&mut Self) -> Read<T>) -> Read<Option<T>> {
        Ok(match self.flag()? {
            false => None,
            true => Some(each(self)?),
        })
    }

    fn list<T>(&mut self, least: usize, each: impl Fn(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        let n = self.count(least)?;
        (0..n).map(|_| each(self)).collect()
    }

    fn texts(&mut self) -> Read<Vec<String>> {
        self.list(1, Self::text)
    }

    fn party(&mut self) -> Read<Party> {
        Ok(Party {
            name: self.text()?,
            id: self.text()?,
        })
    }

    fn person(&mut self) -> Read<Person> {
        Ok(Person {
            last_name: self.text()?,
            first_name: self.text()?,
            member_id: self.text()?,
        })
    }

    fn adjustment(&mut self) -> Read<Adjustment> {
        let group = match self.byte()? {
            0 => GroupCode::CO,
            1 => GroupCode::PR,
            2 => GroupCode::OA,
            3 => GroupCode::PI,
            4 => GroupCode::CR,
            other => return Err(format!("group code {other}")),
        };
        Ok(Adjustment {
            group,
            carc: self.text()?,
            amount_cents: self.int()?,
            quantity: self.opt(Self::float)?,
        })
    }

    fn status(&mut self) -> Read<ClaimStatusCode> {
        Ok(match self.byte()? {
            0 => ClaimStatusCode::ProcessedPrimary,
            1 => ClaimStatusCode::ProcessedSecondary,
            2 => ClaimStatusCode::ProcessedTertiary,
            3 => ClaimStatusCode::Denied,
            4 => ClaimStatusCode::Other(self.byte()?),
            5 => ClaimStatusCode::Reversal,
            other => return Err(format!("claim status {other}")),
        })
    }

    fn line(&mut self) -> Read<ServiceLine> {
        Ok(ServiceLine {
            procedure: Procedure {
                qualifier: self.text()?,
                code: self.text()?,
                modifiers: self.texts()?,
            },
            charge_cents: self.int()?,
            paid_cents: self.int()?,
            revenue_code: self.opt(Self::text)?,
            units: self.opt(Self::float)?,
            service_date: self.opt(Self::date)?,
            control_number: self.opt(Self::text)?,
            adjustments: self.list(4, Self::adjustment)?,
            allowed_cents: self.opt(Self::int)?,
            remarks: self.texts()?,
        })
    }

    fn remit(&mut self) -> Read<RemitRef> {
        Ok(RemitRef {
            remit_date: self.date()?,
            trace_number: self.text()?,
            payer_originator: self.text()?,
            payer: self.party()?,
            payee: self.party()?,
            source_file: self.text()?,
        })
    }

    fn claim(&mut self, shared: &RemitRef) -> Read<Claim> {
        Ok(Claim {
            patient_control_number: self.text()?,
            status_code: self.status()?,
            billed_cents: self.int()?,
            paid_cents: self.int()?,
            patient_responsibility_cents: self.int()?,
            filing_indicator: self.text()?,
            payer_claim_number: self.text()?,
            facility_code: self.text()?,
            frequency: self.text()?,
            patient: self.person()?,
            insured: self.opt(Self::person)?,
            rendering_provider: self.opt(Self::party)?,
            service_from: self.opt(Self::date)?,
            service_to: self.opt(Self::date)?,
            received: self.opt(Self::date)?,
            adjustments: self.list(4, Self::adjustment)?,
            remarks: self.texts()?,
            lines: self.list(10, Self::line)?,
            remit: match self.flag()? {
                false => shared.clone(),
                true => self.remit()?,
            },
            drg: self.opt(Self::text)?,
            inpatient_adjudication: self.flag()?,
        })
    }

    fn done<T>(self, value: T) -> Read<T> {
        match self.0.rest().len() {
            0 => Ok(value),
            left => Err(format!("{left} bytes after the end of a claim")),
        }
    }
}

/// A remittance written by `write_remit`, all of `bytes`.
pub(in crate::store) fn read_remit(bytes: &[u8]) -> Read<RemitRef> {
    let mut r = Reader::new(bytes);
    let remit = r.remit()?;
    r.done(remit)
}

/// A claim written by `write_claim` with `shared`, all of `bytes`.
pub(in crate::store) fn read_claim(bytes: &[u8], shared: &RemitRef) -> Read<Claim> {
    let mut r = Reader::new(bytes);
    let claim = r.claim(shared)?;
    r.done(claim)
}
