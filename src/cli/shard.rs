//! `--shard I/N`: keeps the inputs whose stable hash falls in shard I of N,
//! so that N independent runs split a list of inputs between them without
//! talking to each other.
//!
//! Shards are numbered from 0 (`0/4` to `3/4`), as Spark partitions and
//! Slurm array indexes (`--array=0-3`) usually are. An input's shard is
//! `(mix(fnv1a64(key)) * N) >> 64`: the 64-bit FNV-1a hash of the input
//! exactly as given (its path, or its URL), passed through MurmurHash3's
//! 64-bit finaliser and scaled to `0..N` by its high bits. The finaliser
//! matters: FNV alone leaves the high bits unmoved by a change in the last
//! character, so `…/x0` … `…/x19` could all land in one shard. The same key
//! lands in the same shard on every machine.

use std::fmt;
use std::str::FromStr;

/// One shard of N: which inputs a run keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Parses `I/N` (0 ≤ I < N).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not I/N (such as 0/8)"))?;
        let number = |part: &str| {
            part.trim()
                .parse::<u64>()
                .map_err(|_| format!("`{text}` is not I/N (such as 0/8): `{part}` is not a number"))
        };
        let (index, count) = (number(index)?, number(count)?);
        if count == 0 {
            return Err(format!("`{text}`: the number of shards must be at least 1"));
        }
        if index >= count {
            return Err(format!(
                "`{text}`: shards are numbered from 0, so I must be below N ({count})"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard keeps the input named `key`.
    pub fn keeps(&self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Shard::parse(text)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard, in `0..count`, that `key` belongs to.
fn shard_of(key: &str, count: u64) -> u64 {
    let scaled = u128::from(mix(fnv1a64(key.as_bytes()))) * u128::from(count);
    // `scaled >> 64` is below `count`, so it fits.
    u64::try_from(scaled >> 64).unwrap_or(0)
}

/// MurmurHash3's `fmix64`: every input bit moves every output bit.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// 64-bit FNV-1a: small, stable across platforms and releases (unlike
/// std's `DefaultHasher`), and documented enough to recompute elsewhere.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differing_in_their_last_character_spread_over_shards() {
        // Without the finaliser all twenty of these fall in one half.
        let shards: Vec<u64> = (0..20)
            .map(|i| shard_of(&format!("http://127.0.0.1:40000/x{i}"), 2))
            .collect();
        assert!(shards.contains(&0) && shards.contains(&1), "{shards:?}");
    }

    #[test]
    fn fnv1a64_matches_the_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn parsing() {
        assert_eq!(Shard::parse("2/8").unwrap().to_string(), "2/8");
        assert!(Shard::parse("8/8").is_err());
        assert!(Shard::parse("0/0").is_err());
        assert!(Shard::parse("1").is_err());
        assert!(Shard::parse("a/2").is_err());
        assert!(Shard::parse("-1/2").is_err());
    }

    #[test]
    fn shards_partition_the_inputs_evenly() {
        let keys: Vec<String> = (0..4000)
            .map(|i| format!("crawl/segment-{i}/warc/file-{i:05}.warc.gz"))
            .collect();
        for n in [1u64, 2, 3, 8] {
            let mut sizes = vec![0usize; n as usize];
            for key in &keys {
                let owners: Vec<u64> = (0..n)
                    .filter(|&i| Shard { index: i, count: n }.keeps(key))
                    .collect();
                assert_eq!(owners.len(), 1, "{key} in exactly one of {n} shards");
                sizes[owners[0] as usize] += 1;
            }
            let fair = keys.len() / n as usize;
            for size in sizes {
                assert!(
                    size.abs_diff(fair) < fair / 5 + 10,
                    "{n} shards: {size} vs {fair}"
                );
            }
        }
    }
}
