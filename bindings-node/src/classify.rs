//! Failure classification: Redis replies, errno codes, SQLSTATEs, HTTP.

use crate::convert;
use crate::error::throwing;
use napi::Env;
use napi_derive::napi;
use stormguard::classify::{
    Classification, HttpClassifier, HttpClassifierOptions, HttpOutcome, classify_errno,
    classify_redis, classify_sqlstate,
};

/// A classification as JavaScript sees it.
#[napi(object)]
#[derive(Debug)]
pub struct ClassificationResult {
    /// `retriable`, `retriableAfterDelay`, `reconnectAndResend`, `redirect`,
    /// `notRetriable` or `notAFailure`.
    pub class: String,
    /// The stable snake_case code of the rule that matched.
    pub reason: String,
    /// Whether the same request should be sent again.
    pub retriable: bool,
}

impl From<Classification> for ClassificationResult {
    fn from(c: Classification) -> Self {
        Self {
            class: c.class.as_str().to_owned(),
            reason: c.reason.to_owned(),
            retriable: c.is_retriable(),
        }
    }
}

/// Classifies a Redis error reply or a client's error text.
#[napi]
pub fn classify_redis_message(message: String) -> ClassificationResult {
    classify_redis(message).into()
}

/// Classifies an errno-style code (`ECONNRESET`, `CERT_HAS_EXPIRED` …).
#[napi]
pub fn classify_errno_code(code: String) -> ClassificationResult {
    classify_errno(code).into()
}

/// Classifies a PostgreSQL SQLSTATE.
#[napi]
pub fn classify_sqlstate_code(code: String) -> ClassificationResult {
    classify_sqlstate(code).into()
}

/// A validated HTTP classifier.
#[napi(js_name = "NativeHttpClassifier")]
#[derive(Debug)]
pub struct NativeHttpClassifier {
    classifier: HttpClassifier,
}

#[napi]
impl NativeHttpClassifier {
    /// Validates `options` (JSON text of `HttpClassifierOptions`).
    #[napi(constructor)]
    pub fn new(env: Env, options: String) -> napi::Result<Self> {
        throwing(&env, || {
            let options: HttpClassifierOptions = convert::options("HTTP classifier", &options)?;
            Ok(Self {
                classifier: HttpClassifier::new(&options)?,
            })
        })
    }

    /// Classifies one outcome; `status` is `null` when no response arrived.
    #[napi]
    pub fn classify(
        &self,
        env: Env,
        status: Option<f64>,
        method: String,
        idempotency_key: bool,
        reached_server: bool,
    ) -> napi::Result<ClassificationResult> {
        throwing(&env, || {
            let status = match status {
                Some(status) => Some(convert::whole("status", status, 999)? as u16),
                None => None,
            };
            let outcome = HttpOutcome {
                status,
                method: &method,
                has_idempotency_key: idempotency_key,
                reached_server,
            };
            Ok(self.classifier.classify(&outcome).into())
        })
    }
}
