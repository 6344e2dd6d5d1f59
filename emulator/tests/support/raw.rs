//! Raw HTTP/1.1 exchanges with a server on loopback, for what a well-behaved
//! client library never sends: half-sent heads, late bodies, broken framing.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test waits for a server to answer or close before it fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The host and port of a base URL such as `http://127.0.0.1:41234`.
pub fn addr(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned()
}

/// Opens a connection to the server at `url`.
pub async fn connect(url: &str) -> TcpStream {
    TcpStream::connect(addr(url)).await.expect("connects")
}

/// Sends `request` and reads until the server closes the connection.
pub async fn exchange(url: &str, request: &[u8]) -> Response {
    let mut stream = connect(url).await;
    stream.write_all(request).await.expect("sends");
    read_to_close(&mut stream).await
}

/// Reads everything until the server closes the connection, failing the
/// test when it takes longer than [`PATIENCE`].
pub async fn read_to_close(stream: &mut TcpStream) -> Response {
    let mut received = Vec::new();
    let read = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received)).await;
    let read = read.expect("the server closes the connection in time");
    Response {
        text: String::from_utf8_lossy(&received).into_owned(),
        reset: read.is_err(),
    }
}

/// What came back on a connection.
#[derive(Debug)]
pub struct Response {
    pub text: String,
    /// The connection ended with a reset rather than an orderly close.
    pub reset: bool,
}

impl Response {
    /// The status code of the (last) status line, if any.
    pub fn status(&self) -> Option<u16> {
        let line = self.text.rsplit("HTTP/1.1 ").next()?;
        self.text.contains("HTTP/1.1 ").then_some(())?;
        line.get(..3)?.parse().ok()
    }

    /// A response header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let head = self.text.split("\r\n\r\n").next()?;
        head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        let body = self.text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}
