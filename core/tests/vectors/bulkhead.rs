//! `kind: "bulkhead"`: sequences of bulkhead calls with expected decisions.
//!
//! Permits and tickets are named by labels (`"as": "p1"`), so the vectors pin
//! behaviour, not the ids an implementation happens to choose.

use crate::harness::load;
use serde::Deserialize;
use std::collections::HashMap;
use stormguard::Instant;
use stormguard::bulkhead::{
    Admission, Bulkhead, BulkheadMetrics, BulkheadOptions, BulkheadPermit, QueueTicket,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    name: String,
    options: BulkheadOptions,
    #[serde(default)]
    ops: Vec<Op>,
    expect_error: Option<ExpectError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectError {
    field: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum Expect {
    Admitted,
    Queued,
    Rejected,
}

#[derive(Debug, Deserialize)]
#[serde(
    tag = "op",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
enum Op {
    Enter {
        now_ms: f64,
        expect: Expect,
        #[serde(rename = "as")]
        label: Option<String>,
        reason: Option<String>,
    },
    Release {
        now_ms: f64,
        permit: String,
        expect_handed_to: Option<String>,
        expect_error: Option<String>,
    },
    Claim {
        ticket: String,
        #[serde(rename = "as")]
        label: Option<String>,
        expect_error: Option<String>,
    },
    Cancel {
        now_ms: f64,
        ticket: String,
        expect_handed_to: Option<String>,
        expect_error: Option<String>,
    },
    PollTimeout {
        expect_ms: Option<f64>,
    },
    HandleTimeout {
        now_ms: f64,
        expect_ticket: Option<String>,
    },
    Position {
        ticket: String,
        expect: Option<u32>,
    },
    Metrics {
        expect: BulkheadMetrics,
    },
}

/// Labels bound so far, both ways for tickets.
#[derive(Default)]
struct Labels {
    permits: HashMap<String, BulkheadPermit>,
    tickets: HashMap<String, QueueTicket>,
    ticket_names: HashMap<QueueTicket, String>,
}

impl Labels {
    fn permit(&self, label: &str, context: &str) -> BulkheadPermit {
        *self
            .permits
            .get(label)
            .unwrap_or_else(|| panic!("{context}: unbound permit `{label}`"))
    }

    fn ticket(&self, label: &str, context: &str) -> QueueTicket {
        *self
            .tickets
            .get(label)
            .unwrap_or_else(|| panic!("{context}: unbound ticket `{label}`"))
    }

    fn bind_permit(&mut self, label: Option<String>, permit: BulkheadPermit, context: &str) {
        let label = label.unwrap_or_else(|| panic!("{context}: `as` is required"));
        assert!(
            self.permits.insert(label, permit).is_none(),
            "{context}: label reused"
        );
    }

    fn bind_ticket(&mut self, label: Option<String>, ticket: QueueTicket, context: &str) {
        let label = label.unwrap_or_else(|| panic!("{context}: `as` is required"));
        self.ticket_names.insert(ticket, label.clone());
        assert!(
            self.tickets.insert(label, ticket).is_none(),
            "{context}: label reused"
        );
    }

    fn name(&self, ticket: Option<QueueTicket>) -> Option<String> {
        ticket.map(|t| {
            self.ticket_names
                .get(&t)
                .cloned()
                .unwrap_or_else(|| format!("<unlabelled {}>", t.id()))
        })
    }
}

fn at(now_ms: f64) -> Instant {
    Instant::from_millis_f64(now_ms).expect("valid nowMs")
}

fn check_handed(
    labels: &Labels,
    result: Result<Option<QueueTicket>, stormguard::bulkhead::BulkheadError>,
    expect_handed_to: Option<String>,
    expect_error: Option<String>,
    context: &str,
) {
    match (result, expect_error) {
        (Err(err), Some(code)) => assert_eq!(err.code(), code, "{context}"),
        (Ok(ticket), None) => assert_eq!(labels.name(ticket), expect_handed_to, "{context}"),
        (got, want) => panic!("{context}: got {got:?}, expected error {want:?}"),
    }
}

fn run(case: Case, file: &str) {
    let name = format!("{file} `{}`", case.name);
    let built = Bulkhead::new(&case.options);
    if let Some(expected) = case.expect_error {
        let err = built.expect_err(&name);
        assert_eq!(err.field(), expected.field, "{name}");
        assert!(case.ops.is_empty(), "{name}: ops after a config error");
        return;
    }
    let mut bulkhead = built.unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut labels = Labels::default();
    for (i, op) in case.ops.into_iter().enumerate() {
        let context = format!("{name} op {i} ({op:?})");
        match op {
            Op::Enter {
                now_ms,
                expect,
                label,
                reason,
            } => match (bulkhead.try_enter(at(now_ms)), expect) {
                (Admission::Admitted(permit), Expect::Admitted) => {
                    labels.bind_permit(label, permit, &context);
                }
                (Admission::Queued(ticket), Expect::Queued) => {
                    labels.bind_ticket(label, ticket, &context);
                }
                (Admission::Rejected { reason: got }, Expect::Rejected) => {
                    assert_eq!(Some(got.as_str()), reason.as_deref(), "{context}");
                }
                (got, _) => panic!("{context}: got {got:?}"),
            },
            Op::Release {
                now_ms,
                permit,
                expect_handed_to,
                expect_error,
            } => {
                let permit = labels.permit(&permit, &context);
                let result = bulkhead.release(at(now_ms), permit);
                check_handed(&labels, result, expect_handed_to, expect_error, &context);
            }
            Op::Claim {
                ticket,
                label,
                expect_error,
            } => match (
                bulkhead.claim(labels.ticket(&ticket, &context)),
                expect_error,
            ) {
                (Ok(permit), None) => labels.bind_permit(label, permit, &context),
                (Err(err), Some(code)) => assert_eq!(err.code(), code, "{context}"),
                (got, want) => panic!("{context}: got {got:?}, expected error {want:?}"),
            },
            Op::Cancel {
                now_ms,
                ticket,
                expect_handed_to,
                expect_error,
            } => {
                let ticket = labels.ticket(&ticket, &context);
                let result = bulkhead.cancel(at(now_ms), ticket);
                check_handed(&labels, result, expect_handed_to, expect_error, &context);
            }
            Op::PollTimeout { expect_ms } => {
                let got = bulkhead.poll_timeout().map(Instant::as_millis_f64);
                match (got, expect_ms) {
                    (Some(got), Some(want)) => crate::harness::assert_ms(got, want, &context),
                    (got, want) => assert_eq!(got, want, "{context}"),
                }
            }
            Op::HandleTimeout {
                now_ms,
                expect_ticket,
            } => {
                let got = bulkhead.handle_timeout(at(now_ms));
                assert_eq!(labels.name(got), expect_ticket, "{context}");
            }
            Op::Position { ticket, expect } => {
                let ticket = labels.ticket(&ticket, &context);
                assert_eq!(bulkhead.queue_position(ticket), expect, "{context}");
            }
            Op::Metrics { expect } => assert_eq!(bulkhead.metrics(), expect, "{context}"),
        }
    }
}

#[test]
fn bulkhead_matches_vectors() {
    for (file, vectors) in load::<Case>("bulkhead") {
        for case in vectors.cases {
            run(case, &file);
        }
    }
}
