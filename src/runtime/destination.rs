//! Where a request may go: never a token over plain http to another host,
//! and only redirects that keep the request what it was.

use std::net::IpAddr;

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Method, StatusCode, Url};

use super::error::{Error, ErrorKind};

/// Refuses to send a bearer token over plain http, except to loopback.
pub(crate) fn refuse_plain_http(url: &Url) -> Result<(), Error> {
    if url.scheme() == "http" && !is_loopback(url) {
        return Err(Error::config(format!(
            "refusing to send a bearer token over plain http to {}: use https",
            url.host_str().unwrap_or_default()
        )));
    }
    Ok(())
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Whether two URLs share scheme, host and port: the `Authorization` header
/// travels only within one origin.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Where a `3xx` answer to a `method` request for `from` leads, when it may
/// be followed: `307` and `308` keep the method and body; `301`, `302` and
/// `303` only for `GET` and `HEAD` (they would turn any other request into a
/// `GET`); never from https to http, and at most `max` times in a call
/// (`followed` so far).
pub(crate) fn redirect(
    from: &Url,
    method: &Method,
    status: StatusCode,
    headers: &HeaderMap,
    followed: usize,
    max: usize,
) -> Result<Url, Error> {
    let refuse = |why: String| Error::new(ErrorKind::Redirect, why);
    let safe = *method == Method::GET || *method == Method::HEAD;
    let keeps_the_request = match status.as_u16() {
        307 | 308 => true,
        301..=303 => safe,
        _ => false,
    };
    if !keeps_the_request {
        return Err(refuse(format!(
            "the service redirected a {method} with {}, which does not keep it a {method}: not followed",
            status.as_u16()
        )));
    }
    let location = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refuse("a redirect without a usable Location".to_owned()))?;
    let next = from
        .join(location)
        .map_err(|e| refuse(format!("a redirect to an invalid Location: {e}")))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(refuse(format!(
            "refusing to follow a redirect to a {} URL",
            next.scheme()
        )));
    }
    if from.scheme() == "https" && next.scheme() == "http" {
        return Err(refuse(
            "refusing to follow a redirect from https to http".to_owned(),
        ));
    }
    if followed >= max {
        return Err(refuse(format!("more than {max} redirects")));
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn url(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    fn to(location: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).unwrap());
        headers
    }

    fn status(code: u16) -> StatusCode {
        StatusCode::from_u16(code).unwrap()
    }

    #[test]
    fn a_get_follows_301_302_303_and_keeps_a_get() {
        let from = url("https://graph.microsoft.com/beta/x");
        for code in [301, 302, 303, 307, 308] {
            let next = redirect(&from, &Method::GET, status(code), &to("/beta/y"), 0, 5);
            assert_eq!(next.unwrap().path(), "/beta/y", "{code}");
        }
        assert!(redirect(&from, &Method::GET, status(300), &to("/y"), 0, 5).is_err());
    }

    #[test]
    fn a_post_follows_only_307_and_308_and_relative_locations_resolve() {
        let from = url("https://graph.microsoft.com/beta/x");
        let next = redirect(&from, &Method::POST, status(307), &to("/beta/y"), 0, 5).unwrap();
        assert_eq!(next.as_str(), "https://graph.microsoft.com/beta/y");
        assert!(redirect(
            &from,
            &Method::POST,
            status(308),
            &to("https://other.example/y"),
            0,
            5
        )
        .is_ok());
        for code in [300, 301, 302, 303, 304] {
            let error = redirect(&from, &Method::POST, status(code), &to("/y"), 0, 5).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Redirect, "{code}");
        }
    }

    #[test]
    fn redirects_never_downgrade_to_http_and_stop_at_the_limit() {
        let https = url("https://graph.microsoft.com/beta/x");
        let error = redirect(
            &https,
            &Method::POST,
            status(307),
            &to("http://graph.microsoft.com/x"),
            0,
            5,
        );
        assert!(error.unwrap_err().to_string().contains("https to http"));
        let http = url("http://127.0.0.1:1/x");
        assert!(redirect(
            &http,
            &Method::POST,
            status(307),
            &to("https://127.0.0.1:2/x"),
            0,
            5
        )
        .is_ok());
        assert!(redirect(&https, &Method::POST, status(307), &to("/y"), 4, 5).is_ok());
        assert!(redirect(&https, &Method::POST, status(307), &to("/y"), 5, 5).is_err());
        assert!(redirect(&https, &Method::POST, status(307), &to("/y"), 0, 0).is_err());
        assert!(redirect(&https, &Method::POST, status(307), &HeaderMap::new(), 0, 5).is_err());
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for u in [
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:1",
            "http://127.3.2.1",
        ] {
            assert!(is_loopback(&url(u)), "{u}");
        }
        for u in [
            "http://10.0.0.1",
            "http://graph.microsoft.com",
            "http://localhost.evil.com",
        ] {
            assert!(!is_loopback(&url(u)), "{u}");
        }
    }

    #[test]
    fn origins_differ_by_scheme_host_or_port() {
        let a = url("https://h/x");
        assert!(same_origin(&a, &url("https://h:443/y")));
        assert!(!same_origin(&a, &url("http://h/x")));
        assert!(!same_origin(&a, &url("https://g/x")));
        assert!(!same_origin(&a, &url("https://h:8443/x")));
    }
}
