//! The dashboard's state and its root component.
//!
//! The whole view state is one signal holding `core`'s `ViewState` — the
//! same value the URL encodes — so whatever is on screen can be written to
//! and restored from the address bar. The selection (one pass of `core`'s
//! index over every invoice) is a memo of the query alone: switching views
//! or sorting does not recompute it. Each section of the page is one
//! reactive piece of HTML (see `html` for why).

use crate::data::Data;
use crate::url::{self, Nav};
use crate::{
    actions, bench, breadcrumb, compare, customers, filters, invoices, overview, scorecard,
    summary, tabs,
};
use arsite_core::select::{Prepared, Query, Selection};
use arsite_core::viewstate::{View, ViewState};
use leptos::prelude::*;

/// What every part of the dashboard shares.
#[derive(Copy, Clone)]
pub struct Ctx {
    pub data: &'static Data,
    pub state: RwSignal<ViewState>,
    pub query: Memo<Query>,
    pub selection: Memo<Current>,
}

/// The selection of the current query, and the query resolved against
/// this snapshot (the lists need it to list rows). One memo for both: each
/// memo type costs the wasm several kilobytes of reactive machinery.
pub struct Current {
    pub prepared: Prepared,
    pub selection: Selection,
}

impl std::ops::Deref for Current {
    type Target = Selection;

    fn deref(&self) -> &Selection {
        &self.selection
    }
}

impl Ctx {
    /// Applies a change to the view state and writes it to the URL. No-op
    /// when nothing changes (so no duplicate history entries).
    pub fn update(&self, nav: Nav, change: impl FnOnce(&mut ViewState)) {
        let mut next = self.state.get_untracked();
        change(&mut next);
        self.commit(nav, next);
    }

    /// The part of [`Ctx::update`] that does not depend on the change
    /// (kept apart so it exists once in the wasm, not once per caller).
    fn commit(&self, nav: Nav, mut next: ViewState) {
        next.normalize();
        if *self.state.read_untracked() == next {
            return;
        }
        bench::change_started();
        url::write(&next.to_query(self.data.exp()), nav);
        filters::sync(self.data, &next);
        self.state.set(next);
    }

    /// Replaces the state with what the address bar says (back/forward).
    fn restore(&self, query: &str) {
        let next = ViewState::from_query(query, self.data.exp());
        if *self.state.read_untracked() != next {
            bench::change_started();
            filters::sync(self.data, &next);
            self.state.set(next);
        }
    }
}

/// Sets the filter controls from the state once they exist.
pub fn after_mount(data: &'static Data) {
    let st = ViewState::from_query(&url::search(), data.exp());
    filters::sync(data, &st);
}

/// A section that is one piece of HTML computed from the state.
fn section(ctx: Ctx, id: &'static str, html: fn(Ctx) -> String) -> AnyView {
    view! { <div id=id inner_html=move || html(ctx)></div> }.into_any()
}

pub fn app(data: &'static Data) -> impl IntoView {
    let state = RwSignal::new(ViewState::from_query(&url::search(), data.exp()));
    let query = Memo::new(move |_| state.read().query.clone());
    // Always "changed": a new query means a new selection (and comparing
    // two would cost about as much as computing one).
    let selection = Memo::new_with_compare(
        move |_| {
            let started = bench::now();
            let prepared = data.index.prepare(&query.read());
            let selection = data.index.evaluate(&prepared);
            bench::push("evaluate", bench::now() - started);
            Current {
                prepared,
                selection,
            }
        },
        |_, _| true,
    );
    let ctx = Ctx {
        data,
        state,
        query,
        selection,
    };
    url::on_history(move |q| ctx.restore(&q));
    let view = Memo::new(move |_| state.read().view);
    view! {
        <section class="dash" aria-label="Dashboard" on:click=move |ev| actions::click(ctx, &ev)>
            <div inner_html=filters::markup(data)
                on:input=move |ev| filters::on_input(ctx, &ev)
                on:change=move |ev| filters::on_change(ctx, &ev)
                on:submit=|ev| ev.prevent_default()></div>
            <p id="selection-summary" class="summary" role="status" aria-live="polite">{move || summary::text(ctx)}</p>
            {section(ctx, "buckets", overview::buckets)}
            <nav class="tabs" aria-label="Views" inner_html=move || tabs::html(view.get())></nav>
            <nav class="breadcrumb" aria-label="Drill-down" inner_html=move || breadcrumb::html(ctx)></nav>
            <div id="view" class="view">
                {move || match view.get() {
                    View::Overview => section(ctx, "divisions", overview::divisions),
                    View::Scorecard => section(ctx, "scorecard", scorecard::html),
                    View::Customers => customers::view(ctx),
                    View::Invoices => invoices::view(ctx),
                    View::Compare => compare::view(ctx),
                }}
            </div>
        </section>
    }
}
