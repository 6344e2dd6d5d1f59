//! Every call is one `graph.request` span whose fields follow OpenTelemetry's
//! HTTP client conventions plus Graph's ids, so a tracing-opentelemetry
//! subscriber exports it as is. A layer collects the spans' fields (not the
//! text of any event) on a success, an error and a retry.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use linkedin_invitations::Invitation;
use serde_json::json;
use support::fault_server::{FaultServer, Reply};
use support::{bounded, builder_for, envelope, fast_retries, results};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

type Fields = BTreeMap<String, String>;

/// The fields of every closed span named `graph.request`.
#[derive(Clone, Default)]
struct Spans {
    open: Arc<Mutex<BTreeMap<u64, Fields>>>,
    closed: Arc<Mutex<Vec<Fields>>>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() == "graph.request" {
            let mut fields = Fields::new();
            attrs.record(&mut Collect(&mut fields));
            self.open.lock().unwrap().insert(id.into_u64(), fields);
        }
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Collect(fields));
        }
    }
    fn on_close(&self, id: Id, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().remove(&id.into_u64()) {
            self.closed.lock().unwrap().push(fields);
        }
    }
}

impl Spans {
    fn install() -> (Self, tracing::subscriber::DefaultGuard) {
        let spans = Spans::default();
        let subscriber = tracing_subscriber::registry().with(spans.clone());
        let guard = tracing::subscriber::set_default(subscriber);
        // A callsite met earlier with no subscriber must see this one.
        tracing::callsite::rebuild_interest_cache();
        (spans, guard)
    }

    fn only(&self) -> Fields {
        let closed = self.closed.lock().unwrap();
        assert_eq!(closed.len(), 1, "one span per call: {closed:#?}");
        closed[0].clone()
    }
}

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.get(name).map(String::as_str)
}

fn one() -> [Invitation; 1] {
    [Invitation::new("inv-1", "vt-secret-1")]
}

// The fault server names each answer `request-id: fault-<status>`.
fn assert_request_fields(fields: &Fields, server: &FaultServer) {
    let url = format!(
        "{}/linkedIn/invitations/inviteeClosingInvitation",
        server.url
    );
    let port = url::Url::parse(&url).unwrap().port().unwrap().to_string();
    assert_eq!(field(fields, "otel.name"), Some("POST"));
    assert_eq!(field(fields, "otel.kind"), Some("client"));
    assert_eq!(field(fields, "http.request.method"), Some("POST"));
    assert_eq!(field(fields, "url.full"), Some(url.as_str()));
    assert_eq!(field(fields, "server.address"), Some("127.0.0.1"));
    assert_eq!(field(fields, "server.port"), Some(port.as_str()));
    let sent = server.received()[0].header("client-request-id").unwrap();
    assert_eq!(field(fields, "client_request_id"), Some(sent.as_str()));
    assert!(
        !fields
            .values()
            .any(|v| v.contains("vt-secret-1") || v.contains(support::TOKEN)),
        "{fields:#?}"
    );
}

#[tokio::test]
async fn a_success_has_the_status_the_request_id_and_no_error() {
    let server = FaultServer::start(vec![Reply::json(200, &results(&[("inv-1", 200)]))]).await;
    let client = builder_for(&server.url).build().unwrap();
    let (spans, _guard) = Spans::install();
    bounded(client.accept(one())).await.unwrap();

    let fields = spans.only();
    assert_request_fields(&fields, &server);
    assert_eq!(field(&fields, "http.response.status_code"), Some("200"));
    assert_eq!(field(&fields, "request_id"), Some("fault-200"));
    assert_eq!(field(&fields, "delivery"), Some("processed"));
    assert_eq!(field(&fields, "error.type"), None);
    assert_eq!(field(&fields, "http.request.resend_count"), None);
}

#[tokio::test]
async fn an_error_answer_has_its_status_as_error_type_and_its_request_id() {
    let server = FaultServer::start(vec![Reply::json(
        404,
        &envelope("NotFound", "no such thing"),
    )])
    .await;
    let client = builder_for(&server.url).build().unwrap();
    let (spans, _guard) = Spans::install();
    bounded(client.accept(one())).await.unwrap_err();

    let fields = spans.only();
    assert_request_fields(&fields, &server);
    assert_eq!(field(&fields, "http.response.status_code"), Some("404"));
    assert_eq!(field(&fields, "error.type"), Some("404"));
    assert_eq!(field(&fields, "request_id"), Some("fault-404"));
}

#[tokio::test]
async fn a_failure_without_an_answer_has_its_kind_as_error_type() {
    let server = FaultServer::start(vec![Reply::ResetBeforeHeaders]).await;
    let client = builder_for(&server.url).build().unwrap();
    let (spans, _guard) = Spans::install();
    bounded(client.accept(one())).await.unwrap_err();

    let fields = spans.only();
    assert_eq!(field(&fields, "error.type"), Some("transport"));
    assert_eq!(field(&fields, "http.response.status_code"), None);
    assert_eq!(field(&fields, "delivery"), Some("maybe_processed"));
}

#[tokio::test]
async fn a_retry_counts_its_resends_and_keeps_the_last_status() {
    let server = FaultServer::start(vec![
        Reply::json(
            503,
            &json!({"error": {"code": "serviceNotAvailable", "message": "busy"}}),
        )
        .header("retry-after", "0"),
        Reply::json(200, &results(&[("inv-1", 200)])),
    ])
    .await;
    let client = builder_for(&server.url)
        .retry(fast_retries())
        .build()
        .unwrap();
    let (spans, _guard) = Spans::install();
    bounded(client.accept(one())).await.unwrap();

    let fields = spans.only();
    assert_request_fields(&fields, &server);
    assert_eq!(field(&fields, "http.request.resend_count"), Some("1"));
    assert_eq!(field(&fields, "http.response.status_code"), Some("200"));
    assert_eq!(field(&fields, "request_id"), Some("fault-200"));
    assert_eq!(field(&fields, "error.type"), None);
}
