//! The worker pool: a fixed set of threads, each owning the schemas routed to it (DESIGN §7
//! "Compile once"). A schema always goes to the same worker, so it compiles once per process and
//! different schemas compile in parallel; documents travel as owned bytes, replies come back on a
//! channel. Nothing runs on the caller's thread or on tokio's `spawn_blocking` pool.

use super::bundle::{SchemaBundle, schema_key};
use super::engine::Engine;
use super::report::{XsdError, XsdReport};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

/// Default cap on a document's size: 64 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 << 20;
/// Most worker threads a pool starts, whatever it is asked for.
const MAX_WORKERS: usize = 32;
/// Worker stack size: libxml2 recurses over deep schemas and documents.
const STACK_BYTES: usize = 8 << 20;

type Outcome = Result<XsdReport, XsdError>;

/// Where a worker sends its answer.
enum Reply {
    Blocking(mpsc::SyncSender<Outcome>),
    Async(tokio::sync::oneshot::Sender<Outcome>),
}

/// One document to validate against one schema.
struct Job {
    key: String,
    document: Vec<u8>,
    name: String,
    reply: Reply,
}

/// Which worker owns which schema: first come, next worker in turn.
#[derive(Default)]
struct Routes {
    owner: HashMap<String, usize>,
    next: usize,
}

/// XSD validation on a fixed set of libxml2 worker threads; `Send + Sync`, share it by reference
/// or `Arc`. Dropping it lets the workers finish their current document and exit (not joined).
pub struct XsdPool {
    bundle: SchemaBundle,
    workers: Vec<mpsc::Sender<Job>>,
    routes: Mutex<Routes>,
    compiles: Arc<AtomicUsize>,
    max_document_bytes: usize,
}

impl XsdPool {
    /// Starts `workers` threads (0 means [`default_workers`](Self::default_workers), at most 32)
    /// for `bundle`; schemas compile lazily, on first use. A cap of 64 MiB per document applies.
    pub fn new(bundle: SchemaBundle, workers: usize) -> Self {
        super::loader::init_process();
        let wanted = if workers == 0 {
            Self::default_workers()
        } else {
            workers.min(MAX_WORKERS)
        };
        let compiles = Arc::new(AtomicUsize::new(0));
        let mut senders = Vec::with_capacity(wanted);
        for i in 0..wanted {
            let (tx, rx) = mpsc::channel::<Job>();
            let (bundle, compiles) = (bundle.clone(), Arc::clone(&compiles));
            let spawned = std::thread::Builder::new()
                .name(format!("plugfest-xsd-{i}"))
                .stack_size(STACK_BYTES)
                .spawn(move || work(bundle, compiles, rx));
            // A worker the OS would not give us is simply not there; with none at all every
            // call answers `PoolClosed` rather than panicking.
            if spawned.is_ok() {
                senders.push(tx);
            }
        }
        XsdPool {
            bundle,
            workers: senders,
            routes: Mutex::new(Routes::default()),
            compiles,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }

    /// `min(available parallelism, 4)`: compiling is the slow part, and there are few schema sets.
    pub fn default_workers() -> usize {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(4)
    }

    /// Sets the per-document size cap (at most `i32::MAX`, libxml2's limit).
    pub fn with_max_document_bytes(mut self, bytes: usize) -> Self {
        self.max_document_bytes = bytes.min(i32::MAX as usize);
        self
    }

    /// The bundle the pool validates against.
    pub fn bundle(&self) -> &SchemaBundle {
        &self.bundle
    }

    /// How many worker threads are running.
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Schema compilations so far (failed ones included); each schema compiles at most once.
    pub fn compiled_count(&self) -> usize {
        self.compiles.load(Ordering::Relaxed)
    }

    /// Validates `document` against `schema` (a bundle-relative path, e.g. [`super::LTI11_POX_XSD`]),
    /// blocking until its worker answers. `name` labels the document in libxml2 (never fetched).
    /// From async code use [`validate_async`](Self::validate_async).
    pub fn validate(&self, schema: &str, document: Vec<u8>, name: &str) -> Outcome {
        let (tx, rx) = mpsc::sync_channel(1);
        self.submit(schema, document, name, Reply::Blocking(tx))?;
        rx.recv().map_err(|_| XsdError::PoolClosed)?
    }

    /// [`validate`](Self::validate) for async callers: awaits the worker's reply without
    /// blocking the executor.
    pub async fn validate_async(&self, schema: &str, document: Vec<u8>, name: &str) -> Outcome {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.submit(schema, document, name, Reply::Async(tx))?;
        rx.await.map_err(|_| XsdError::PoolClosed)?
    }

    /// Checks the request and queues it on the schema's worker.
    fn submit(
        &self,
        schema: &str,
        document: Vec<u8>,
        name: &str,
        reply: Reply,
    ) -> Result<(), XsdError> {
        let key = schema_key(schema).ok_or_else(|| XsdError::SchemaMissing {
            schema: schema.to_owned(),
        })?;
        if document.len() > self.max_document_bytes {
            return Err(XsdError::TooLarge {
                size: document.len(),
                limit: self.max_document_bytes,
            });
        }
        if self.workers.is_empty() {
            return Err(XsdError::PoolClosed);
        }
        let worker = {
            let mut routes = self.routes.lock().unwrap_or_else(PoisonError::into_inner);
            let routes = &mut *routes;
            *routes.owner.entry(key.clone()).or_insert_with(|| {
                let w = routes.next % self.workers.len();
                routes.next += 1;
                w
            })
        };
        let job = Job {
            key,
            document,
            name: name.to_owned(),
            reply,
        };
        self.workers[worker]
            .send(job)
            .map_err(|_| XsdError::PoolClosed)
    }
}

impl std::fmt::Debug for XsdPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XsdPool")
            .field("bundle", &self.bundle.root())
            .field("workers", &self.workers.len())
            .field("compiled", &self.compiled_count())
            .field("max_document_bytes", &self.max_document_bytes)
            .finish()
    }
}

/// A worker's loop: one engine (catalog + compiled schemas) for the thread's life.
fn work(bundle: SchemaBundle, compiles: Arc<AtomicUsize>, jobs: mpsc::Receiver<Job>) {
    let mut engine = Engine::new(bundle, compiles);
    while let Ok(Job {
        key,
        document,
        name,
        reply,
    }) = jobs.recv()
    {
        let outcome = catch_unwind(AssertUnwindSafe(|| engine.validate(&key, &document, &name)))
            .unwrap_or_else(|panic| {
                engine.forget(&key);
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_owned());
                Err(XsdError::Internal(what))
            });
        drop(document);
        // The caller may have gone (a dropped future); nothing to do then.
        match reply {
            Reply::Blocking(tx) => {
                let _ = tx.send(outcome);
            }
            Reply::Async(tx) => {
                let _ = tx.send(outcome);
            }
        }
    }
}
