//! [`FetchOptions::deny_private`](super::FetchOptions::deny_private): which
//! addresses are not public, a DNS resolver that drops them, and the check
//! of IP-literal hosts, which never reach a resolver.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::failure::Failure;
use super::record::ErrorKind;

/// Whether `ip` is an address that `deny_private` refuses: anything that is
/// not a public unicast address of the internet.
///
/// That is, in IPv4: "this network" (0.0.0.0/8, the unspecified address
/// included), private networks (10/8, 172.16/12, 192.168/16), carrier-grade
/// NAT (100.64/10), loopback (127/8), link-local (169.254/16, where cloud
/// metadata services answer), IETF protocol assignments (192.0.0/24),
/// documentation (192.0.2/24, 198.51.100/24, 203.0.113/24), benchmarking
/// (198.18/15), multicast (224/4), reserved and broadcast (240/4). In IPv6:
/// everything outside global unicast (2000::/3), which takes in the
/// unspecified and loopback addresses, unique local (fc00::/7), link-local
/// (fe80::/10), multicast (ff00::/8) and the unallocated blocks; within it,
/// IETF protocol assignments and Teredo (2001::/23) and documentation
/// (2001:db8::/32, 3fff::/20). The IPv6 forms that carry an IPv4 address
/// (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are
/// judged by that IPv4 address.
///
/// ```
/// use copydesk::fetch::is_private;
/// for text in ["127.0.0.1", "10.1.2.3", "100.64.0.1", "169.254.169.254", "0.0.0.0",
///              "::1", "fd00::1", "fe80::1", "::ffff:192.168.0.1"] {
///     assert!(is_private(text.parse().unwrap()), "{text}");
/// }
/// for text in ["93.184.215.14", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
///     assert!(!is_private(text.parse().unwrap()), "{text}");
/// }
/// ```
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => is_private_v6(v6),
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    match a {
        0 | 10 | 127 => true,
        100 => (64..128).contains(&b),
        169 => b == 254,
        172 => (16..32).contains(&b),
        192 => matches!((b, c), (0, 0) | (0, 2) | (168, _)),
        198 => matches!((b, c), (18 | 19, _) | (51, 100)),
        203 => (b, c) == (0, 113),
        224.. => true,
        _ => false,
    }
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return is_private_v4(v4);
    }
    let s = ip.segments();
    // Every public IPv6 address is in 2000::/3; outside it lie loopback,
    // unique and link-local, multicast, and blocks not yet allocated.
    let global_unicast = s[0] & 0xe000 == 0x2000;
    !global_unicast
        || (s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8))
        || (s[0] == 0x3fff && s[1] < 0x1000)
}

/// The IPv4 address an IPv6 address stands for, where connecting to it
/// reaches that IPv4 host: IPv4-mapped (::ffff:a.b.c.d), the well-known
/// NAT64 prefix (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::/48).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let from = |hi: u16, lo: u16| Ipv4Addr::from(u32::from(hi) << 16 | u32::from(lo));
    match s {
        [0, 0, 0, 0, 0, 0xffff, hi, lo] | [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(from(hi, lo)),
        [0x2002, hi, lo, ..] => Some(from(hi, lo)),
        _ => None,
    }
}

/// The error behind a refused address. It travels inside the HTTP
/// client's error as a cause, where [`Failure::from_reqwest`] finds it by
/// type to give the record the kind `blocked`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Blocked(pub String);

/// Refuses a URL whose host is a non-public IP literal: such hosts are
/// connected to directly, without asking the resolver.
pub(crate) fn check_literal(url: &Url) -> Result<(), Failure> {
    let ip = match url.host() {
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if is_private(ip) {
        return Err(Failure::new(
            ErrorKind::Blocked,
            format!("{ip} is not a public address; private addresses are refused"),
        ));
    }
    Ok(())
}

/// A resolver that keeps only the public addresses of a name and fails
/// with [`Blocked`] when there are none. The connection then goes to an
/// address checked here, so a name cannot resolve to a public address for
/// the check and to a private one for the connection.
#[derive(Debug, Default)]
pub(crate) struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let (public, private): (Vec<SocketAddr>, Vec<SocketAddr>) =
                found.into_iter().partition(|a| !is_private(a.ip()));
            if public.is_empty() && !private.is_empty() {
                let shown: Vec<String> = private.iter().map(|a| a.ip().to_string()).collect();
                return Err(Box::new(Blocked(format!(
                    "{host} resolves only to addresses that are not public ({}); \
                     private addresses are refused",
                    shown.join(", ")
                ))) as _);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private(text: &str) -> bool {
        is_private(text.parse().unwrap())
    }

    #[test]
    fn ipv4_special_blocks_are_private_and_their_neighbours_public() {
        for text in [
            "0.0.0.0",
            "0.255.255.255",
            "10.0.0.0",
            "10.255.255.255",
            "100.64.0.0",
            "100.127.255.255",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.0.1",
            "169.254.169.254",
            "172.16.0.0",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.0.1",
            "192.168.255.255",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(private(text), "{text} is not public");
        }
        for text in [
            "1.0.0.1",
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.1",
            "192.0.3.1",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "198.51.99.1",
            "203.0.112.1",
            "223.255.255.255",
            "93.184.215.14",
        ] {
            assert!(!private(text), "{text} is public");
        }
    }

    #[test]
    fn ipv6_special_blocks_are_private_and_global_unicast_public() {
        for text in [
            "::",
            "::1",
            "::7f00:1",
            "fc00::1",
            "fdff:ffff::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "100::1",
            "2001::1",
            "2001:1ff::1",
            "2001:db8::1",
            "3fff:fff::1",
            "64:ff9b:1::1",
            "4000::1",
            "1fff::1",
        ] {
            assert!(private(text), "{text} is not public");
        }
        for text in [
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "2001:200::1",
            "2001:db9::1",
            "3fff:1000::1",
            "3ffe::1",
        ] {
            assert!(!private(text), "{text} is public");
        }
    }

    #[test]
    fn ipv6_forms_of_ipv4_addresses_are_judged_by_the_ipv4_address() {
        for text in [
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::127.0.0.1",
            "64:ff9b::192.168.1.1",
            "2002:7f00:1::1",
            "2002:c0a8:101::",
        ] {
            assert!(private(text), "{text} stands for a private address");
        }
        for text in ["::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1"] {
            assert!(!private(text), "{text} stands for a public address");
        }
    }

    #[test]
    fn ip_literal_hosts_are_checked_in_every_spelling() {
        for text in [
            "http://127.0.0.1:8080/a",
            "http://[::1]/",
            "https://[::ffff:7f00:1]/",
            // The URL parser reads these as IPv4 addresses, as browsers do.
            "http://2130706433/",
            "http://0x7f.1/",
            "http://127.1/",
            "http://10.0.0.1./",
            "http://169.254.169.254/latest/meta-data/",
        ] {
            let url = Url::parse(text).unwrap();
            let err = check_literal(&url).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Blocked, "{text}");
        }
        for text in [
            "http://93.184.215.14/",
            "http://[2606:4700::1111]/",
            "http://localhost/",
            "http://example.com/",
        ] {
            assert!(check_literal(&Url::parse(text).unwrap()).is_ok(), "{text}");
        }
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_of_private_addresses_only() {
        let err = match PublicOnly.resolve("localhost".parse().unwrap()).await {
            Ok(addrs) => panic!("localhost resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(err) => err,
        };
        let blocked = err.downcast_ref::<Blocked>().expect("a Blocked error");
        assert!(blocked.0.contains("localhost"), "{}", blocked.0);
    }
}
