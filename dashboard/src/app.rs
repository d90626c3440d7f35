//! The dashboard's views: filter bar, bucket totals, and the drill-down
//! bucket → customers → invoices.

use arsite_core::aging::{self, AgingScheme, BucketTotals};
use arsite_core::format::money;
use arsite_core::select::{select, Filter};
use arsite_core::{Money, Snapshot};
use leptos::prelude::*;

/// Rows shown at most in a drill-down list (lists are not virtualized yet).
const LIST_LIMIT: usize = 500;

#[component]
pub fn App(snapshot: &'static Snapshot) -> impl IntoView {
    let scheme: &'static AgingScheme = Box::leak(Box::default());
    let exp = snapshot.currency.exponent;
    let code = snapshot.currency.code.clone();

    let (division, set_division) = signal(None::<u32>);
    let (collector, set_collector) = signal(None::<u32>);
    let (search, set_search) = signal(String::new());
    let (bucket, set_bucket) = signal(None::<usize>);
    let (customer, set_customer) = signal(None::<u32>);

    let base_filter = Memo::new(move |_| Filter {
        division: division.get(),
        collector: collector.get(),
        customer_search: search.get(),
        ..Default::default()
    });
    let totals = Memo::new(move |_| {
        let f = base_filter.get();
        aging::totals(scheme, snapshot.as_of, select(snapshot, scheme, &f))
    });
    let labels = scheme.labels();

    let reset_drill = move || {
        set_bucket.set(None);
        set_customer.set(None);
    };

    view! {
        <section class="dash" aria-label="Dashboard">
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label>"Division "
                    <select id="f-division" on:change=move |ev| { set_division.set(parse_index(&event_target_value(&ev))); reset_drill(); }>
                        <option value="">"All divisions"</option>
                        {options(&snapshot.divisions)}
                    </select>
                </label>
                <label>"Collector "
                    <select id="f-collector" on:change=move |ev| { set_collector.set(parse_index(&event_target_value(&ev))); reset_drill(); }>
                        <option value="">"All collectors"</option>
                        {options(&snapshot.collectors)}
                    </select>
                </label>
                <label>"Customer "
                    <input id="f-customer" type="search" placeholder="name or id"
                        on:input=move |ev| { set_search.set(event_target_value(&ev)); reset_drill(); }/>
                </label>
            </form>
            <p id="selection-summary" aria-live="polite">
                {move || {
                    let t = totals.get();
                    format!("Selection: {} open items, total {} {}, past due {} {}.",
                        t.count(), money(t.total(), exp), code, money(t.past_due(), exp), code)
                }}
            </p>
            <BucketTable scheme labels=labels.clone() totals exp bucket set_bucket set_customer/>
            {move || bucket.get().map(|b| view! {
                <Drill snapshot scheme filter=base_filter bucket=b label=labels[b].clone()
                    customer set_customer set_bucket/>
            })}
        </section>
    }
}

fn parse_index(value: &str) -> Option<u32> {
    value.parse().ok()
}

fn options(names: &'static [String]) -> impl IntoView {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| view! { <option value=i.to_string()>{Snapshot::label(name).to_string()}</option> })
        .collect_view()
}

#[component]
fn BucketTable(
    scheme: &'static AgingScheme,
    labels: Vec<String>,
    totals: Memo<BucketTotals>,
    exp: u32,
    bucket: ReadSignal<Option<usize>>,
    set_bucket: WriteSignal<Option<usize>>,
    set_customer: WriteSignal<Option<u32>>,
) -> impl IntoView {
    let rows = (0..scheme.bucket_count())
        .map(|b| {
            let label = labels[b].clone();
            view! {
                <tr class:selected=move || bucket.get() == Some(b)>
                    <th scope="row">
                        <button type="button" class="bucket-link" data-bucket=b.to_string()
                            on:click=move |_| { set_bucket.set(Some(b)); set_customer.set(None); }>
                            {label}
                        </button>
                    </th>
                    <td class="num" data-bucket-amount=b.to_string()>{move || money(totals.get().amounts[b], exp)}</td>
                    <td class="num">{move || totals.get().counts[b]}</td>
                    <td class="num">{move || { let t = totals.get(); arsite_core::format::percent(t.amounts[b], t.total()) }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="buckets" id="bucket-table">
            <caption>"Aging of the selection (days past due). Choose a bucket to see its customers."</caption>
            <thead><tr><th scope="col">"Bucket"</th><th scope="col" class="num">"Open amount"</th><th scope="col" class="num">"Items"</th><th scope="col" class="num">"Share %"</th></tr></thead>
            <tbody>{rows}</tbody>
            <tfoot><tr><th scope="row">"Total"</th>
                <td class="num" id="total-open">{move || money(totals.get().total(), exp)}</td>
                <td class="num" id="total-count">{move || totals.get().count()}</td>
                <td class="num">"100.00"</td></tr></tfoot>
        </table>
    }
}

#[component]
fn Drill(
    snapshot: &'static Snapshot,
    scheme: &'static AgingScheme,
    filter: Memo<Filter>,
    bucket: usize,
    label: String,
    customer: ReadSignal<Option<u32>>,
    set_customer: WriteSignal<Option<u32>>,
    set_bucket: WriteSignal<Option<usize>>,
) -> impl IntoView {
    let exp = snapshot.currency.exponent;
    let label_for_crumb = label.clone();
    let crumbs = move || {
        let bucket_label = label_for_crumb.clone();
        view! {
            <nav class="breadcrumb" aria-label="Drill-down">
                <button type="button" id="crumb-all" on:click=move |_| { set_bucket.set(None); set_customer.set(None); }>"All buckets"</button>
                " › "
                <button type="button" id="crumb-bucket" on:click=move |_| set_customer.set(None)>{bucket_label}</button>
                {move || customer.get().map(|c| view! { " › " <span>{snapshot.customers[c as usize].name.clone()}</span> })}
            </nav>
        }
    };
    let body = move || match customer.get() {
        None => {
            let f = Filter {
                bucket: Some(bucket),
                ..filter.get()
            };
            let mut per_customer: Vec<(u32, Money, u32)> = Vec::new();
            let mut slot = vec![usize::MAX; snapshot.customers.len()];
            for inv in select(snapshot, scheme, &f) {
                let c = inv.customer as usize;
                if slot[c] == usize::MAX {
                    slot[c] = per_customer.len();
                    per_customer.push((inv.customer, Money::ZERO, 0));
                }
                let e = &mut per_customer[slot[c]];
                e.1 += inv.open;
                e.2 += 1;
            }
            per_customer.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let shown = per_customer.len().min(LIST_LIMIT);
            let note = format!(
                "{} customers in {}{}.",
                per_customer.len(),
                label,
                if shown < per_customer.len() {
                    format!(", the {shown} largest shown")
                } else {
                    String::new()
                }
            );
            let rows = per_customer[..shown]
                .iter()
                .map(|&(c, amount, n)| {
                    let cust = &snapshot.customers[c as usize];
                    view! {
                        <tr class="customer-row">
                            <th scope="row"><button type="button" class="customer-link" data-customer=cust.id.clone()
                                on:click=move |_| set_customer.set(Some(c))>{cust.name.clone()}</button></th>
                            <td>{cust.id.clone()}</td>
                            <td class="num">{money(amount, exp)}</td>
                            <td class="num">{n}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p id="drill-note">{note}</p>
                <table class="list" id="customer-table">
                    <caption>"Customers in the chosen bucket, largest first"</caption>
                    <thead><tr><th scope="col">"Customer"</th><th scope="col">"Id"</th><th scope="col" class="num">"Open amount"</th><th scope="col" class="num">"Items"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        Some(c) => {
            let f = Filter {
                bucket: Some(bucket),
                customer: Some(c),
                ..filter.get()
            };
            let rows = select(snapshot, scheme, &f)
                .take(LIST_LIMIT)
                .map(|inv| {
                    view! {
                        <tr class="invoice-row">
                            <th scope="row">{inv.invoice_id.clone()}</th>
                            <td>{inv.invoice_date.to_string()}</td>
                            <td>{inv.due_date.to_string()}</td>
                            <td class="num">{inv.days_past_due(snapshot.as_of)}</td>
                            <td class="num">{money(inv.amount, exp)}</td>
                            <td class="num">{money(inv.open, exp)}</td>
                            <td>{inv.status.as_str()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="list" id="invoice-table">
                    <caption>"Open items of the customer in the chosen bucket"</caption>
                    <thead><tr><th scope="col">"Invoice"</th><th scope="col">"Invoice date"</th><th scope="col">"Due date"</th>
                        <th scope="col" class="num">"Days past due"</th><th scope="col" class="num">"Amount"</th>
                        <th scope="col" class="num">"Open"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };
    view! { <section class="drill" aria-live="polite">{crumbs}{body}</section> }
}
