//! Hot-path cost of reading hints and classifying failures.
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use stormguard::classify::{HttpClassifier, HttpOutcome, classify_errno, classify_redis};
use stormguard::retry_after::{
    HintHeader, RetryAfterPolicy, UnixTime, parse_delta_seconds, parse_hint, parse_retry_after,
};

fn parsing(c: &mut Criterion) {
    let now = UnixTime::from_millis(784_111_700_000);
    c.bench_function("retry_after/delta_seconds", |b| {
        b.iter(|| parse_delta_seconds(black_box("120")))
    });
    c.bench_function("retry_after/imf_fixdate", |b| {
        b.iter(|| parse_retry_after(black_box("Sun, 06 Nov 1994 08:49:37 GMT"), black_box(now)))
    });
    c.bench_function("retry_after/rfc850_date", |b| {
        b.iter(|| parse_retry_after(black_box("Sunday, 06-Nov-94 08:49:37 GMT"), black_box(now)))
    });
    c.bench_function("retry_after/header_and_decide", |b| {
        let policy = RetryAfterPolicy::default();
        b.iter(|| {
            let header = HintHeader::from_name(black_box("Retry-After")).unwrap();
            let hint = parse_hint(header, black_box("30"), now).ok();
            policy.decide(black_box(Duration::from_millis(250)), hint)
        })
    });
}

fn classification(c: &mut Criterion) {
    c.bench_function("classify/redis", |b| {
        b.iter(|| {
            classify_redis(black_box(
                "ReplyError: LOADING Redis is loading the dataset",
            ))
        })
    });
    c.bench_function("classify/errno", |b| {
        b.iter(|| classify_errno(black_box("ECONNRESET")))
    });
    let classifier = HttpClassifier::default();
    c.bench_function("classify/http", |b| {
        b.iter(|| classifier.classify(black_box(&HttpOutcome::response("post", 503))))
    });
}

criterion_group!(benches, parsing, classification);
criterion_main!(benches);
