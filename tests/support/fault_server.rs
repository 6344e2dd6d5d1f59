//! A loopback HTTP/1.1 server that misbehaves on command: each accepted
//! connection takes the next scripted [`Reply`] (the last one repeats).
//! Written on raw TCP because the faults (resets, truncated and endless
//! bodies, stalls) are exactly what well-behaved server libraries prevent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Announces `content_length` bytes, sends `sent`, then closes.
    Truncated {
        content_length: usize,
        sent: Vec<u8>,
    },
    /// Resets the connection after reading the request.
    ResetBeforeHeaders,
    /// Sends the status line and headers, then resets.
    ResetAfterHeaders,
    /// Waits, then sends a complete 200.
    SlowHeaders(Duration),
    /// Sends headers and part of the body, then stalls.
    SlowBody(Duration),
    /// A chunked 200 whose body never ends (until the client hangs up or
    /// `limit` bytes are out, so the test itself stays bounded).
    Endless { limit: usize },
    /// Closes the listening socket: every later connection is refused.
    StopListening,
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::with_type(status, "application/json", body.to_string().into_bytes())
    }

    pub fn with_type(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self::Full {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Self::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// A received request: its head (request line and headers) and body.
#[derive(Clone, Debug)]
pub struct Received {
    pub head: String,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

pub struct FaultServer {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    pub async fn start(script: Vec<Reply>) -> Self {
        assert!(!script.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let task = tokio::spawn(async move {
            let mut next = 0;
            loop {
                if matches!(script[next.min(script.len() - 1)], Reply::StopListening) {
                    return;
                }
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let reply = script[next.min(script.len() - 1)].clone();
                next += 1;
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let _ = serve(stream, reply, log).await;
                });
            }
        });
        Self {
            url,
            received,
            task,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut request = Received {
        head,
        body: buffer[head_end..].to_vec(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while request.body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        request.body.extend_from_slice(&chunk[..n]);
    }
    Ok(request)
}

fn head(status: u16, headers: &[(String, String)], content_length: Option<usize>) -> Vec<u8> {
    let mut text =
        format!("HTTP/1.1 {status} Status\r\nconnection: close\r\nrequest-id: fault-{status}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    match content_length {
        Some(n) => text.push_str(&format!("content-length: {n}\r\n\r\n")),
        None => text.push_str("transfer-encoding: chunked\r\n\r\n"),
    }
    text.into_bytes()
}

async fn reset(stream: TcpStream) {
    // Linger 0 makes close send RST instead of FIN.
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn serve(
    mut stream: TcpStream,
    reply: Reply,
    log: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let request = read_request(&mut stream).await?;
    log.lock().unwrap().push(request);
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            stream
                .write_all(&head(status, &headers, Some(body.len())))
                .await?;
            stream.write_all(&body).await?;
        }
        Reply::Truncated {
            content_length,
            sent,
        } => {
            let json = [("content-type".to_owned(), "application/json".to_owned())];
            stream
                .write_all(&head(200, &json, Some(content_length)))
                .await?;
            stream.write_all(&sent).await?;
        }
        Reply::ResetBeforeHeaders => {
            reset(stream).await;
            return Ok(());
        }
        Reply::ResetAfterHeaders => {
            stream.write_all(&head(200, &[], Some(100))).await?;
            stream.flush().await?;
            tokio::time::sleep(Duration::from_millis(20)).await;
            reset(stream).await;
            return Ok(());
        }
        Reply::SlowHeaders(delay) => {
            tokio::time::sleep(delay).await;
            let body = br#"{"value":{}}"#;
            stream.write_all(&head(200, &[], Some(body.len()))).await?;
            stream.write_all(body).await?;
        }
        Reply::SlowBody(delay) => {
            stream.write_all(&head(200, &[], Some(64))).await?;
            stream.write_all(br#"{"value":"#).await?;
            stream.flush().await?;
            tokio::time::sleep(delay).await;
        }
        Reply::StopListening => unreachable!("the listener is closed before"),
        Reply::Endless { limit } => {
            stream.write_all(&head(200, &[], None)).await?;
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0;
            while sent < limit {
                stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                stream.write_all(&chunk).await?;
                stream.write_all(b"\r\n").await?;
                sent += chunk.len();
            }
        }
    }
    stream.shutdown().await
}
