//! `Act`: an island's call of one server function and what the page shows of it (the last answer,
//! whether a call is under way, how many answers have come, the last refusal), in place of
//! Leptos' `ServerAction`.
//!
//! `ServerAction` keeps the last input in a signal of its own type, runs each call through its
//! generic task, and makes a new memo at every `pending()`; each of those was compiled into the
//! wasm once per server function. Here only the answer's signal and the call itself are per
//! function; the rest (`Flight`: the counters and the refusal) is one type that every call shares.

use leptos::{
    prelude::*,
    server::ServerActionError,
    server_fn::{error::ServerFnUrlError, ServerFn},
};

use crate::error::AppError;

/// What every call keeps, whatever its function.
#[derive(Clone, Copy)]
struct Flight {
    in_flight: RwSignal<u32>,
    /// Answers received.
    version: RwSignal<usize>,
    /// Answers that changed something: a success, or a 409 (someone else changed it first).
    changes: RwSignal<usize>,
    /// The last answer's refusal, if it was one.
    error: RwSignal<Option<AppError>>,
}

impl Flight {
    fn new(error: Option<AppError>) -> Self {
        Flight {
            in_flight: RwSignal::new(0),
            version: RwSignal::new(0),
            changes: RwSignal::new(0),
            error: RwSignal::new(error),
        }
    }

    fn start(self) {
        self.in_flight.update(|n| *n += 1);
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn end(self, error: Option<AppError>) {
        let changed = matches!(error, None | Some(AppError::Conflict { .. }));
        self.in_flight.try_update(|n| *n = n.saturating_sub(1));
        self.error.try_set(error);
        self.version.try_update(|n| *n += 1);
        if changed {
            self.changes.try_update(|n| *n += 1);
        }
    }

    fn refused<F: Clone + Send + Sync + 'static>(self, form: RwSignal<F>) -> RwSignal<Option<F>> {
        let snapshot = RwSignal::new(None);
        Effect::new(move |_| {
            self.version.track();
            if self.error.with_untracked(Option::is_some) {
                snapshot.set(Some(form.get_untracked()));
            }
        });
        snapshot
    }
}

/// A form in one row of a list whose rows share one call (`Act::for_row`,
/// `Act::dispatch_for`).
#[derive(Clone, Copy)]
pub struct RowCall {
    open: RwSignal<bool>,
    refusal: RwSignal<Option<AppError>>,
}

impl RowCall {
    /// This row's own answer: a success closes its form, a refusal stays with it.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn answered(self, refusal: Option<AppError>) {
        if refusal.is_none() {
            self.open.try_set(false);
        }
        self.refusal.try_set(refusal);
    }

    /// The message the server gave about `field` of this row's last call.
    pub fn field_message(&self, field: &'static str) -> Signal<Option<String>> {
        let refusal = self.refusal;
        Signal::derive(move || refusal.read().as_ref().and_then(|e| e.field_message(field)))
    }
}

/// Whether a call is under way (`.get()`, tracked).
#[derive(Clone, Copy)]
pub struct Pending(RwSignal<u32>);

impl Pending {
    pub fn get(&self) -> bool {
        self.0.get() > 0
    }
}

/// An island's call of the server function `S` (see the module's text).
pub struct Act<S: ServerFn> {
    value: RwSignal<Option<Result<S::Output, AppError>>>,
    flight: Flight,
}

impl<S: ServerFn> Clone for Act<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn> Copy for Act<S> {}

impl<S> Default for Act<S>
where
    S: ServerFn<Error = AppError> + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Act<S>
where
    S: ServerFn<Error = AppError> + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    pub fn new() -> Self {
        // A form posted without the script comes back to its page with the server's refusal in the
        // address (leptos_axum); the page shows it as the answer.
        let refused = use_context::<ServerActionError>()
            .filter(|e| e.path() == S::PATH)
            .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()));
        Act { value: RwSignal::new(refused.clone().map(Err)), flight: Flight::new(refused) }
    }

    /// Calls the server function (in the browser; the server renders islands but never calls
    /// from them).
    pub fn dispatch(&self, input: S) {
        self.call(input, None);
    }

    /// Calls it for one row's form (`for_row`): that row gets this call's answer, whatever
    /// other rows send meanwhile.
    pub fn dispatch_for(&self, row: RowCall, input: S) {
        self.call(input, Some(row));
    }

    fn call(&self, input: S, row: Option<RowCall>) {
        let (value, flight) = (self.value, self.flight);
        flight.start();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let answer = input.run_on_client().await;
            let error = answer.as_ref().err().cloned();
            value.try_set(Some(answer));
            if let Some(row) = row {
                row.answered(error.clone());
            }
            flight.end(error);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (input, value, row);
    }

    /// The last answer.
    pub fn value(&self) -> ReadSignal<Option<Result<S::Output, AppError>>> {
        self.value.read_only()
    }

    /// How many answers have come.
    pub fn version(&self) -> ReadSignal<usize> {
        self.flight.version.read_only()
    }

    /// How many answers changed something: a success, or a 409. Lists reload on this, not on
    /// every answer, so a refused entry (a wrong count, a time in the past) keeps what was typed.
    pub fn changes(&self) -> ReadSignal<usize> {
        self.flight.changes.read_only()
    }

    pub fn pending(&self) -> Pending {
        Pending(self.flight.in_flight)
    }

    /// The last answer's refusal, if it was one.
    pub fn error(&self) -> Signal<Option<AppError>> {
        self.flight.error.into()
    }

    /// What `form` held when the server last refused it: a server message about a field stands
    /// only while that field still holds the value it was about.
    pub fn refused<F: Clone + Send + Sync + 'static>(&self, form: RwSignal<F>) -> RwSignal<Option<F>> {
        self.flight.refused(form)
    }

    /// For a form in one row of a list (a correction, another delivery time) that this call
    /// serves for every row: the row's form, shown while `open`, closes when the answer to its own
    /// call (`dispatch_for`) is a success and stays, with what was typed and the server's
    /// messages, when it is refused.
    pub fn for_row(&self, open: RwSignal<bool>) -> RowCall {
        RowCall { open, refusal: RwSignal::new(None) }
    }

    /// The address of the server function, where the island's form posts without the script.
    pub fn address(&self) -> &'static str {
        S::url()
    }
}
