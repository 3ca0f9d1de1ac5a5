//! Capturing libxml2's structured errors on a worker thread, for the duration of one call.
//!
//! libxml2 reports through several channels: the schema parser and validation contexts have
//! their own structured handlers, and everything else (document parse errors, I/O and loader
//! errors raised by the sub-parsers that read imported schemas) goes to the *thread's* structured
//! handler, which libxml2 keeps per thread (without one it prints to stderr). [`Capture`] points
//! all of them at one thread-local sink and puts the previous thread handler back when dropped.

use super::report::{XsdLevel, XsdMessage};
use libxml::bindings;
use std::cell::RefCell;
use std::ffi::{CStr, c_void};

/// At most this many messages are kept per call (a hostile document can raise millions).
const MAX_MESSAGES: usize = 500;

/// A diagnostic with libxml2's domain and code, which decide how it is treated.
#[derive(Debug, Clone)]
pub(crate) struct Captured {
    /// What the caller will see.
    pub message: XsdMessage,
    /// libxml2's `xmlErrorDomain` (parser, I/O, schemas parser, …).
    pub domain: i32,
    /// libxml2's `xmlParserErrors` code.
    pub code: i32,
    /// The file libxml2 names (for schema compile errors, which file of the set).
    pub file: Option<String>,
}

#[derive(Default)]
struct Sink {
    active: bool,
    messages: Vec<Captured>,
    omitted: usize,
    omitted_level: Option<XsdLevel>,
}

thread_local! {
    static SINK: RefCell<Sink> = RefCell::new(Sink::default());
}

/// Records `c` in this thread's sink, when a [`Capture`] is active (else drops it).
pub(crate) fn record(c: Captured) {
    let _ = SINK.try_with(|sink| {
        if let Ok(mut sink) = sink.try_borrow_mut()
            && sink.active
        {
            if sink.messages.len() < MAX_MESSAGES {
                sink.messages.push(c);
            } else {
                sink.omitted += 1;
                sink.omitted_level = sink.omitted_level.max(Some(c.message.level));
            }
        }
    });
}

/// The handler to give libxml2 contexts: it records into this thread's sink.
pub(crate) fn handler() -> bindings::xmlStructuredErrorFunc {
    let f: unsafe extern "C" fn(*mut c_void, *const bindings::xmlError) = on_error;
    // SAFETY: libxml2 before 2.12 declares the second argument `xmlErrorPtr`, later versions
    // `const xmlError *`: one pointer either way, same ABI; `on_error` only reads through it.
    #[allow(clippy::useless_transmute, clippy::missing_transmute_annotations)]
    Some(unsafe { std::mem::transmute(f) })
}

/// libxml2's callback. Must not unwind: it only copies fields and never panics.
unsafe extern "C" fn on_error(_ctx: *mut c_void, error: *const bindings::xmlError) {
    if error.is_null() {
        return;
    }
    // SAFETY: libxml2 passes a valid xmlError for the duration of the call.
    let e = unsafe { &*error };
    let level = match e.level {
        bindings::xmlErrorLevel_XML_ERR_WARNING => XsdLevel::Warning,
        bindings::xmlErrorLevel_XML_ERR_ERROR => XsdLevel::Error,
        bindings::xmlErrorLevel_XML_ERR_FATAL => XsdLevel::Fatal,
        _ => return,
    };
    // SAFETY: null or a NUL-terminated C string owned by libxml2 for the duration of the call.
    let string = |p: *mut std::ffi::c_char| {
        (!p.is_null()).then(|| {
            String::from_utf8_lossy(unsafe { CStr::from_ptr(p) }.to_bytes())
                .trim()
                .to_owned()
        })
    };
    let text = string(e.message).unwrap_or_else(|| {
        format!(
            "libxml2 error {} (domain {}) without a message",
            e.code, e.domain
        )
    });
    let position = |v: i32| u32::try_from(v).ok().filter(|&v| v > 0);
    record(Captured {
        message: XsdMessage {
            line: position(e.line),
            column: position(e.int2),
            level,
            text,
        },
        domain: e.domain,
        code: e.code,
        file: string(e.file),
    });
}

/// While alive, libxml2 diagnostics raised on this thread land in the sink (see module doc).
pub(crate) struct Capture {
    saved_handler: bindings::xmlStructuredErrorFunc,
    saved_data: *mut c_void,
}

impl Capture {
    /// Empties the sink and installs the thread's structured handler (saving the previous one).
    pub(crate) fn start() -> Self {
        SINK.with(|sink| {
            let mut sink = sink.borrow_mut();
            *sink = Sink::default();
            sink.active = true;
        });
        // SAFETY: plain reads and a write of libxml2's per-thread handler slots on this thread.
        unsafe {
            let saved = Capture {
                saved_handler: *bindings::__xmlStructuredError(),
                saved_data: *bindings::__xmlStructuredErrorContext(),
            };
            bindings::xmlSetStructuredErrorFunc(std::ptr::null_mut(), handler());
            bindings::xmlResetLastError();
            saved
        }
    }

    /// Everything recorded since [`start`](Self::start) or the last `take`, with a closing
    /// message counting what the cap left out.
    pub(crate) fn take(&mut self) -> Vec<Captured> {
        SINK.with(|sink| {
            let mut sink = sink.borrow_mut();
            let mut out = std::mem::take(&mut sink.messages);
            if sink.omitted > 0 {
                out.push(Captured {
                    message: XsdMessage::plain(
                        sink.omitted_level.unwrap_or(XsdLevel::Warning),
                        format!("{} further messages omitted", sink.omitted),
                    ),
                    domain: 0,
                    code: 0,
                    file: None,
                });
                sink.omitted = 0;
                sink.omitted_level = None;
            }
            out
        })
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        // SAFETY: restores what `start` saved, on the same thread (`Capture` is not `Send`).
        unsafe { bindings::xmlSetStructuredErrorFunc(self.saved_data, self.saved_handler) };
        let _ = SINK.try_with(|sink| {
            if let Ok(mut sink) = sink.try_borrow_mut() {
                *sink = Sink::default();
            }
        });
    }
}
