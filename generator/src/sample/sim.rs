//! The day-by-day simulation of invoicing and collections.
//!
//! Future happenings (a payment, a dispute's resolution, a promise falling
//! due) are events in per-day buckets, processed in the order they were
//! scheduled. That keeps the run deterministic, lets each invoice's fate be
//! planned when it is issued, and holds memory to what is still pending.
//!
//! AR changes only through four movements, mirrored one-to-one by rows of
//! `activity.csv` or `sales.csv`: invoices (+), payments, credit memos and
//! write-offs (−). Applying a credit memo or unapplied cash to an invoice is
//! a transfer between open items and leaves AR alone, which is what makes the
//! snapshots roll forward exactly.

use super::calendar::{Calendar, Day};
use super::company::{Company, Customer, Habit};
use super::ledger::{whole, Doc, DocKey, DocKind, IdCounters, OpenItems, AGENCY, DISPUTED, LEGAL};
use super::output::{Activity, ActivityKind as Kind, Reference, Sink, Status};
use super::rng::Draw;
use anyhow::Result;

#[derive(Copy, Clone, Debug)]
enum Event {
    /// Issue the customer's next invoice(s).
    Invoice {
        cust: u32,
    },
    /// Pay an invoice: `permille` of its open amount, or all of it when no
    /// further instalments (`more`) follow.
    Pay {
        cust: u32,
        doc: DocKey,
        permille: u16,
        more: u8,
    },
    /// A return or rebate credited against an invoice.
    Credit {
        cust: u32,
        doc: DocKey,
        permille: u16,
    },
    OpenDispute {
        cust: u32,
        doc: DocKey,
    },
    ResolveDispute {
        cust: u32,
        doc: DocKey,
        reason: u8,
    },
    /// Cash received without remittance advice is matched to its invoice.
    ApplyCash {
        cust: u32,
        cash: DocKey,
        doc: DocKey,
    },
    /// The collector's periodic look at the account.
    Review {
        cust: u32,
    },
    PromiseDue {
        cust: u32,
    },
    Place {
        cust: u32,
    },
    Legal {
        cust: u32,
    },
    AgencyCollect {
        cust: u32,
    },
    WriteOff {
        cust: u32,
    },
    Recovery {
        cust: u32,
        doc: DocKey,
        amount: i64,
    },
}

/// A customer's promise to pay; whether it will be kept is decided when it
/// is made, by the customer's habit.
struct Promise {
    amount: i64,
    keep: bool,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Stage {
    Active,
    /// Handed to the collection agency.
    Placed,
    /// Written off; remaining items are legal cases.
    Closed,
}

struct Account {
    items: OpenItems,
    /// When the next invoice is due to be issued, in thousandths of a day, so
    /// that frequent buyers can get several invoices on one day.
    next_invoice: u64,
    promise: Option<Promise>,
    stage: Stage,
    /// From this day on no more deliveries (credit hold).
    hold_day: Day,
}

const DISPUTE_REASONS: [(&str, &str, u32); 5] = [
    ("pricing", "price differs from the agreed contract", 35),
    ("quantity", "short delivery", 25),
    ("quality", "goods damaged or defective", 20),
    ("duplicate", "invoice billed twice", 8),
    ("not_received", "delivery not received", 12),
];

/// Short payments below this are written off rather than chased.
const SMALL_BALANCE: i64 = whole(25);

/// What the simulation leaves behind for the remaining files.
pub(crate) struct Outcome<'a> {
    pub company: Company,
    /// Positive documents per (month, division), row-major by month.
    pub sales: Vec<i64>,
    pub sink: Sink<'a>,
}

pub(crate) fn run<'a>(
    cal: &'a Calendar,
    company: Company,
    sink: Sink<'a>,
    seed: u64,
) -> Result<Outcome<'a>> {
    let mut sim = Simulation::new(cal, company, sink, seed);
    sim.run()?;
    Ok(Outcome {
        company: sim.company,
        sales: sim.sales,
        sink: sim.sink,
    })
}

struct Simulation<'a> {
    cal: &'a Calendar,
    company: Company,
    accounts: Vec<Account>,
    agenda: Vec<Vec<Event>>,
    draw: Draw,
    ids: IdCounters,
    sink: Sink<'a>,
    sales: Vec<i64>,
    day: Day,
}

impl<'a> Simulation<'a> {
    fn new(cal: &'a Calendar, company: Company, sink: Sink<'a>, seed: u64) -> Simulation<'a> {
        let sales = vec![0; cal.periods.len() * company.divisions.len()];
        let mut sim = Simulation {
            cal,
            accounts: Vec::with_capacity(company.customers.len()),
            company,
            agenda: vec![Vec::new(); cal.last_day as usize + 1],
            draw: Draw::new(seed, 2),
            ids: IdCounters::default(),
            sink,
            sales,
            day: 0,
        };
        for c in 0..sim.company.customers.len() {
            sim.open_account(c);
        }
        sim
    }

    /// Staggers each customer's first invoice and review, and plans the
    /// decline of customers going bad.
    fn open_account(&mut self, c: usize) {
        let customer = &self.company.customers[c];
        let (gap, default_day) = (customer.gap_milli, customer.default_day);
        let next_invoice = self.draw.wide(0, gap);
        let mut hold_day = Day::MAX;
        let cust = c as u32;
        if default_day != Day::MAX {
            hold_day = default_day + self.draw.between(20, 45);
            let placement = default_day + self.draw.between(60, 120);
            self.schedule(placement, Event::Place { cust });
        }
        self.accounts.push(Account {
            items: OpenItems::default(),
            next_invoice,
            promise: None,
            stage: Stage::Active,
            hold_day,
        });
        self.schedule((next_invoice / 1000) as Day, Event::Invoice { cust });
        let review = self.draw.between(1, 14);
        self.schedule(review, Event::Review { cust });
    }

    fn run(&mut self) -> Result<()> {
        let mut snapshots = self.cal.snapshot_days.iter().copied().peekable();
        for day in 0..=self.cal.last_day {
            self.day = day;
            if self.cal.is_month_start(day) {
                self.rebalance_portfolios();
            }
            // Events scheduled for today while handling today's events land
            // in the same bucket and are handled in a following round.
            loop {
                let batch = std::mem::take(&mut self.agenda[day as usize]);
                if batch.is_empty() {
                    break;
                }
                for event in batch {
                    self.handle(event)?;
                }
            }
            if snapshots.next_if_eq(&day).is_some() {
                self.write_snapshot()?;
            }
        }
        Ok(())
    }

    fn handle(&mut self, event: Event) -> Result<()> {
        match event {
            Event::Invoice { cust } => self.on_invoice(cust as usize),
            Event::Pay {
                cust,
                doc,
                permille,
                more,
            } => self.on_pay(cust as usize, doc, permille, more),
            Event::Credit {
                cust,
                doc,
                permille,
            } => self.on_credit(cust as usize, doc, permille),
            Event::OpenDispute { cust, doc } => self.on_open_dispute(cust as usize, doc),
            Event::ResolveDispute { cust, doc, reason } => {
                self.on_resolve_dispute(cust as usize, doc, usize::from(reason))
            }
            Event::ApplyCash { cust, cash, doc } => {
                self.on_apply_cash(cust as usize, cash, doc);
                Ok(())
            }
            Event::Review { cust } => self.on_review(cust as usize),
            Event::PromiseDue { cust } => self.on_promise_due(cust as usize),
            Event::Place { cust } => self.on_place(cust as usize),
            Event::Legal { cust } => {
                self.on_legal(cust as usize);
                Ok(())
            }
            Event::AgencyCollect { cust } => self.on_agency_collect(cust as usize),
            Event::WriteOff { cust } => self.on_write_off(cust as usize),
            Event::Recovery { cust, doc, amount } => {
                let row = Activity::new(Kind::Recovery, Some(doc), amount)
                    .note("recovered by collection agency");
                self.record(cust as usize, row)
            }
        }
    }

    // ----- plumbing -------------------------------------------------------

    /// Events past the last snapshot can never show up, so they are dropped.
    fn schedule(&mut self, day: Day, event: Event) {
        if let Some(bucket) = self.agenda.get_mut(day as usize) {
            bucket.push(event);
        }
    }

    /// `day` plus a random delay in `lo..=hi`.
    fn after(&mut self, lo: u32, hi: u32) -> Day {
        self.day + self.draw.between(lo, hi)
    }

    fn customer(&self, c: usize) -> &Customer {
        &self.company.customers[c]
    }

    fn items(&mut self, c: usize) -> &mut OpenItems {
        &mut self.accounts[c].items
    }

    fn defaulted(&self, c: usize) -> bool {
        self.day >= self.customer(c).default_day
    }

    fn record(&mut self, c: usize, row: Activity) -> Result<()> {
        let customer = &self.company.customers[c];
        let collector = &self.company.collectors[customer.collector];
        self.sink.activity(self.day, customer, collector, row)
    }

    /// Cash applied to the open item at `index`; true if it was settled.
    fn pay_doc(&mut self, c: usize, index: usize, cash: i64, note: &'static str) -> Result<bool> {
        let key = self.items(c).docs[index].key;
        let settled = self.items(c).settle(index, cash);
        self.record(c, Activity::new(Kind::Payment, Some(key), cash).note(note))?;
        Ok(settled)
    }

    fn new_doc(&mut self, c: usize, kind: DocKind, amount: i64, due: Day) -> DocKey {
        let key = self.ids.next(kind, self.cal.year(self.day));
        let doc = Doc {
            key,
            issued: self.day,
            due: due.min(self.cal.horizon()),
            amount,
            open: amount,
            flags: 0,
        };
        self.items(c).insert(doc);
        key
    }

    // ----- invoicing ------------------------------------------------------

    fn on_invoice(&mut self, c: usize) -> Result<()> {
        let account = &self.accounts[c];
        if account.stage != Stage::Active || self.day >= account.hold_day {
            return Ok(()); // credit hold: no more deliveries, no more invoices
        }
        loop {
            self.issue_invoice(c);
            let gap = self.customer(c).gap_milli;
            let step = self.draw.wide(gap / 5, gap * 9 / 5).max(1);
            let account = &mut self.accounts[c];
            account.next_invoice += step;
            let next_day = (account.next_invoice / 1000) as Day;
            if next_day > self.day {
                self.schedule(next_day, Event::Invoice { cust: c as u32 });
                return Ok(());
            }
        }
    }

    fn issue_invoice(&mut self, c: usize) {
        let customer = self.customer(c);
        let (typical, terms, division) =
            (customer.typical_invoice, customer.terms, customer.division);
        let amount = self.invoice_amount(typical);
        let due = self.day + terms;
        let key = self.new_doc(c, DocKind::Invoice, amount, due);
        let month = self.cal.month_index(self.day);
        self.sales[month * self.company.divisions.len() + division] += amount;
        self.plan_settlement(c, key, due);
    }

    /// Spread around the customer's typical amount, now and then a big order.
    fn invoice_amount(&mut self, typical: i64) -> i64 {
        let mut amount = typical * i64::from(self.draw.between(250, 1750)) / 1000;
        if self.draw.chance(15) {
            amount *= i64::from(self.draw.between(4, 12));
        }
        amount.max(whole(10))
    }

    /// Decides at issue time how the invoice will be settled; the events
    /// re-check the state when they fire (the invoice may be gone by then).
    fn plan_settlement(&mut self, c: usize, doc: DocKey, due: Day) {
        let cust = c as u32;
        let habit = self.customer(c).habit;
        let dispute_rate = match habit {
            Habit::Disputing => 200,
            Habit::GoingBad => 30,
            _ => 12,
        };
        if self.draw.chance(dispute_rate) {
            // Settlement is planned when the dispute is resolved.
            let day = self.after(3, 20);
            self.schedule(day, Event::OpenDispute { cust, doc });
            return;
        }
        if self.draw.chance(20) {
            let day = self.after(2, 25);
            let permille = self.draw.between(50, 400) as u16;
            self.schedule(
                day,
                Event::Credit {
                    cust,
                    doc,
                    permille,
                },
            );
        }
        let (day, instalments) = match habit {
            Habit::Prompt => (due.saturating_sub(5) + self.draw.between(0, 7), 0),
            Habit::Slow => (due + self.draw.between(10, 30), self.instalments(60, 2)),
            Habit::Chronic => (due + self.draw.between(45, 120), self.instalments(500, 3)),
            Habit::Disputing => (due + self.draw.between(0, 15), 0),
            Habit::GoingBad => (due + self.draw.between(5, 25), self.instalments(100, 2)),
        };
        let permille = self.draw.between(250, 600) as u16;
        let pay = Event::Pay {
            cust,
            doc,
            permille,
            more: instalments,
        };
        self.schedule(day.max(self.day + 1), pay);
    }

    /// Number of further instalments after the first (0 = pays in one go).
    fn instalments(&mut self, permille: u32, max_parts: u32) -> u8 {
        if self.draw.chance(permille) {
            (self.draw.between(2, max_parts) - 1) as u8
        } else {
            0
        }
    }

    // ----- cash -----------------------------------------------------------

    fn on_pay(&mut self, c: usize, doc: DocKey, permille: u16, more: u8) -> Result<()> {
        if self.defaulted(c) {
            return Ok(());
        }
        let Some(index) = self.items(c).find(doc) else {
            return Ok(()); // already settled, e.g. through a kept promise
        };
        if !self.items(c).docs[index].payable() {
            return Ok(()); // the dispute or the agency decides what happens
        }
        // Customers deduct their open credits from the remittance.
        let open = self.items(c).apply_credits(index);
        let Some(index) = self.items(c).find(doc) else {
            return Ok(());
        };
        if more > 0 {
            let cash = (open * i64::from(permille) / 1000).clamp(1, open);
            self.pay_doc(c, index, cash, "instalment")?;
            let day = self.after(15, 40);
            let permille = self.draw.between(300, 700) as u16;
            let next = Event::Pay {
                cust: c as u32,
                doc,
                permille,
                more: more - 1,
            };
            self.schedule(day, next);
            return Ok(());
        }
        if self.draw.chance(10) {
            return self.unapplied_cash(c, doc, open);
        }
        let cash = open - self.short_payment(c, open);
        self.pay_doc(c, index, cash, "")?;
        Ok(())
    }

    /// Bank charges or a rounding dispute the customer deducts without
    /// telling anyone; the residue is later written off as a small balance.
    fn short_payment(&mut self, c: usize, open: i64) -> i64 {
        let rate = match self.customer(c).habit {
            Habit::Prompt => 8,
            _ => 25,
        };
        if open < whole(200) || !self.draw.chance(rate) {
            return 0;
        }
        self.draw.cents(1, SMALL_BALANCE.min(open / 20))
    }

    /// Cash arrives without remittance advice: it is posted as a negative
    /// open item and matched to the invoice a few days later.
    fn unapplied_cash(&mut self, c: usize, doc: DocKey, cash: i64) -> Result<()> {
        let key = self.new_doc(c, DocKind::Unapplied, -cash, self.day);
        let row = Activity::new(Kind::Payment, Some(key), cash).note("no remittance advice");
        self.record(c, row)?;
        let day = self.after(3, 20);
        self.schedule(
            day,
            Event::ApplyCash {
                cust: c as u32,
                cash: key,
                doc,
            },
        );
        Ok(())
    }

    fn on_apply_cash(&mut self, c: usize, cash: DocKey, doc: DocKey) {
        let items = self.items(c);
        if let (Some(credit), Some(target)) = (items.find(cash), items.find(doc)) {
            // Whatever is left stays open and is deducted from a later payment.
            items.transfer(credit, target);
        }
    }

    fn on_credit(&mut self, c: usize, doc: DocKey, permille: u16) -> Result<()> {
        // A credit for a settled invoice would be a refund, which this model
        // leaves out.
        let Some(index) = self.items(c).find(doc) else {
            return Ok(());
        };
        let amount = (self.items(c).docs[index].amount * i64::from(permille) / 1000).max(1);
        let note = *self
            .draw
            .pick(&["goods returned", "volume rebate", "price adjustment"]);
        self.issue_credit_memo(c, amount, doc, note)?;
        Ok(())
    }

    fn issue_credit_memo(
        &mut self,
        c: usize,
        amount: i64,
        against: DocKey,
        note: &'static str,
    ) -> Result<DocKey> {
        let key = self.new_doc(c, DocKind::CreditMemo, -amount, self.day);
        let row = Activity::new(Kind::CreditMemo, Some(key), amount)
            .reference(Reference::Doc(against))
            .note(note);
        self.record(c, row)?;
        Ok(key)
    }

    // ----- disputes -------------------------------------------------------

    fn on_open_dispute(&mut self, c: usize, doc: DocKey) -> Result<()> {
        let Some(index) = self.items(c).find(doc) else {
            return Ok(());
        };
        let item = &mut self.items(c).docs[index];
        if !item.payable() {
            return Ok(());
        }
        item.flags |= DISPUTED;
        let open = item.open;
        let weights = DISPUTE_REASONS.map(|r| r.2);
        let reason = self.draw.weighted(&weights);
        let (code, note, _) = DISPUTE_REASONS[reason];
        let row = Activity::new(Kind::DisputeOpened, Some(doc), open)
            .reference(Reference::Code(code))
            .note(note);
        self.record(c, row)?;
        let day = self.after(20, 60);
        let reason = reason as u8;
        self.schedule(
            day,
            Event::ResolveDispute {
                cust: c as u32,
                doc,
                reason,
            },
        );
        Ok(())
    }

    fn on_resolve_dispute(&mut self, c: usize, doc: DocKey, reason: usize) -> Result<()> {
        let Some(index) = self.items(c).find(doc) else {
            return Ok(());
        };
        let item = &mut self.items(c).docs[index];
        if !item.has(DISPUTED) {
            return Ok(());
        }
        item.flags &= !DISPUTED;
        let (open, placed) = (item.open, item.has(AGENCY));
        // Duplicates and missing deliveries are usually the seller's error.
        let seller_error = matches!(DISPUTE_REASONS[reason].0, "duplicate" | "not_received");
        let mut weights = if seller_error {
            [80, 5, 15]
        } else {
            [55, 20, 25]
        };
        if placed || self.defaulted(c) {
            weights[1] = 0; // a customer who stopped paying does not pay now
        }
        match self.draw.weighted(&weights) {
            0 => self.settle_with_credit(c, doc, open, seller_error),
            1 => {
                self.resolved(c, doc, open, "customer_paid", "customer accepted and paid")?;
                self.on_pay(c, doc, 1000, 0)
            }
            _ => {
                self.resolved(c, doc, open, "rejected", "claim rejected, invoice stands")?;
                let day = self.after(5, 25);
                self.schedule_full_payment(c, doc, day);
                Ok(())
            }
        }
    }

    /// Resolution by credit memo — in full for seller errors, partial
    /// otherwise — with the rest paid a little later.
    fn settle_with_credit(&mut self, c: usize, doc: DocKey, open: i64, full: bool) -> Result<()> {
        let permille = if full {
            1000
        } else {
            i64::from(self.draw.between(100, 600))
        };
        let amount = (open * permille / 1000).clamp(1, open);
        self.issue_credit_memo(c, amount, doc, "dispute settlement")?;
        // Usually applied at once; otherwise it waits for the next remittance.
        if self.draw.chance(700) {
            if let Some(index) = self.items(c).find(doc) {
                self.items(c).apply_credits(index);
            }
        }
        self.resolved(c, doc, amount, "credit_issued", "credit memo issued")?;
        let day = self.after(3, 20);
        self.schedule_full_payment(c, doc, day);
        Ok(())
    }

    fn resolved(
        &mut self,
        c: usize,
        doc: DocKey,
        amount: i64,
        resolution: &'static str,
        note: &'static str,
    ) -> Result<()> {
        let row = Activity::new(Kind::DisputeResolved, Some(doc), amount)
            .reference(Reference::Code(resolution))
            .note(note);
        self.record(c, row)
    }

    fn schedule_full_payment(&mut self, c: usize, doc: DocKey, day: Day) {
        let pay = Event::Pay {
            cust: c as u32,
            doc,
            permille: 1000,
            more: 0,
        };
        self.schedule(day, pay);
    }

    // ----- collections ----------------------------------------------------

    fn on_review(&mut self, c: usize) -> Result<()> {
        if self.accounts[c].stage != Stage::Active {
            return Ok(()); // the agency has the account now
        }
        let next = self.after(10, 20);
        self.schedule(next, Event::Review { cust: c as u32 });
        self.write_off_small_balances(c)?;
        if self.accounts[c].promise.is_some() {
            return Ok(()); // waiting for the promised payment
        }
        let Some(overdue) = self.overdue(c) else {
            return Ok(());
        };
        let days_late = self.day - overdue.oldest_due;
        let contact_rate = if self.defaulted(c) { 900 } else { 550 };
        if days_late < 5 || !self.draw.chance(contact_rate) {
            return Ok(());
        }
        let channel = self.contact(c, days_late)?;
        self.maybe_promise(c, &overdue, channel)
    }

    /// Records a reminder; the channel escalates with the age of the debt.
    fn contact(&mut self, c: usize, days_late: Day) -> Result<&'static str> {
        let (channel, note) = match days_late {
            0..=30 => ("email", "payment reminder sent"),
            31..=60 => ("call", "spoke to accounts payable"),
            _ if self.draw.chance(500) => ("letter", "formal reminder letter"),
            _ => ("call", "escalated to finance manager"),
        };
        let row = Activity::new(Kind::Contact, None, 0)
            .reference(Reference::Code(channel))
            .note(note);
        self.record(c, row)?;
        Ok(channel)
    }

    fn maybe_promise(&mut self, c: usize, overdue: &Overdue, channel: &str) -> Result<()> {
        let defaulted = self.defaulted(c);
        let rate = match channel {
            _ if defaulted => 500, // promises come easily when nothing follows
            "call" => 500,
            "letter" => 300,
            _ => 200,
        };
        if !self.draw.chance(rate) {
            return Ok(());
        }
        let habit = self.customer(c).habit;
        let amount = match habit {
            Habit::Chronic => overdue.amount * i64::from(self.draw.between(400, 1000)) / 1000,
            _ => overdue.amount,
        }
        .max(1);
        let due = self.after(5, 21);
        let keep_rate = match habit {
            _ if defaulted || due >= self.customer(c).default_day => 50,
            Habit::Prompt => 650,
            Habit::Slow | Habit::Disputing => 600,
            Habit::Chronic => 450,
            Habit::GoingBad => 500,
        };
        let keep = self.draw.chance(keep_rate);
        let row = Activity::new(Kind::Promise, overdue.single, amount)
            .reference(Reference::Date(due.min(self.cal.horizon())));
        self.record(c, row)?;
        self.accounts[c].promise = Some(Promise { amount, keep });
        self.schedule(due, Event::PromiseDue { cust: c as u32 });
        Ok(())
    }

    fn on_promise_due(&mut self, c: usize) -> Result<()> {
        let Some(promise) = self.accounts[c].promise.take() else {
            return Ok(());
        };
        if !promise.keep || self.defaulted(c) {
            return Ok(()); // broken; the next review chases again
        }
        self.pay_oldest(c, promise.amount, "promise kept")
    }

    /// Pays the oldest payable invoices until the money runs out.
    fn pay_oldest(&mut self, c: usize, mut budget: i64, note: &'static str) -> Result<()> {
        let mut index = 0;
        while budget > 0 && index < self.items(c).docs.len() {
            let doc = self.items(c).docs[index];
            if doc.payable() {
                let cash = budget.min(doc.open);
                budget -= cash;
                if self.pay_doc(c, index, cash, note)? {
                    continue;
                }
            }
            index += 1;
        }
        Ok(())
    }

    fn overdue(&mut self, c: usize) -> Option<Overdue> {
        let day = self.day;
        let mut overdue: Option<Overdue> = None;
        for doc in self
            .items(c)
            .docs
            .iter()
            .filter(|d| d.payable() && d.due < day)
        {
            match &mut overdue {
                None => {
                    overdue = Some(Overdue {
                        amount: doc.open,
                        oldest_due: doc.due,
                        single: Some(doc.key),
                    })
                }
                Some(o) => {
                    o.amount += doc.open;
                    o.oldest_due = o.oldest_due.min(doc.due);
                    o.single = None;
                }
            }
        }
        overdue
    }

    /// Residues of short payments are not worth chasing after a month.
    fn write_off_small_balances(&mut self, c: usize) -> Result<()> {
        let mut index = 0;
        while index < self.items(c).docs.len() {
            let doc = self.items(c).docs[index];
            let residue = doc.payable() && doc.open < doc.amount && doc.open <= SMALL_BALANCE;
            if residue && doc.due + 30 < self.day {
                self.items(c).docs.remove(index);
                let row = Activity::new(Kind::WriteOff, Some(doc.key), doc.open)
                    .reference(Reference::Code("small_balance"))
                    .note("short payment below tolerance");
                self.record(c, row)?;
                continue;
            }
            index += 1;
        }
        Ok(())
    }

    /// A few customers change hands each month (new hires, rebalancing).
    fn rebalance_portfolios(&mut self) {
        let collectors = self.company.collectors.len();
        if collectors < 2 {
            return;
        }
        for c in 0..self.company.customers.len() {
            if !self.draw.chance(4) {
                continue;
            }
            let current = self.customer(c).collector;
            let mut pool = self.company.collectors_for(self.customer(c).division);
            pool.retain(|&k| k != current);
            let next = if pool.is_empty() {
                // Only one collector serves the division: someone else helps.
                (current + 1 + self.draw.index(collectors - 1)) % collectors
            } else {
                *self.draw.pick(&pool)
            };
            self.company.customers[c].collector = next;
        }
    }

    // ----- customers going bad ---------------------------------------------

    /// Hands all open debt to the collection agency.
    fn on_place(&mut self, c: usize) -> Result<()> {
        let account = &mut self.accounts[c];
        if account.stage != Stage::Active {
            return Ok(());
        }
        account.stage = Stage::Placed;
        account.promise = None;
        account.items.net_all();
        for index in 0..self.items(c).docs.len() {
            let doc = &mut self.items(c).docs[index];
            if doc.open <= 0 {
                continue;
            }
            doc.flags |= AGENCY;
            let doc = *doc;
            let row = Activity::new(Kind::Placement, Some(doc.key), doc.open)
                .reference(Reference::Code("agency"))
                .note("placed with collection agency");
            self.record(c, row)?;
        }
        let cust = c as u32;
        if self.draw.chance(300) {
            let day = self.after(20, 60);
            self.schedule(day, Event::Legal { cust });
        }
        let day = self.after(20, 60);
        self.schedule(day, Event::AgencyCollect { cust });
        let day = self.after(90, 180);
        self.schedule(day, Event::WriteOff { cust });
        Ok(())
    }

    fn on_legal(&mut self, c: usize) {
        for doc in self.items(c).docs.iter_mut().filter(|d| d.has(AGENCY)) {
            doc.flags |= LEGAL;
        }
    }

    /// The agency recovers part of some invoices before the write-off.
    fn on_agency_collect(&mut self, c: usize) -> Result<()> {
        if self.accounts[c].stage != Stage::Placed {
            return Ok(());
        }
        let mut index = 0;
        while index < self.items(c).docs.len() {
            let doc = self.items(c).docs[index];
            if doc.open > 0 && doc.has(AGENCY) && self.draw.chance(350) {
                let share = i64::from(self.draw.between(100, 400));
                let cash = (doc.open * share / 1000).clamp(1, doc.open);
                if self.pay_doc(c, index, cash, "collected by agency")? {
                    continue;
                }
            }
            index += 1;
        }
        if self.draw.chance(400) {
            let day = self.after(20, 45);
            self.schedule(day, Event::AgencyCollect { cust: c as u32 });
        }
        Ok(())
    }

    /// Writes off most placed invoices; a few stay open as long-running
    /// (often legal) cases. Small recoveries may trickle in afterwards.
    fn on_write_off(&mut self, c: usize) -> Result<()> {
        if self.accounts[c].stage != Stage::Placed {
            return Ok(());
        }
        self.accounts[c].stage = Stage::Closed;
        let mut index = 0;
        while index < self.items(c).docs.len() {
            let doc = self.items(c).docs[index];
            let rate = if doc.has(LEGAL) { 500 } else { 850 };
            if doc.open > 0 && doc.has(AGENCY) && self.draw.chance(rate) {
                self.items(c).docs.remove(index);
                let row = Activity::new(Kind::WriteOff, Some(doc.key), doc.open)
                    .reference(Reference::Code("uncollectible"))
                    .note("written off after agency placement");
                self.record(c, row)?;
                self.plan_recovery(c, doc.key, doc.open);
                continue;
            }
            index += 1;
        }
        Ok(())
    }

    /// Agencies keep chasing after the write-off; a few small amounts come
    /// back (booked as recoveries, outside AR).
    fn plan_recovery(&mut self, c: usize, doc: DocKey, written_off: i64) {
        let cust = c as u32;
        let mut day = self.day;
        while self.draw.chance(450) {
            day += self.draw.between(20, 120);
            let share = i64::from(self.draw.between(20, 150));
            let amount = (written_off * share / 1000).max(1);
            self.schedule(day, Event::Recovery { cust, doc, amount });
        }
    }

    // ----- snapshots --------------------------------------------------------

    /// Every open item at the end of today, by customer then document id
    /// (both vectors are kept in that order).
    fn write_snapshot(&mut self) -> Result<()> {
        let mut w = self.sink.begin_snapshot(self.day)?;
        for (customer, account) in self.company.customers.iter().zip(&self.accounts) {
            let promised = account.promise.is_some();
            for doc in &account.items.docs {
                let status = status_of(doc, promised, self.day);
                self.sink
                    .snapshot_row(&mut w, &self.company, customer, doc, status)?;
            }
        }
        w.flush()?;
        Ok(())
    }
}

/// What a review sees: the customer's payable overdue invoices.
struct Overdue {
    amount: i64,
    oldest_due: Day,
    /// The invoice, when only one is overdue (promises then name it).
    single: Option<DocKey>,
}

/// The ERP's collection status; the strongest escalation wins. A pending
/// promise covers the customer's overdue items.
fn status_of(doc: &Doc, promised: bool, day: Day) -> Status {
    if doc.has(LEGAL) {
        Status::Legal
    } else if doc.has(AGENCY) {
        Status::Agency
    } else if doc.has(DISPUTED) {
        Status::Disputed
    } else if promised && doc.open > 0 && doc.due < day {
        Status::Promised
    } else {
        Status::Open
    }
}
