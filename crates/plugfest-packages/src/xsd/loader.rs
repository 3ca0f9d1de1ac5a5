//! No network, ever: the process-wide external entity loader and each worker's bundle catalog.
//!
//! libxml2 fetches `xs:import`/`xs:include` locations over HTTP by default and only *warns* when
//! that fails. Here every external resource goes through [`load_entity`]: it maps the URL through
//! the calling worker's bundle `catalog.xml`, refuses anything still not local (recording an
//! error that names the URL), and hands local paths to libxml2's `xmlNoNetExternalEntityLoader`.
//! libxml2's global and document (`<?oasis-xml-catalog?>`) catalogs are switched off, so only the
//! bundle decides what a URL means, and the result does not depend on `/etc/xml/catalog`.

use super::diagnostics::{self, Captured};
use super::report::{XsdLevel, XsdMessage};
use libxml::bindings;
use std::cell::Cell;
use std::ffi::{CStr, CString, c_char, c_void};
use std::path::Path;
use std::sync::{Mutex, Once, PoisonError};

/// libxml2 parses catalog files lazily, into a cache shared by all catalogs whose lock only
/// exists after `xmlInitializeCatalog` (which would also load the system catalog): every catalog
/// call goes through this lock instead.
static CATALOG_LOCK: Mutex<()> = Mutex::new(());

thread_local! {
    /// The bundle catalog of the worker running on this thread (null elsewhere).
    static CATALOG: Cell<bindings::xmlCatalogPtr> = const { Cell::new(std::ptr::null_mut()) };
}

/// Once per process: initialise libxml2, switch off its global and document catalogs and
/// install [`load_entity`] as the external entity loader.
pub(crate) fn init_process() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        libxml::init_parser();
        // SAFETY: process-wide settings, written once before any worker uses libxml2.
        unsafe {
            bindings::xmlCatalogSetDefaults(bindings::xmlCatalogAllow_XML_CATA_ALLOW_NONE);
            bindings::xmlSetExternalEntityLoader(Some(load_entity));
        }
    });
}

/// A bundle's `catalog.xml`, loaded for the current thread; unloaded when dropped.
pub(crate) struct BundleCatalog(bindings::xmlCatalogPtr);

impl BundleCatalog {
    /// Loads `catalog` and makes it the one [`load_entity`] consults on this thread.
    pub(crate) fn install(catalog: &Path) -> Result<Self, XsdMessage> {
        let failed = |why: &str| {
            XsdMessage::plain(
                XsdLevel::Error,
                format!("the bundle's catalog {} {why}", catalog.display()),
            )
        };
        let path = catalog
            .to_str()
            .and_then(|p| CString::new(p).ok())
            .ok_or_else(|| failed("has a path libxml2 cannot take (not UTF-8, or a NUL)"))?;
        let ptr = {
            let _lock = CATALOG_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
            // SAFETY: a valid C string; the returned catalog is owned by `Self`.
            unsafe { bindings::xmlLoadACatalog(path.as_ptr()) }
        };
        if ptr.is_null() {
            return Err(failed("could not be loaded"));
        }
        CATALOG.with(|c| c.set(ptr));
        Ok(BundleCatalog(ptr))
    }
}

impl Drop for BundleCatalog {
    fn drop(&mut self) {
        let _ = CATALOG.try_with(|c| {
            if c.get() == self.0 {
                c.set(std::ptr::null_mut());
            }
        });
        let _lock = CATALOG_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        // SAFETY: the catalog `install` loaded; no other reference to it remains.
        unsafe { bindings::xmlFreeCatalog(self.0) };
    }
}

/// The external entity loader (see module doc). Runs inside libxml2: must not unwind.
unsafe extern "C" fn load_entity(
    url: *const c_char,
    id: *const c_char,
    ctxt: bindings::xmlParserCtxtPtr,
) -> bindings::xmlParserInputPtr {
    if url.is_null() {
        // SAFETY: libxml2's own loader copes with a null URL (it reports and returns null).
        return unsafe { bindings::xmlNoNetExternalEntityLoader(url, id, ctxt) };
    }
    let catalog = CATALOG.try_with(Cell::get).unwrap_or(std::ptr::null_mut());
    let mut mapped: *mut bindings::xmlChar = std::ptr::null_mut();
    if !catalog.is_null() {
        let _lock = CATALOG_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        // SAFETY: this thread's live catalog and NUL-terminated strings from libxml2.
        unsafe {
            mapped = bindings::xmlACatalogResolve(catalog, id.cast(), url.cast());
            if mapped.is_null() {
                mapped = bindings::xmlACatalogResolveURI(catalog, url.cast());
            }
        }
    }
    let target: *const c_char = if mapped.is_null() {
        url
    } else {
        mapped.cast_const().cast()
    };
    // SAFETY: `target` is `url` or the catalog's NUL-terminated answer.
    let target_bytes = unsafe { CStr::from_ptr(target) }.to_bytes();
    let input = if is_remote(target_bytes) {
        // SAFETY: `url` is NUL-terminated (checked non-null above).
        let asked = String::from_utf8_lossy(unsafe { CStr::from_ptr(url) }.to_bytes());
        diagnostics::record(Captured {
            message: XsdMessage::plain(
                XsdLevel::Error,
                format!(
                    "refused to fetch {asked}: the schema bundle's catalog.xml does not map it to \
                     a local file, and Plugfest never uses the network"
                ),
            ),
            domain: bindings::xmlErrorDomain_XML_FROM_IO as i32,
            code: bindings::xmlParserErrors_XML_IO_NETWORK_ATTEMPT as i32,
            file: None,
        });
        std::ptr::null_mut()
    } else {
        // SAFETY: libxml2's loader with a local path or file: URL; it still refuses http/ftp.
        unsafe { bindings::xmlNoNetExternalEntityLoader(target, id, ctxt) }
    };
    if !mapped.is_null() {
        // SAFETY: `xmlACatalogResolve*` results are allocated by libxml2 and ours to free.
        if let Some(free) = unsafe { bindings::xmlFree } {
            unsafe { free(mapped.cast::<c_void>()) };
        }
    }
    input
}

/// Whether `url` starts with a URI scheme other than `file:` (`http:`, `https:`, `ftp:`, …). A
/// one-letter "scheme" is a Windows drive, i.e. local.
fn is_remote(url: &[u8]) -> bool {
    let Some(colon) = url.iter().position(|&b| b == b':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.len() > 1
        && scheme[0].is_ascii_alphabetic()
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !scheme.eq_ignore_ascii_case(b"file")
}

#[cfg(test)]
mod tests {
    use super::is_remote;

    #[test]
    fn only_non_file_schemes_are_remote() {
        for remote in [
            "http://example.invalid/x.xsd",
            "HTTPS://purl.imsglobal.org/x.xsd",
            "ftp://h/x",
            "urn:x:y",
        ] {
            assert!(is_remote(remote.as_bytes()), "{remote}");
        }
        for local in [
            "/work/shared/schemas/xsd/a.xsd",
            "../w3/xml.xsd",
            "file:///tmp/a.xsd",
            "C:/schemas/a.xsd",
            "a.xsd",
        ] {
            assert!(!is_remote(local.as_bytes()), "{local}");
        }
    }
}
