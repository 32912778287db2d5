//! `ConstantBackoff.compute` / `NoBackoff.compute` as raw C methods.
//!
//! Why: redis-py calls `backoff.compute(failures)` before every retry sleep,
//! and its `NoBackoff` / `ConstantBackoff` answer with a pure-Python
//! `return self._backoff`, which CPython 3.11+ runs as an inlined frame.
//! A method made by `#[pymethods]` goes through pyo3's generic path
//! (trampoline, attach counter, argument description, `i64` extraction):
//! about 300 machine instructions per call, a few percent *more* than
//! redis-py's whole inlined call, although the answer is a stored float.
//! A `METH_FASTCALL | METH_KEYWORDS` method descriptor installed on the
//! class lets CPython's specialised call reach one C function directly:
//!
//! ```text
//! compute(failures)        exact int ≥ 0 ──► stored float (one incref)
//! compute(failures=…) / anything else   ──► checked path: same validation
//!                                            and errors as every backoff
//! ```
//!
//! The signature stays `compute(self, /, failures)`: positional or keyword,
//! like redis-py's.
//!
//! Constraints: this is the binding's only `unsafe` code. The fast path
//! calls nothing that can fail or unwind; the checked path runs inside
//! `Python::attach` and `catch_unwind`, so no panic crosses into Python.
//! The receiver is type-checked again (`cast`) even though CPython's method
//! descriptor has already checked it.

#![allow(unsafe_code)]

use std::ffi::c_long;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::redis_backoff::ConstantBackoff;

/// The docstring, with the text signature CPython derives
/// `__text_signature__` (and `inspect.signature`) from.
const DOC: &std::ffi::CStr = c"compute($self, /, failures)\n--\n\n\
    Always `backoff` seconds; `failures` must be an int >= 0.";

/// Installs `compute` on `ConstantBackoff` and on `NoBackoff` (each class
/// gets its own descriptor so CPython's exact-type call specialisation
/// applies to both).
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    install_on(py, &py.get_type::<ConstantBackoff>())?;
    install_on(py, &py.get_type::<crate::redis_backoff::NoBackoff>())
}

fn install_on(py: Python<'_>, class: &Bound<'_, pyo3::types::PyType>) -> PyResult<()> {
    // The descriptor keeps a pointer to its method definition for the rest
    // of the process: one small definition per class, made at import.
    let definition: &'static mut ffi::PyMethodDef = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: c"compute".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunctionFastWithKeywords: compute,
        },
        ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
        ml_doc: DOC.as_ptr(),
    }));
    // SAFETY: `class` is a live type object and `definition` outlives every
    // descriptor made from it (it is never freed). The result is a new
    // reference, or NULL with an exception set, which `from_owned_ptr_or_err`
    // turns into an `Err`.
    let descriptor = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(class.as_type_ptr(), definition))?
    };
    class.setattr("compute", descriptor)
}

/// The C function behind both descriptors.
///
/// # Safety
///
/// Called by CPython only, through the method descriptor: the interpreter
/// is attached, `slf` is a live object, `args` points to `nargs` positional
/// arguments followed by one value per name in `kwnames` (a tuple, or NULL
/// when there are no keywords).
unsafe extern "C" fn compute(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    if nargs == 1 && kwnames.is_null() {
        // SAFETY: CPython attached the thread before calling us, and
        // `args[0]` exists because `nargs == 1`.
        let (py, failures) = unsafe { (Python::assume_attached(), *args) };
        // SAFETY: `failures` is a live borrowed reference for this call.
        if unsafe { is_exact_non_negative_int(failures) } {
            // SAFETY: `slf` is a live borrowed reference for this call.
            let receiver = unsafe { Borrowed::from_ptr(py, slf) };
            if let Ok(backoff) = receiver.cast::<ConstantBackoff>()
                && let Some(delay) = backoff.get().stored_delay()
            {
                return delay.clone_ref(py).into_ptr();
            }
        }
    }
    // SAFETY: forwarded from this function's own contract.
    unsafe { checked(slf, args, nargs, kwnames) }
}

/// Whether `value` is an `int` (exactly, not a bool or subclass) `>= 0`.
///
/// # Safety
///
/// `value` is a live object and the interpreter is attached.
unsafe fn is_exact_non_negative_int(value: *mut ffi::PyObject) -> bool {
    // SAFETY: `value` is live; `PyLong_Type` is the interpreter's static
    // int type; `PyLong_AsLong` on an exact int only fails on overflow,
    // and the error it then sets is cleared here (the checked path reports
    // what it finds itself).
    unsafe {
        if ffi::Py_TYPE(value) != &raw mut ffi::PyLong_Type {
            return false;
        }
        let n: c_long = ffi::PyLong_AsLong(value);
        if n == -1 && !ffi::PyErr_Occurred().is_null() {
            ffi::PyErr_Clear();
            return false;
        }
        n >= 0
    }
}

/// Every call the fast path does not answer: keyword or wrong argument
/// counts, non-ints, negatives, huge ints, receivers of another type.
///
/// # Safety
///
/// As for [`compute`].
unsafe fn checked(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        Python::attach(|py| {
            // SAFETY: `slf`, `args[..nargs + len(kwnames)]` and `kwnames`
            // are live borrowed references for this call (the contract of
            // `compute`).
            let result = unsafe { checked_call(py, slf, args, nargs, kwnames) };
            match result {
                Ok(delay) => delay.into_ptr(),
                Err(err) => {
                    err.restore(py);
                    std::ptr::null_mut()
                }
            }
        })
    }));
    outcome.unwrap_or_else(|_| {
        Python::attach(|py| {
            PanicException::new_err("stormguard: internal error in compute()").restore(py);
        });
        std::ptr::null_mut()
    })
}

/// Finds `failures` among the vectorcall arguments and runs the checked
/// computation.
///
/// # Safety
///
/// As for [`compute`].
unsafe fn checked_call<'py>(
    py: Python<'py>,
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> PyResult<Py<pyo3::types::PyFloat>> {
    // SAFETY: see the function contract.
    let receiver = unsafe { Borrowed::from_ptr(py, slf) };
    let backoff = receiver.cast::<ConstantBackoff>()?;
    let names: Option<Borrowed<'_, 'py, PyTuple>> = if kwnames.is_null() {
        None
    } else {
        // SAFETY: CPython passes a tuple of str (or NULL) as `kwnames`.
        Some(unsafe { Borrowed::from_ptr(py, kwnames).cast_unchecked::<PyTuple>() })
    };
    let keyword_count = names.as_ref().map_or(0, |names| names.len());
    let positional = usize::try_from(nargs).unwrap_or(0);
    let failures = match (positional, keyword_count) {
        // SAFETY: exactly one argument value follows `args`.
        (1, 0) => unsafe { Borrowed::from_ptr(py, *args) },
        (0, 1) => {
            let is_failures = names
                .as_ref()
                .and_then(|names| names.get_borrowed_item(0).ok())
                .and_then(|name| {
                    name.cast::<PyString>()
                        .ok()?
                        .to_str()
                        .ok()
                        .map(|s| s == "failures")
                })
                .unwrap_or(false);
            if !is_failures {
                return Err(PyTypeError::new_err(
                    "compute() got an unexpected keyword argument; it takes `failures`",
                ));
            }
            // SAFETY: the one keyword's value is the first entry of `args`.
            unsafe { Borrowed::from_ptr(py, *args) }
        }
        _ => {
            return Err(PyTypeError::new_err(format!(
                "compute() takes exactly one argument `failures` ({} given)",
                positional + keyword_count
            )));
        }
    };
    backoff.get().compute_checked(py, &failures)
}
