use super::*;

fn ms(value: u64) -> Instant {
    Instant::from_nanos(value * 1_000_000)
}

fn bulkhead(max_concurrent: u32, max_queued: u32, wait_ms: Option<f64>) -> Bulkhead {
    Bulkhead::new(&BulkheadOptions {
        max_concurrent,
        max_queued,
        max_queue_wait_ms: wait_ms,
    })
    .unwrap()
}

fn admitted(admission: Admission) -> BulkheadPermit {
    match admission {
        Admission::Admitted(permit) => permit,
        other => panic!("expected admission, got {other:?}"),
    }
}

fn queued(admission: Admission) -> QueueTicket {
    match admission {
        Admission::Queued(ticket) => ticket,
        other => panic!("expected a queue ticket, got {other:?}"),
    }
}

#[test]
fn defaults_follow_the_semaphore_bulkhead() {
    let options = BulkheadOptions::default();
    assert_eq!(options.max_concurrent, 25);
    assert_eq!(options.max_queued, 0);
    assert_eq!(options.max_queue_wait_ms, None);
    assert!(Bulkhead::new(&options).is_ok());
}

#[test]
fn rejects_options_that_name_no_usable_limit() {
    let zero = BulkheadOptions {
        max_concurrent: 0,
        ..BulkheadOptions::default()
    };
    assert_eq!(Bulkhead::new(&zero).unwrap_err().field(), "maxConcurrent");
    let huge_queue = BulkheadOptions {
        max_queued: MAX_QUEUED + 1,
        ..BulkheadOptions::default()
    };
    assert_eq!(Bulkhead::new(&huge_queue).unwrap_err().field(), "maxQueued");
    for bad in [f64::NAN, -1.0, f64::INFINITY] {
        let wait = BulkheadOptions {
            max_queue_wait_ms: Some(bad),
            ..BulkheadOptions::default()
        };
        assert_eq!(Bulkhead::new(&wait).unwrap_err().field(), "maxQueueWaitMs");
    }
}

#[test]
fn admits_up_to_the_limit_then_rejects_without_a_queue() {
    let mut b = bulkhead(2, 0, None);
    admitted(b.try_enter(ms(0)));
    admitted(b.try_enter(ms(0)));
    assert_eq!(
        b.try_enter(ms(0)),
        Admission::Rejected {
            reason: RejectReason::QueueFull
        }
    );
    assert_eq!(b.active(), 2);
    assert_eq!(b.metrics().rejected, 1);
}

#[test]
fn releases_hand_the_slot_to_the_oldest_waiter() {
    let mut b = bulkhead(1, 3, None);
    let running = admitted(b.try_enter(ms(0)));
    let first = queued(b.try_enter(ms(1)));
    let second = queued(b.try_enter(ms(2)));
    assert_eq!(b.queue_position(first), Some(0));
    assert_eq!(b.queue_position(second), Some(1));
    assert_eq!(b.release(ms(3), running), Ok(Some(first)));
    assert_eq!(b.active(), 1, "the slot went straight to the waiter");
    assert_eq!(b.queue_position(second), Some(0));
    let permit = b.claim(first).unwrap();
    assert_eq!(b.release(ms(4), permit), Ok(Some(second)));
}

#[test]
fn a_handed_over_slot_is_not_free_for_newcomers() {
    let mut b = bulkhead(1, 1, None);
    let running = admitted(b.try_enter(ms(0)));
    let waiter = queued(b.try_enter(ms(0)));
    assert_eq!(b.release(ms(1), running), Ok(Some(waiter)));
    // The waiter has not claimed yet, but the slot is its: a newcomer queues.
    let newcomer = queued(b.try_enter(ms(1)));
    assert_eq!(b.metrics().awaiting_claim, 1);
    let permit = b.claim(waiter).unwrap();
    assert_eq!(b.release(ms(2), permit), Ok(Some(newcomer)));
}

#[test]
fn release_without_waiters_frees_the_slot() {
    let mut b = bulkhead(1, 1, None);
    let permit = admitted(b.try_enter(ms(0)));
    assert_eq!(b.release(ms(1), permit), Ok(None));
    assert_eq!(b.active(), 0);
    admitted(b.try_enter(ms(2)));
}

#[test]
fn double_release_is_an_error_not_a_negative_count() {
    let mut b = bulkhead(2, 0, None);
    let first = admitted(b.try_enter(ms(0)));
    let second = admitted(b.try_enter(ms(0)));
    assert_eq!(b.release(ms(1), first), Ok(None));
    let err = b.release(ms(1), first).unwrap_err();
    assert_eq!(err, BulkheadError::UnknownPermit { permit: first.id() });
    assert_eq!(err.code(), "ERR_UNKNOWN_PERMIT");
    assert_eq!(b.active(), 1, "the other call still holds its slot");
    assert_eq!(b.release(ms(1), second), Ok(None));
}

#[test]
fn a_stale_permit_cannot_release_the_slots_next_holder() {
    let mut b = bulkhead(1, 0, None);
    let old = admitted(b.try_enter(ms(0)));
    b.release(ms(1), old).unwrap();
    let new = admitted(b.try_enter(ms(2)));
    assert_ne!(old, new);
    assert!(b.release(ms(3), old).is_err());
    assert_eq!(b.active(), 1);
}

#[test]
fn unknown_ids_are_errors() {
    let mut b = bulkhead(3, 2, None);
    for id in [0, 1, 2, 3, 7, u64::MAX] {
        assert!(b.release(ms(0), BulkheadPermit::from_id(id)).is_err());
        assert!(b.claim(QueueTicket::from_id(id)).is_err());
        assert!(b.cancel(ms(0), QueueTicket::from_id(id)).is_err());
    }
    assert_eq!(b.metrics(), BulkheadMetrics::default());
}

#[test]
fn claiming_a_queued_ticket_is_not_granted() {
    let mut b = bulkhead(1, 1, None);
    admitted(b.try_enter(ms(0)));
    let ticket = queued(b.try_enter(ms(0)));
    let err = b.claim(ticket).unwrap_err();
    assert_eq!(
        err,
        BulkheadError::NotGranted {
            ticket: ticket.id()
        }
    );
    assert_eq!(b.queued(), 1);
}

#[test]
fn claiming_a_cancelled_ticket_is_an_error() {
    let mut b = bulkhead(1, 2, None);
    let running = admitted(b.try_enter(ms(0)));
    let ticket = queued(b.try_enter(ms(0)));
    assert_eq!(b.cancel(ms(1), ticket), Ok(None));
    assert_eq!(
        b.claim(ticket),
        Err(BulkheadError::UnknownTicket {
            ticket: ticket.id()
        })
    );
    assert_eq!(
        b.cancel(ms(1), ticket),
        Err(BulkheadError::UnknownTicket {
            ticket: ticket.id()
        })
    );
    assert_eq!(b.release(ms(2), running), Ok(None));
    assert_eq!(b.metrics().cancelled, 1);
}

#[test]
fn claiming_twice_is_an_error() {
    let mut b = bulkhead(1, 1, None);
    let running = admitted(b.try_enter(ms(0)));
    let ticket = queued(b.try_enter(ms(0)));
    b.release(ms(1), running).unwrap();
    b.claim(ticket).unwrap();
    assert!(matches!(
        b.claim(ticket),
        Err(BulkheadError::UnknownTicket { .. })
    ));
    assert_eq!(b.active(), 1);
}

#[test]
fn cancelling_from_the_middle_keeps_fifo_order() {
    let mut b = bulkhead(1, 3, None);
    let running = admitted(b.try_enter(ms(0)));
    let a = queued(b.try_enter(ms(0)));
    let m = queued(b.try_enter(ms(0)));
    let z = queued(b.try_enter(ms(0)));
    b.cancel(ms(1), m).unwrap();
    assert_eq!(b.queue_position(z), Some(1));
    assert_eq!(b.release(ms(2), running), Ok(Some(a)));
    let permit = b.claim(a).unwrap();
    assert_eq!(b.release(ms(3), permit), Ok(Some(z)));
}

#[test]
fn cancelling_a_handed_over_ticket_passes_the_slot_on() {
    let mut b = bulkhead(1, 2, None);
    let running = admitted(b.try_enter(ms(0)));
    let gave_up = queued(b.try_enter(ms(0)));
    let next = queued(b.try_enter(ms(0)));
    assert_eq!(b.release(ms(1), running), Ok(Some(gave_up)));
    assert_eq!(b.cancel(ms(2), gave_up), Ok(Some(next)));
    assert_eq!(b.active(), 1);
    let permit = b.claim(next).unwrap();
    assert_eq!(b.release(ms(3), permit), Ok(None));
    assert_eq!(b.active(), 0);
}

#[test]
fn times_out_waiters_in_order_and_reports_them_as_data() {
    let mut b = bulkhead(1, 3, Some(10.0));
    admitted(b.try_enter(ms(0)));
    assert_eq!(b.poll_timeout(), None);
    let first = queued(b.try_enter(ms(1)));
    let second = queued(b.try_enter(ms(4)));
    assert_eq!(b.poll_timeout(), Some(ms(11)));
    assert_eq!(b.handle_timeout(ms(10)), None);
    assert_eq!(b.handle_timeout(ms(11)), Some(first));
    assert_eq!(b.handle_timeout(ms(11)), None);
    assert_eq!(b.poll_timeout(), Some(ms(14)));
    assert_eq!(b.handle_timeout(ms(30)), Some(second));
    assert_eq!(b.handle_timeout(ms(30)), None);
    assert_eq!(b.poll_timeout(), None);
    assert_eq!(b.metrics().timed_out, 2);
    assert!(matches!(
        b.claim(first),
        Err(BulkheadError::UnknownTicket { .. })
    ));
}

#[test]
fn an_expired_waiter_is_never_handed_a_slot() {
    let mut b = bulkhead(1, 3, Some(10.0));
    let running = admitted(b.try_enter(ms(0)));
    let stale = queued(b.try_enter(ms(0)));
    let fresh = queued(b.try_enter(ms(5)));
    assert_eq!(b.release(ms(12), running), Ok(Some(fresh)));
    // The stale waiter keeps its place until reported.
    assert_eq!(b.queue_position(stale), Some(0));
    assert_eq!(b.handle_timeout(ms(12)), Some(stale));
}

#[test]
fn a_slot_freed_while_only_expired_waiters_remain_admits_newcomers() {
    let mut b = bulkhead(1, 1, Some(5.0));
    let running = admitted(b.try_enter(ms(0)));
    let stale = queued(b.try_enter(ms(0)));
    assert_eq!(b.release(ms(5), running), Ok(None));
    admitted(b.try_enter(ms(6)));
    assert_eq!(b.handle_timeout(ms(6)), Some(stale));
}

#[test]
fn zero_queue_wait_expires_at_the_same_instant() {
    let mut b = bulkhead(1, 1, Some(0.0));
    admitted(b.try_enter(ms(3)));
    let ticket = queued(b.try_enter(ms(3)));
    assert_eq!(b.poll_timeout(), Some(ms(3)));
    assert_eq!(b.handle_timeout(ms(3)), Some(ticket));
}

#[test]
fn a_backwards_clock_step_does_not_expire_or_revive_waiters() {
    let mut b = bulkhead(1, 2, Some(10.0));
    admitted(b.try_enter(ms(100)));
    let ticket = queued(b.try_enter(ms(50)));
    // Enqueued at the clamped 100 ms, so it expires at 110 ms, not 60 ms.
    assert_eq!(b.poll_timeout(), Some(ms(110)));
    assert_eq!(b.handle_timeout(ms(60)), None);
    assert_eq!(b.handle_timeout(ms(110)), Some(ticket));
}

#[test]
fn a_full_queue_rejects_and_counts_add_up() {
    let mut b = bulkhead(1, 1, None);
    let running = admitted(b.try_enter(ms(0)));
    let waiter = queued(b.try_enter(ms(0)));
    assert!(matches!(b.try_enter(ms(0)), Admission::Rejected { .. }));
    b.release(ms(1), running).unwrap();
    b.claim(waiter).unwrap();
    let m = b.metrics();
    assert_eq!(m.admitted, 2);
    assert_eq!(m.rejected, 1);
    assert_eq!(m.peak_active, 1);
    assert_eq!(m.peak_queued, 1);
    assert_eq!(
        m.admitted + m.rejected + m.cancelled + m.timed_out + u64::from(m.queued),
        3
    );
}

#[test]
fn far_future_deadlines_saturate_instead_of_overflowing() {
    let mut b = bulkhead(1, 1, Some(crate::time::MAX_MILLIS));
    admitted(b.try_enter(Instant::MAX));
    queued(b.try_enter(Instant::MAX));
    assert_eq!(b.poll_timeout(), Some(Instant::MAX));
    assert!(b.handle_timeout(Instant::MAX).is_some());
}
