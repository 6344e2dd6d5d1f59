//! Wall time per call against the in-process emulator on loopback: the
//! facade, the generated client and a bare reqwest POST of the same batch,
//! measured in one run so that their ratios mean something (medians; the
//! instruction counts of `benches/call_cost.rs` are steadier).
//!
//! cargo bench --bench client_overhead

mod common;

use common::{input, Clients, Kind};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use linkedin_invitations_emulator::Emulator;

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = tokio::runtime::Runtime::new().unwrap();
    let emulator = server.block_on(Emulator::start()).unwrap();
    let clients = Clients::new(emulator.url());

    for batch in [1, 10, 100] {
        let mut group = c.benchmark_group(format!("close_{batch}_invitations"));
        for kind in Kind::ALL {
            group.bench_function(kind.name(), |b| {
                b.iter_batched(
                    || input(batch),
                    |input| runtime.block_on(clients.call(kind, input)),
                    BatchSize::SmallInput,
                )
            });
        }
        group.finish();
    }
}

criterion_group!(benches, overhead);
criterion_main!(benches);
