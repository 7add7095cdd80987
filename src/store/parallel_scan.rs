//! Reading every key under a prefix with several threads at once. A worklist's rows are
//! written over months, so sled keeps their pages scattered through a file of gigabytes;
//! when the OS has not cached it (the first start of the day), one thread reading page
//! after page waits on the disk for each, while several keep the disk busy (a third off
//! the cold first frame at 1M claims; more than 8 ranges gained nothing: the disk then
//! reads as fast as it can; figures in BENCHMARKS.md, "Figures behind choices in the code"). Used for the list rows only: read this way, the
//! whole work items (loaded behind the first frame) held 25% more memory, each thread's
//! allocations staying in its own malloc arena.

use super::core::db_error;
use super::kv::Kv;
use super::StoreError;
use sled::IVec;

/// Ranges read at once: enough requests in flight for a virtual disk, few enough that
/// the threads cost nothing noticeable when everything is cached.
const PARTS: usize = 8;

/// Every (key, value) under `prefix`, in key order, read as `PARTS` key ranges at once.
pub(super) fn scan_prefix(db: &Kv, prefix: &[u8]) -> Result<Vec<(IVec, IVec)>, StoreError> {
    let first = db
        .scan_prefix(prefix)
        .next()
        .transpose()
        .map_err(db_error)?;
    let last = db
        .scan_prefix(prefix)
        .next_back()
        .transpose()
        .map_err(db_error)?;
    let (Some((first, _)), Some((last, _))) = (first, last) else {
        return Ok(Vec::new());
    };
    let mut bounds = vec![prefix.to_vec()];
    bounds.extend(split_points(&first, &last, PARTS));
    bounds.push(prefix_end(prefix));
    bounds.dedup();
    std::thread::scope(|scope| {
        let parts: Vec<_> = bounds
            .windows(2)
            .map(|range| {
                let (start, end) = (range[0].as_slice(), range[1].as_slice());
                scope.spawn(move || db.range(start..end).collect::<Result<Vec<_>, _>>())
            })
            .collect();
        let mut all = Vec::new();
        for part in parts {
            all.extend(
                part.join()
                    .expect("scanning does not panic")
                    .map_err(db_error)?,
            );
        }
        Ok(all)
    })
}

/// The first key after every key that starts with `prefix` (our prefixes end in `:`).
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    end
}

/// `parts - 1` keys spread evenly between `first` and `last`, in order: the bytes after
/// their common start read as a number and interpolated. Only a guess at where the keys
/// lie (claim ids cluster), so it balances the ranges, never decides what is read: the
/// ranges always cover the whole prefix.
fn split_points(first: &[u8], last: &[u8], parts: usize) -> Vec<Vec<u8>> {
    let common = first.iter().zip(last).take_while(|(a, b)| a == b).count();
    let number = |key: &[u8]| {
        let mut bytes = [0u8; 8];
        for (slot, byte) in bytes.iter_mut().zip(&key[common..]) {
            *slot = *byte;
        }
        u128::from(u64::from_be_bytes(bytes))
    };
    let (low, high) = (number(first), number(last));
    let parts = parts.max(1) as u128;
    (1..parts)
        .map(|i| {
            let point = low + (high - low) * i / parts;
            let mut key = first[..common].to_vec();
            key.extend_from_slice(&(point as u64).to_be_bytes());
            key
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_points_lie_in_order_between_the_first_and_last_key() {
        let points = split_points(b"r:LOS0000132", b"r:LOS0999871", 8);
        assert_eq!(points.len(), 7);
        assert!(points.windows(2).all(|w| w[0] <= w[1]));
        assert!(points[0].as_slice() > b"r:LOS0000132".as_slice());
        assert!(points[6].as_slice() < b"r:LOS0999871".as_slice());
        assert!(points.iter().all(|p| p.starts_with(b"r:LOS0")));
    }

    #[test]
    fn every_key_is_read_once_in_order_however_the_keys_cluster() {
        let dir = tempfile::tempdir().unwrap();
        // On sled, and on the simulated disk of the power-loss tests (which must read as
        // sled does).
        every_key_once(Kv::Sled(sled::open(dir.path().join("db")).unwrap()));
        every_key_once(Kv::Sim(super::super::kv::SimDisk::new()));
    }

    fn every_key_once(db: Kv) {
        // Clustered ids (most under one payer's scheme), a lone outlier at each end, a
        // neighbouring prefix that must not be read, and ids longer than the 8 bytes the
        // split points look at.
        let mut ids: Vec<String> = (0..500).map(|n| format!("LOS{n:07}")).collect();
        ids.extend((0..50).map(|n| format!("LOS0000001-REPLACEMENT-{n:03}")));
        ids.push("0001".into());
        ids.push("ZZZ-LAST".into());
        for id in &ids {
            db.insert(format!("r:{id}"), id.as_bytes()).unwrap();
        }
        db.insert("q:before", "x").unwrap();
        db.insert("s:after", "x").unwrap();
        ids.sort();
        let read: Vec<String> = scan_prefix(&db, b"r:")
            .unwrap()
            .into_iter()
            .map(|(_, v)| String::from_utf8(v.to_vec()).unwrap())
            .collect();
        assert_eq!(read, ids);
        assert!(scan_prefix(&db, b"w:").unwrap().is_empty());
        // One key: one range holds it.
        db.insert("w:only", "x").unwrap();
        assert_eq!(scan_prefix(&db, b"w:").unwrap().len(), 1);
    }
}
