//! Redis error replies.
//!
//! Why: Redis tells the client what went wrong in the first word of an error
//! reply (`-LOADING Redis is loading the dataset in memory`). Some of those
//! words mean "come back shortly", one means "you are talking to a replica
//! after a failover", two mean "ask another node", and the rest are bugs or
//! configuration problems that no retry can fix. ioredis retries none of
//! them specially; redis-py maps a few to exception classes and strips the
//! word from the message. This classifier reads both.
//!
//! ```text
//! input:  [ws] ["-"] { wrapper ":" ws } CODE [ws rest]
//!         wrapper = a word ending in ":" such as "ReplyError:" (ioredis) or
//!                   "redis.exceptions.BusyLoadingError:" (redis-py)
//! CODE (case-sensitive, as Redis sends it):
//!   LOADING BUSY TRYAGAIN CLUSTERDOWN MASTERDOWN NOREPLICAS → retriableAfterDelay
//!   READONLY                                                → reconnectAndResend
//!   MOVED ASK                                               → redirect
//!   OOM NOAUTH WRONGPASS NOPERM WRONGTYPE ERR EXECABORT
//!   NOSCRIPT CROSSSLOT MISCONF BUSYKEY BUSYGROUP            → notRetriable
//!   anything else                                           → notRetriable "redis_unknown"
//! when CODE is not known, a redis-py exception name that stood for one
//! (BusyLoadingError → LOADING, ReadOnlyError → READONLY, …) decides instead.
//! ```
//!
//! Constraints: the code must be the whole first word (`BUSYKEY` is not
//! `BUSY`); no allocation, no panic, at most four wrappers are peeled.

use super::{Classification, FailureClass};

const AFTER_DELAY: FailureClass = FailureClass::RetriableAfterDelay;
const NOT_RETRIABLE: FailureClass = FailureClass::NotRetriable;

/// Error codes Redis sends as the first word of an error reply.
const CODES: [(&[u8], FailureClass, &str); 21] = [
    (b"LOADING", AFTER_DELAY, "redis_loading"),
    (b"BUSY", AFTER_DELAY, "redis_busy"),
    (b"TRYAGAIN", AFTER_DELAY, "redis_tryagain"),
    (b"CLUSTERDOWN", AFTER_DELAY, "redis_clusterdown"),
    (b"MASTERDOWN", AFTER_DELAY, "redis_masterdown"),
    (b"NOREPLICAS", AFTER_DELAY, "redis_noreplicas"),
    (
        b"READONLY",
        FailureClass::ReconnectAndResend,
        "redis_readonly",
    ),
    (b"MOVED", FailureClass::Redirect, "redis_moved"),
    (b"ASK", FailureClass::Redirect, "redis_ask"),
    (b"OOM", NOT_RETRIABLE, "redis_oom"),
    (b"NOAUTH", NOT_RETRIABLE, "redis_noauth"),
    (b"WRONGPASS", NOT_RETRIABLE, "redis_wrongpass"),
    (b"NOPERM", NOT_RETRIABLE, "redis_noperm"),
    (b"WRONGTYPE", NOT_RETRIABLE, "redis_wrongtype"),
    (b"ERR", NOT_RETRIABLE, "redis_err"),
    (b"EXECABORT", NOT_RETRIABLE, "redis_execabort"),
    (b"NOSCRIPT", NOT_RETRIABLE, "redis_noscript"),
    (b"CROSSSLOT", NOT_RETRIABLE, "redis_crossslot"),
    (b"MISCONF", NOT_RETRIABLE, "redis_misconf"),
    (b"BUSYKEY", NOT_RETRIABLE, "redis_busykey"),
    (b"BUSYGROUP", NOT_RETRIABLE, "redis_busygroup"),
];

/// redis-py exception classes whose message no longer starts with the code
/// they stand for, and the code's classification.
const REDIS_PY_CLASSES: [(&[u8], FailureClass, &str); 13] = [
    (b"BusyLoadingError", AFTER_DELAY, "redis_loading"),
    (b"TryAgainError", AFTER_DELAY, "redis_tryagain"),
    (b"ClusterDownError", AFTER_DELAY, "redis_clusterdown"),
    (b"MasterDownError", AFTER_DELAY, "redis_masterdown"),
    (
        b"ReadOnlyError",
        FailureClass::ReconnectAndResend,
        "redis_readonly",
    ),
    (b"MovedError", FailureClass::Redirect, "redis_moved"),
    (b"AskError", FailureClass::Redirect, "redis_ask"),
    (b"OutOfMemoryError", NOT_RETRIABLE, "redis_oom"),
    (b"AuthenticationError", NOT_RETRIABLE, "redis_auth"),
    (b"NoPermissionError", NOT_RETRIABLE, "redis_noperm"),
    (b"ExecAbortError", NOT_RETRIABLE, "redis_execabort"),
    (b"NoScriptError", NOT_RETRIABLE, "redis_noscript"),
    (b"ClusterCrossSlotError", NOT_RETRIABLE, "redis_crossslot"),
];

/// How many `Wrapper:` prefixes are peeled before the code is read.
const MAX_WRAPPERS: usize = 4;

/// Classifies a Redis error reply or a client's error message built from one
/// (`"-LOADING …"`, `"LOADING …"`, `"ReplyError: LOADING …"`,
/// `"redis.exceptions.ReadOnlyError: You can't write against a read only replica."`).
///
/// Never panics or allocates. An empty message is `notRetriable`
/// `"redis_empty"`; an unknown code is `notRetriable` `"redis_unknown"`.
pub fn classify_redis(message: impl AsRef<[u8]>) -> Classification {
    let mut rest = message.as_ref().trim_ascii_start();
    if rest.is_empty() {
        return Classification::new(NOT_RETRIABLE, "redis_empty");
    }
    let mut wrapper: &[u8] = &[];
    for _ in 0..MAX_WRAPPERS {
        rest = rest.strip_prefix(b"-").unwrap_or(rest);
        let word = first_word(rest);
        match word.strip_suffix(b":") {
            Some(name) if !name.is_empty() => {
                wrapper = last_path_segment(name);
                rest = rest
                    .get(word.len()..)
                    .unwrap_or_default()
                    .trim_ascii_start();
            }
            _ => break,
        }
    }
    let code = first_word(rest.strip_prefix(b"-").unwrap_or(rest));
    lookup(&CODES, code)
        .or_else(|| lookup(&REDIS_PY_CLASSES, wrapper))
        .unwrap_or(Classification::new(NOT_RETRIABLE, "redis_unknown"))
}

fn lookup(table: &[(&[u8], FailureClass, &'static str)], key: &[u8]) -> Option<Classification> {
    table
        .iter()
        .find(|(name, _, _)| *name == key)
        .map(|&(_, class, reason)| Classification::new(class, reason))
}

/// The bytes up to the first ASCII whitespace.
fn first_word(text: &[u8]) -> &[u8] {
    let len = text.iter().take_while(|b| !b.is_ascii_whitespace()).count();
    text.get(..len).unwrap_or_default()
}

/// `redis.exceptions.BusyLoadingError` → `BusyLoadingError`.
fn last_path_segment(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b'.').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(message: &str) -> (FailureClass, &'static str) {
        let c = classify_redis(message);
        (c.class, c.reason)
    }

    #[test]
    fn busy_server_replies_retry_after_a_delay() {
        for (message, reason) in [
            (
                "LOADING Redis is loading the dataset in memory",
                "redis_loading",
            ),
            ("BUSY Redis is busy running a script.", "redis_busy"),
            (
                "TRYAGAIN Multiple keys request during rehashing of slot",
                "redis_tryagain",
            ),
            ("CLUSTERDOWN The cluster is down", "redis_clusterdown"),
            ("MASTERDOWN Link with MASTER is down", "redis_masterdown"),
        ] {
            assert_eq!(class(message), (AFTER_DELAY, reason), "{message}");
        }
    }

    #[test]
    fn readonly_after_failover_reconnects_and_resends() {
        let reply = "READONLY You can't write against a read only replica.";
        assert_eq!(
            class(reply),
            (FailureClass::ReconnectAndResend, "redis_readonly")
        );
    }

    #[test]
    fn cluster_redirections_are_not_retries() {
        assert_eq!(
            class("MOVED 3999 127.0.0.1:6381"),
            (FailureClass::Redirect, "redis_moved")
        );
        assert_eq!(
            class("ASK 3999 127.0.0.1:6381"),
            (FailureClass::Redirect, "redis_ask")
        );
    }

    #[test]
    fn permanent_errors_are_not_retried() {
        for code in [
            "OOM",
            "NOAUTH",
            "WRONGPASS",
            "NOPERM",
            "WRONGTYPE",
            "ERR",
            "EXECABORT",
            "NOSCRIPT",
        ] {
            let c = classify_redis(alloc::format!("{code} something went wrong"));
            assert_eq!(c.class, NOT_RETRIABLE, "{code}");
            assert_eq!(
                c.reason.strip_prefix("redis_"),
                Some(code.to_ascii_lowercase().as_str())
            );
        }
    }

    #[test]
    fn resp_marker_and_client_wrappers_are_peeled() {
        let loading = (AFTER_DELAY, "redis_loading");
        assert_eq!(class("-LOADING Redis is loading"), loading);
        assert_eq!(class("  ReplyError: LOADING Redis is loading"), loading);
        assert_eq!(
            class("Error: ReplyError: -LOADING Redis is loading"),
            loading
        );
        assert_eq!(class("redis.exceptions.ResponseError: LOADING x"), loading);
        assert_eq!(class("LOADING"), loading);
        assert_eq!(class("LOADING\r\n"), loading);
    }

    #[test]
    fn redis_py_exception_names_stand_in_for_stripped_codes() {
        assert_eq!(
            class("redis.exceptions.BusyLoadingError: Redis is loading the dataset in memory"),
            (AFTER_DELAY, "redis_loading")
        );
        assert_eq!(
            class("ReadOnlyError: You can't write against a read only replica."),
            (FailureClass::ReconnectAndResend, "redis_readonly")
        );
        // A known code in the message wins over the wrapper's name.
        assert_eq!(class("ReadOnlyError: ERR x"), (NOT_RETRIABLE, "redis_err"));
    }

    #[test]
    fn codes_are_whole_words_and_case_sensitive() {
        assert_eq!(
            class("BUSYKEY Target key name already exists."),
            (NOT_RETRIABLE, "redis_busykey")
        );
        assert_eq!(
            class("loading the dataset"),
            (NOT_RETRIABLE, "redis_unknown")
        );
        assert_eq!(class("LOADINGX"), (NOT_RETRIABLE, "redis_unknown"));
        assert_eq!(
            class("SOMETHINGNEW happened"),
            (NOT_RETRIABLE, "redis_unknown")
        );
    }

    #[test]
    fn empty_and_degenerate_messages_are_not_retriable() {
        assert_eq!(class(""), (NOT_RETRIABLE, "redis_empty"));
        assert_eq!(class(" \t"), (NOT_RETRIABLE, "redis_empty"));
        for odd in [
            "-",
            ":",
            "-:",
            "a: b: c: d: e: f: LOADING",
            "ReplyError:",
            "\u{fffd}",
        ] {
            assert_eq!(class(odd).0, NOT_RETRIABLE, "{odd}");
        }
    }
}
