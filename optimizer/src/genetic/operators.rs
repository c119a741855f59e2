//! Our half of the genetic search: the individual, its fitness, crossover by whole territories, mutation by
//! ReCom or by moving a center, and development of offspring on every core. The GA library only decides who
//! mates and who survives ([`super::engine`]).

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::develop::{develop, develop_unless_stopped, DevelopParams, Developed, Genes};
use super::front::Front;
use super::recom::recombine;
use crate::problem::{PlanError, Problem};
use crate::stop::Stop;

/// How far above the best plan's travel a child may be and still be polished by ejection chains, as a share
/// of it: besides the children that beat the best plan, its near-copies, which single-unit moves left stalled
/// at other bounds.
pub const CHAIN_MARGIN: f64 = 0.001;

/// Batches (generations) in a row without a better plan before the search starts polishing by ejection chains:
/// while generations keep finding better plans, single-unit moves are not what holds the search back, and the
/// chains (several developments' worth of work each on a large instance) would only slow it down.
pub const CHAIN_AFTER_STALLED: usize = 3;

/// Generations without a better plan in the population between two deep polishes of its best plans
/// ([`Search::between_generations`]).
pub const DEEP_POLISH_EVERY: usize = 5;

/// Deep polishes of a stalled population, each with twice the chain search budget of the one before: 2, 4, 8
/// and 16 times [`super::chains::NODES_PER_UNIT`].
pub const DEEP_POLISH_LEVELS: u32 = 4;

/// Plans of the population (its best, distinct) each deep polish works on. A fixed number, not the threads', so
/// that a seeded run stays the same on any machine; polished side by side on the threads.
pub const DEEP_POLISH_PLANS: usize = 3;

/// Generations in a row without a better plan in the population before it is replaced by a fresh one (a new
/// epoch, [`Search::next_epoch`]): once every deep polish has failed, and [`DEEP_POLISH_EVERY`] generations
/// after the last. By then the population holds near-copies of one local optimum, which neither crossover of
/// near-copies nor chains get out of.
pub const RESTART_AFTER_STALLED: usize = DEEP_POLISH_EVERY * (DEEP_POLISH_LEVELS as usize + 1);

/// One member of the population: its genes and, once developed, its plan. Clones share both, so a survivor is
/// never developed twice.
#[derive(Debug, Clone)]
pub struct Individual {
    genes: Arc<Genes>,
    /// The plan mutation may take a ReCom step from (the first parent's), kept out of equality.
    parent: Option<Arc<Developed>>,
    plan: Arc<OnceLock<Arc<Developed>>>,
}

impl PartialEq for Individual {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.plan, &other.plan) || self.genes == other.genes
    }
}

impl Individual {
    /// An individual not yet developed.
    pub fn new(genes: Genes) -> Self {
        Individual {
            genes: Arc::new(genes),
            parent: None,
            plan: Arc::new(OnceLock::new()),
        }
    }

    /// Its genes.
    pub fn genes(&self) -> &Genes {
        &self.genes
    }

    /// Its plan, once developed.
    pub fn plan(&self) -> Option<&Arc<Developed>> {
        self.plan.get()
    }
}

impl genevo::genetic::Genotype for Individual {
    type Dna = u32;
}

/// The population's own progress since it was last replaced. New epochs are judged by it, not by the best plan
/// of the whole search, which a fresh population takes many generations to come near.
#[derive(Debug, Default)]
struct Epoch {
    /// Epochs started after the first.
    restarts: usize,
    /// The best plan's rank ([`Developed::key`]) in the population of this epoch.
    best: Option<(usize, f64, f64, f64)>,
    /// Generations in a row whose population had no better plan.
    stalled: usize,
    /// Deep polishes of the population's best plan since it last improved (see [`Search::between_generations`]).
    deep_level: u32,
}

/// Everything the operators share during one search: the problem, the stop condition, the best plan so far,
/// the plans kept for a trade-off front, and the first error.
pub struct Search<'a> {
    /// The problem.
    pub problem: &'a Problem,
    /// How hard development works.
    pub develop: DevelopParams,
    /// Deadline and cancel.
    pub stop: Stop,
    /// Threads developing offspring.
    pub threads: usize,
    /// Probability that a child is mutated.
    pub mutation_rate: f64,
    /// Travel that fitness is measured against (the first population's best), in km.
    pub reference_travel: OnceLock<f64>,
    best: Mutex<Option<Arc<Developed>>>,
    /// Polish the children near the best plan by ejection chains (default on; see [`Search::develop_all`]).
    pub chains_near_best: bool,
    front: Option<Mutex<Front>>,
    /// Hashes of the plans polished so far.
    polished: Mutex<HashSet<u64>>,
    /// Batches developed in a row without a better plan.
    stalled: AtomicUsize,
    /// Generations without a better plan in the population before a new epoch starts ([`RESTART_AFTER_STALLED`]
    /// by default); 0 for never.
    pub restart_after: usize,
    /// The epoch running.
    epoch: Mutex<Epoch>,
    developed: AtomicUsize,
    error: Mutex<Option<PlanError>>,
    /// Children dropped because their allocation had no feasible flow, with the first such error.
    dropped: Mutex<(usize, Option<PlanError>)>,
}

impl<'a> Search<'a> {
    /// A search over `problem`; with `front`, every developed plan is offered to it.
    pub fn new(problem: &'a Problem, stop: Stop, threads: usize, front: Option<Front>) -> Self {
        Search {
            problem,
            develop: DevelopParams::default(),
            stop,
            threads: threads.max(1),
            mutation_rate: 0.5,
            reference_travel: OnceLock::new(),
            best: Mutex::new(None),
            chains_near_best: true,
            front: front.map(Mutex::new),
            polished: Mutex::new(HashSet::new()),
            stalled: AtomicUsize::new(0),
            restart_after: RESTART_AFTER_STALLED,
            epoch: Mutex::new(Epoch::default()),
            developed: AtomicUsize::new(0),
            error: Mutex::new(None),
            dropped: Mutex::new((0, None)),
        }
    }

    /// The search with `params`' mutation rate and restart threshold.
    pub fn with_params(mut self, params: &super::GeneticParams) -> Self {
        self.mutation_rate = params.mutation_rate;
        self.restart_after = params.restart_after;
        self
    }

    /// The best plan developed so far.
    pub fn best(&self) -> Option<Arc<Developed>> {
        self.best.lock().ok().and_then(|b| b.clone())
    }

    /// Plans developed so far.
    pub fn developed(&self) -> usize {
        self.developed.load(Ordering::SeqCst)
    }

    /// A copy of the front of the plans developed so far, when the search keeps one.
    pub fn front_snapshot(&self) -> Option<Front> {
        self.front.as_ref().and_then(|f| f.lock().ok().map(|f| f.clone()))
    }

    /// The front of every plan developed, when the search keeps one.
    pub fn into_front(self) -> Option<Front> {
        self.front.and_then(|f| f.into_inner().ok())
    }

    /// The first error a development met, if any.
    pub fn take_error(&self) -> Option<PlanError> {
        self.error.lock().ok().and_then(|mut e| e.take())
    }

    /// True when the search must end: the stop condition was reached or a development failed.
    pub fn should_end(&self) -> bool {
        self.stop.reached() || self.error.lock().map_or(true, |e| e.is_some())
    }

    /// Develops `individual` unless it already is (a pure function of its genes, unless the stop condition
    /// cuts it short) and records the plan.
    pub fn develop_one(&self, individual: &Individual) {
        if let Some(d) = self.develop_plan(individual) {
            self.record(individual, d);
        }
    }

    /// `individual`'s plan, developed, unless it has one already or the stop condition leaves it none.
    ///
    /// Once the stop condition is reached no new development starts, unless the search has no plan yet and
    /// must return one: even a development cut short at once does work that does not poll the deadline (the
    /// flow network, the final contiguity repair, the figures), and on a loaded machine a population of those
    /// overran the deadline by seconds. A search keeping a front (an exploration's) then still records an
    /// individual that is a whole plan already (the restart designer's), as it is: its figures take little
    /// time. Any other individual stays undeveloped and ranks last.
    fn develop_plan(&self, individual: &Individual) -> Option<Developed> {
        if individual.plan.get().is_some() {
            return None;
        }
        // (Plans developed count before they are recorded: a batch records its plans once all are developed.)
        let has_plan = self.front.is_some() || self.best().is_some() || self.developed() > 0;
        if self.stop.reached() && has_plan {
            // (Not the current plan: an exploration's front holds it from the start.)
            if let (Some(_), Some(start)) = (&self.front, &individual.genes.start) {
                if self.problem.current.as_ref() != Some(start) {
                    return Some(super::develop::whole_plan(self.problem, start.clone()));
                }
            }
            return None;
        }
        // A search with a plan (or a front) abandons a development the deadline cuts short before local search.
        let result = if has_plan {
            develop_unless_stopped(self.problem, &individual.genes, &self.develop, &self.stop)
        } else {
            develop(self.problem, &individual.genes, &self.develop, &self.stop).map(Some)
        };
        match result {
            Ok(Some(d)) => {
                self.developed.fetch_add(1, Ordering::SeqCst);
                Some(d)
            }
            Ok(None) => None,
            // A child whose inherited territories leave some units no place within the balance bands (its
            // pinned allocation has no feasible flow) is an infeasible child, not a failure of the search: it
            // is dropped and stays undeveloped, ranking last. (It once ended whole conus searches with exit 1.)
            Err(PlanError::Flow(detail)) => {
                if let Ok(mut dropped) = self.dropped.lock() {
                    dropped.0 += 1;
                    dropped.1.get_or_insert(PlanError::Flow(detail));
                }
                None
            }
            Err(e) => {
                if let Ok(mut er) = self.error.lock() {
                    er.get_or_insert(e);
                }
                None
            }
        }
    }

    /// Children dropped so far because their allocation had no feasible flow, and the first such error (what
    /// a search that developed no plan at all reports).
    pub fn dropped(&self) -> (usize, Option<PlanError>) {
        self.dropped.lock().map_or((0, None), |d| (d.0, d.1.clone()))
    }

    /// Keeps `d` as `individual`'s plan, and as the best plan or on the front where it belongs.
    fn record(&self, individual: &Individual, d: Developed) {
        let d = Arc::new(d);
        if let Ok(mut b) = self.best.lock() {
            let better = match b.as_ref() {
                None => true,
                // Ties go to the smaller assignment, so the winner does not depend on thread timing.
                Some(old) => d.better_than(old) || (d.key() == old.key() && d.assignment < old.assignment),
            };
            if better {
                *b = Some(d.clone());
            }
        }
        if let Some(f) = &self.front {
            if let Ok(mut f) = f.lock() {
                f.offer(&d);
            }
        }
        let _ = individual.plan.set(d);
    }

    /// Develops every individual not yet developed, on [`Search::threads`] threads, then, once the search has
    /// stalled ([`CHAIN_AFTER_STALLED`] batches without a better plan), polishes those near the best plan by
    /// ejection chains (`Search::polish_near_best`), and records the plans in the batch's order (so the best
    /// plan does not depend on which thread finished first).
    pub fn develop_all(&self, individuals: &[Individual]) {
        let todo: Vec<&Individual> = individuals.iter().filter(|i| i.plan.get().is_none()).collect();
        let mut plans: Vec<Option<Developed>> = self
            .on_threads(todo.len(), |k| self.develop_plan(todo[k]))
            .into_iter()
            .map(Option::flatten)
            .collect();
        if self.chains_near_best && self.stalled.load(Ordering::SeqCst) >= CHAIN_AFTER_STALLED {
            self.polish_near_best(&mut plans);
        }
        let before = self.best();
        for (individual, plan) in todo.into_iter().zip(plans) {
            if let Some(d) = plan {
                self.record(individual, d);
            }
        }
        let improved = match (&before, self.best()) {
            (Some(b), Some(a)) => a.better_than(b),
            (None, a) => a.is_some(),
            (Some(_), None) => false,
        };
        if improved {
            self.stalled.store(0, Ordering::SeqCst);
        } else {
            self.stalled.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Ejection chains ([`super::chains::polish`]) on the plans of a batch that rank no worse than the best
    /// plan so far (the batch's own included) would with [`CHAIN_MARGIN`] more travel, each plan at most once
    /// in a search. Chains cost several developments on a large instance; single-unit moves stall at the
    /// bounds on plans of any quality, but only a plan near the best can become the best, so the chains' cost
    /// goes to the few children where it can pay. A polished plan takes the child's place; the child's own plan
    /// is still offered to the front (it may balance better).
    fn polish_near_best(&self, plans: &mut [Option<Developed>]) {
        if self.stop.reached() {
            return;
        }
        let mut best = self.best().map(|b| (*b).clone());
        for d in plans.iter().flatten() {
            if best.as_ref().is_none_or(|b| d.better_than(b)) {
                best = Some(d.clone());
            }
        }
        let Some(mut bar) = best else { return };
        bar.travel *= 1.0 + CHAIN_MARGIN;
        let chosen: Vec<usize> = (0..plans.len())
            .filter(|&k| {
                matches!(&plans[k], Some(d) if d.finished && d.violation == 0.0 && !bar.better_than(d)
                    && self.first_polish(&d.assignment))
            })
            .collect();
        let polished = self.on_threads(chosen.len(), |k| {
            plans[chosen[k]]
                .as_ref()
                .and_then(|d| super::chains::polish(self.problem, d, &self.stop))
        });
        for (k, p) in chosen.into_iter().zip(polished) {
            if let Some(p) = p.flatten() {
                self.first_polish(&p.assignment);
                if let (Some(f), Some(child)) = (&self.front, &plans[k]) {
                    if let Ok(mut f) = f.lock() {
                        f.offer(&Arc::new(child.clone()));
                    }
                }
                plans[k] = Some(p);
            }
        }
    }

    /// True the first time it sees `assignment` (a plan polished once is not polished again).
    fn first_polish(&self, assignment: &[u32]) -> bool {
        let mut h = std::hash::DefaultHasher::new();
        assignment.hash(&mut h);
        self.polished.lock().is_ok_and(|mut seen| seen.insert(h.finish()))
    }

    /// What happens to the population a generation left before the next one: while its best plan improves,
    /// nothing. Once it has not improved for a while, the search works harder on it, then starts afresh:
    ///
    /// - every [`DEEP_POLISH_EVERY`] generations without a better plan, the population's best
    ///   [`DEEP_POLISH_PLANS`] plans are polished by ejection chains with twice the search budget of the time
    ///   before (up to [`DEEP_POLISH_LEVELS`] times). Chains search one first move after another, depth first,
    ///   and the default budget runs out on the first few: on georgia the plan three seeds in ten ended at
    ///   (2.3465e8) is freed by a chain with eight times the budget (to 2.3427e8). A polished plan replaces the
    ///   population's worst (and counts for [`Search::best`]).
    /// - after [`Search::restart_after`] generations without a better plan, a new epoch
    ///   ([`Search::next_epoch`], its individuals seeded from `seed`).
    ///
    /// Returns the population the next generation starts from, as large as `population`.
    pub fn between_generations(&self, mut population: Vec<Individual>, seed: u64) -> Vec<Individual> {
        let best = population
            .iter()
            .filter_map(|i| i.plan().map(|d| d.key()))
            .min_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        let (stalled, level) = {
            let Ok(mut epoch) = self.epoch.lock() else {
                return population;
            };
            match (best, epoch.best) {
                (Some(b), Some(old)) if b >= old => epoch.stalled += 1,
                (Some(b), _) => {
                    epoch.best = Some(b);
                    epoch.stalled = 0;
                    epoch.deep_level = 0;
                }
                (None, _) => epoch.stalled += 1,
            }
            (epoch.stalled, epoch.deep_level)
        };
        if stalled == 0 || self.stop.reached() {
            return population;
        }
        if self.restart_after > 0 && stalled >= self.restart_after {
            return self.next_epoch(population.len(), seed);
        }
        if self.chains_near_best && stalled % DEEP_POLISH_EVERY == 0 && level < DEEP_POLISH_LEVELS {
            if let Ok(mut epoch) = self.epoch.lock() {
                epoch.deep_level = level + 1;
            }
            self.deep_polish(&mut population, super::chains::NODES_PER_UNIT << (level + 1), seed);
        }
        population
    }

    /// Polishes the best [`DEEP_POLISH_PLANS`] balanced plans of `population` by ejection chains with
    /// `nodes_per_unit`, side by side on the threads; each polished plan not in the population already replaces
    /// its worst member and is recorded.
    fn deep_polish(&self, population: &mut [Individual], nodes_per_unit: usize, seed: u64) {
        let mut ranked: Vec<usize> = (0..population.len())
            .filter(|&k| population[k].plan().is_some_and(|d| d.finished && d.violation == 0.0))
            .collect();
        // (A stable sort: ties keep the population's order, which the seed decides.)
        ranked.sort_by_key(|&k| std::cmp::Reverse(self.fitness(&population[k])));
        ranked.truncate(DEEP_POLISH_PLANS);
        let polished = self.on_threads(ranked.len(), |k| {
            let d = population[ranked[k]].plan()?;
            super::chains::polish_with(self.problem, d, &self.stop, nodes_per_unit)
        });
        for (k, p) in ranked.into_iter().zip(polished) {
            let Some(p) = p.flatten() else { continue };
            if population.iter().any(|i| i.plan().is_some_and(|d| d.same_plan(&p))) {
                continue;
            }
            // Its genes: the polished plan as a start, its medoids as centers (the old ones where a territory
            // has none), so that mutation and crossover work from it as from any developed plan.
            let old = &population[k].genes;
            let individual = Individual::new(Genes {
                centers: (0..old.centers.len())
                    .map(|t| p.center_units.get(t).copied().flatten().unwrap_or(old.centers[t]))
                    .collect(),
                pins: Vec::new(),
                start: Some(p.assignment.clone()),
                seed,
            });
            self.record(&individual, p);
            if let Some(worst) = (0..population.len()).min_by_key(|&k| self.fitness(&population[k])) {
                population[worst] = individual;
            }
        }
    }

    /// A new epoch: a population of `size` individuals from fresh k-means++ centers (seeds from `seed`),
    /// developed. Nothing of the old population is kept: the best plan of the search stays
    /// [`Search::best`] whatever happens, and a fresh population that met the old best plans would soon be
    /// their near-copies again (keeping the best one, 7 seeds of 10 on georgia reached the target in 600
    /// generations; keeping none, 10 of 10: BENCHMARKS.md).
    pub fn next_epoch(&self, size: usize, seed: u64) -> Vec<Individual> {
        let fresh: Vec<Individual> = (0..size as u64)
            .map(|k| Individual::new(super::develop::random_genes(self.problem, seed.wrapping_add(k))))
            .collect();
        self.develop_all(&fresh);
        if let Ok(mut epoch) = self.epoch.lock() {
            epoch.restarts += 1;
            epoch.best = fresh
                .iter()
                .filter_map(|i| i.plan().map(|d| d.key()))
                .min_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            epoch.stalled = 0;
            epoch.deep_level = 0;
        }
        fresh
    }

    /// New epochs started so far (restarts of the population after a stall).
    pub fn restarts(&self) -> usize {
        self.epoch.lock().map_or(0, |e| e.restarts)
    }

    /// `f(0)`, …, `f(n - 1)` on [`Search::threads`] threads, in order (`None` where a thread panicked).
    fn on_threads<T: Send>(&self, n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<Option<T>> {
        let slots: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..self.threads.min(n).max(1) {
                s.spawn(|| loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    if k >= n {
                        break;
                    }
                    let v = f(k);
                    if let Ok(mut slot) = slots[k].lock() {
                        *slot = Some(v);
                    }
                });
            }
        });
        slots.into_iter().map(|m| m.into_inner().ok().flatten()).collect()
    }

    /// Fitness, higher is better: the order of [`Developed::key`] (contiguity, then the caps, floors and mix
    /// bands, then balance, then travel) folded into one integer — each non-contiguous territory outweighs any
    /// excess over the limits, any excess outweighs any balance violation, and any violation outweighs any
    /// travel difference below a factor of 1,000. So a plan that keeps every limit always survives a plan that
    /// breaks one, and the search steers towards plans that keep them.
    pub fn fitness(&self, individual: &Individual) -> i64 {
        self.develop_one(individual);
        let Some(d) = individual.plan.get() else {
            return i64::MIN + 1;
        };
        let reference = *self.reference_travel.get_or_init(|| d.travel.max(1e-9));
        -(cost(d, reference).round() as i64)
    }

    /// A child of `a` and `b` inheriting whole territories: territories of the two parents are taken in
    /// random alternation as long as they overlap none taken before, and held whole through the child's first
    /// allocation; the remaining territories start from the centers of the parents' other territories. Both
    /// parents must be developed (an undeveloped parent gives a copy of the other's genes).
    pub fn crossover(&self, a: &Individual, b: &Individual, rng: &mut impl Rng) -> Individual {
        let seed = rng.gen::<u64>();
        let (Some(pa), Some(pb)) = (a.plan.get(), b.plan.get()) else {
            return a.clone();
        };
        let problem = self.problem;
        let (n, p) = (problem.n(), problem.p());
        let fixed = problem.fixed_centers.is_some();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let members = |d: &Developed| {
            let mut m = vec![Vec::new(); p];
            for (i, &t) in d.assignment.iter().enumerate() {
                m[t as usize].push(i);
            }
            m
        };
        let (ma, mb) = (members(pa), members(pb));
        let mut order_a: Vec<usize> = (0..p).collect();
        let mut order_b: Vec<usize> = (0..p).collect();
        order_a.shuffle(&mut rng);
        order_b.shuffle(&mut rng);
        let mut pins: Vec<Option<u32>> = vec![None; n];
        let mut slot_taken = vec![false; p];
        let mut centers: Vec<Option<usize>> = vec![None; p];
        let mut rejected: Vec<usize> = Vec::new();
        let mut inherited = 0;
        for k in 0..2 * p {
            let (parent, members, t) = if k % 2 == 0 {
                (pa, &ma, order_a[k / 2])
            } else {
                (pb, &mb, order_b[k / 2])
            };
            let free = members[t].iter().all(|&i| pins[i].is_none());
            // With fixed centers a territory keeps its index (its rep); otherwise it takes the first free slot.
            let slot = if fixed {
                (!slot_taken[t]).then_some(t)
            } else if !slot_taken[t] {
                Some(t)
            } else {
                (0..p).find(|&s| !slot_taken[s])
            };
            match (free, slot, parent.center_units[t]) {
                (true, Some(s), c) if !members[t].is_empty() => {
                    for &i in &members[t] {
                        pins[i] = Some(s as u32);
                    }
                    slot_taken[s] = true;
                    centers[s] = c;
                    inherited += 1;
                }
                (_, _, Some(c)) => rejected.push(c),
                _ => {}
            }
            if inherited == p {
                break;
            }
        }
        // Empty slots: centers of territories not inherited, outside the inherited ones where possible.
        rejected.shuffle(&mut rng);
        rejected.sort_by_key(|&c| pins[c].is_some());
        let mut spare = rejected.into_iter();
        let mut used: Vec<bool> = vec![false; n];
        for c in centers.iter().flatten() {
            used[*c] = true;
        }
        for c in centers.iter_mut().filter(|c| c.is_none()) {
            let pick = spare.by_ref().find(|&u| !used[u]).unwrap_or_else(|| loop {
                let u = rng.gen_range(0..n);
                if !used[u] {
                    break u;
                }
            });
            used[pick] = true;
            *c = Some(pick);
        }
        let genes = Genes {
            centers: centers.into_iter().map(|c| c.unwrap_or(0)).collect(),
            pins,
            start: None,
            seed,
        };
        Individual {
            genes: Arc::new(genes),
            parent: Some(pa.clone()),
            plan: Arc::new(OnceLock::new()),
        }
    }

    /// A new individual from weighted k-means++ centers drawn from `seed`; `None` once the stop condition is
    /// reached (it would not be developed, and k-means++ over a large instance takes a while).
    pub fn immigrant(&self, seed: u64) -> Option<Individual> {
        (!self.stop.reached()).then(|| Individual::new(super::develop::random_genes(self.problem, seed)))
    }

    /// Mutates a child, with probability [`Search::mutation_rate`]: a ReCom step on its first parent's plan
    /// (half the time, and always with fixed centers), else one center moved — to a unit drawn with probability
    /// ∝ weight × squared distance to the nearest other center (where service is worst), or to a random unit
    /// of its own territory or a neighbouring one.
    /// Once the stop condition is reached the child is left as it is: it will not be developed, and moving a
    /// center scores every unit against every center.
    pub fn mutate(&self, child: Individual, rng: &mut impl Rng) -> Individual {
        let seed = rng.gen::<u64>();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        if !rng.gen_bool(self.mutation_rate.clamp(0.0, 1.0)) || self.stop.reached() {
            return child;
        }
        let problem = self.problem;
        let recom = problem.fixed_centers.is_some() || rng.gen_bool(0.5);
        if recom {
            if let Some(parent) = &child.parent {
                if let Some(next) = recombine(problem, &parent.assignment, &mut rng) {
                    return Individual::new(Genes {
                        centers: child.genes.centers.clone(),
                        pins: Vec::new(),
                        start: Some(next),
                        seed,
                    });
                }
            }
            if problem.fixed_centers.is_some() {
                return child;
            }
        }
        let mut genes = (*child.genes).clone();
        let p = problem.p();
        let k = rng.gen_range(0..p);
        let n = problem.n();
        let new_center = if rng.gen_bool(0.5) {
            let others: Vec<_> = (0..p)
                .filter(|&t| t != k)
                .map(|t| problem.points[genes.centers[t]])
                .collect();
            let score: Vec<f64> = (0..n)
                .map(|i| {
                    let d = others
                        .iter()
                        .map(|c| problem.points[i].km(c))
                        .fold(f64::INFINITY, f64::min);
                    problem.weights[i] * d * d
                })
                .collect();
            let total: f64 = score.iter().sum();
            let mut r = rng.gen::<f64>() * total;
            score.iter().position(|s| {
                r -= s;
                r <= 0.0
            })
        } else {
            // A unit near the old center: a random walk of a few steps over the adjacency.
            let mut u = genes.centers[k];
            for _ in 0..rng.gen_range(1..=6) {
                if let Some(&v) = problem.adjacency.neighbors(u).choose(&mut rng) {
                    u = v as usize;
                }
            }
            Some(u)
        };
        if let Some(c) = new_center.filter(|c| !genes.centers.contains(c)) {
            genes.centers[k] = c;
        }
        genes.seed = seed;
        // The pins of a crossover child stay, except those of the moved center's territory.
        for pin in genes.pins.iter_mut() {
            if *pin == Some(k as u32) {
                *pin = None;
            }
        }
        Individual {
            genes: Arc::new(genes),
            parent: child.parent,
            plan: Arc::new(OnceLock::new()),
        }
    }
}

/// The cost [`Search::fitness`] negates, in tiers that never overlap: non-contiguous territories (1e16 each, at
/// most 900 counted, so the sum stays within an `i64`), then the excess over the limits (1e13 for any at all, plus
/// its size, below 1e16), then the balance violation (1e10 for any at all, plus its size, below 1e13), then travel
/// relative to `reference` (1e7 per reference, below 1e10: differences of a ten-millionth of it still count).
fn cost(d: &Developed, reference: f64) -> f64 {
    let tier = |x: f64| if x > 0.0 { (1.0 + x).min(999.0) } else { 0.0 };
    (d.n_noncontiguous.min(900) as f64) * 1e16
        + tier(d.limit_excess) * 1e13
        + tier(d.violation.sqrt()) * 1e10
        + (d.travel / reference).min(999.0) * 1e7
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genetic::develop::random_genes;
    use crate::model::{Adjacency, Measure, Units};
    use crate::problem::ProblemSpec;
    use crate::progress::Progress;

    /// A `side` × `side` grid with uneven weights into `p` territories.
    fn grid(side: usize, p: usize) -> Problem {
        let n = side * side;
        let units = Units::new(
            (0..n).map(|i| format!("u{i}")).collect(),
            (0..n).map(|i| (i % side) as f64 * 0.1).collect(),
            (0..n).map(|i| (i / side) as f64 * 0.1).collect(),
            vec![Measure {
                name: "workload".into(),
                values: (0..n).map(|i| 1.0 + (i * 7 % 5) as f64).collect(),
            }],
        )
        .expect("units");
        let mut edges = vec![];
        for i in 0..n as u32 {
            if (i as usize) % side < side - 1 {
                edges.push((i, i + 1));
            }
            if (i as usize) / side < side - 1 {
                edges.push((i, i + side as u32));
            }
        }
        ProblemSpec::new(&units, &Adjacency::from_edges(n, &edges), p)
            .build()
            .expect("problem")
    }

    /// A developed first population of `size` from k-means++ seeds.
    fn population(search: &Search<'_>, size: u64) -> Vec<Individual> {
        let first: Vec<Individual> = (0..size)
            .map(|k| Individual::new(random_genes(search.problem, 100 + k)))
            .collect();
        search.develop_all(&first);
        first
    }

    #[test]
    fn a_stalled_population_is_replaced_by_a_fresh_one_and_the_best_plan_is_kept() {
        let problem = grid(10, 4);
        let progress = Progress::new();
        let mut search = Search::new(&problem, Stop::new(&progress, None), 2, None);
        search.restart_after = 3;
        let first = population(&search, 5);
        let best = search.best().expect("a best plan");
        // Generations that leave the same population: the first sets the epoch's best, three more stall it.
        let mut pop = first.clone();
        for generation in 0..3 {
            pop = search.between_generations(pop, 42);
            assert_eq!(pop, first, "generation {generation}: replaced before the stall");
            assert_eq!(search.restarts(), 0);
        }
        let fresh = search.between_generations(pop, 42);
        assert_eq!(search.restarts(), 1);
        assert_eq!(fresh.len(), first.len());
        assert!(
            fresh.iter().all(|i| i.plan().is_some()),
            "a fresh individual left undeveloped"
        );
        assert!(fresh.iter().all(|i| !first.contains(i)), "the old population survived");
        // The best plan of the search is kept, whatever the fresh population holds.
        let kept = search.best().expect("a best plan");
        assert!(!best.better_than(&kept), "the best plan got worse");
        // The fresh population is the seed's: another search from the same state draws the same plans.
        let again = Search::new(&problem, Stop::new(&progress, None), 1, None);
        let plans = |pop: &[Individual]| -> Vec<Vec<u32>> {
            pop.iter()
                .map(|i| i.plan().map(|d| d.assignment.clone()).unwrap_or_default())
                .collect()
        };
        assert_eq!(plans(&again.next_epoch(5, 42)), plans(&fresh));
        // With no restart asked for (and no chains), a stalled population stays as it is.
        let mut never = Search::new(&problem, Stop::new(&progress, None), 1, None);
        never.restart_after = 0;
        never.chains_near_best = false;
        let mut pop = population(&never, 5);
        let before = pop.clone();
        for _ in 0..60 {
            pop = never.between_generations(pop, 42);
        }
        assert_eq!(never.restarts(), 0);
        assert_eq!(pop, before);
    }

    #[test]
    fn a_stalled_populations_best_plan_is_polished_with_a_deeper_chain_search() {
        use crate::alignment::Alignment;
        use crate::genetic::chains::{polish, polish_with, NODES_PER_UNIT};
        use crate::genetic::develop::figures;
        let progress = Progress::new();
        let stop = Stop::new(&progress, None);
        let mut tried = 0;
        for seed in 0..12 {
            // The chains' tests' grid: single moves stall at its bounds.
            let problem = crate::genetic::chains::tests::grid(seed);
            // A balanced, contiguous plan stalled for single moves and default chains, which the first deep
            // polish (twice the budget) improves.
            let d = crate::design::design_territories(&problem, &crate::DesignParams::default().restarts(1), &progress)
                .expect("design");
            let plan = figures(&problem, Alignment::new(&problem, d.assignment), true);
            let plan = polish(&problem, &plan, &stop).unwrap_or(plan);
            if plan.violation > 0.0 || plan.n_noncontiguous > 0 || polish(&problem, &plan, &stop).is_some() {
                continue;
            }
            let Some(deeper) = polish_with(&problem, &plan, &stop, NODES_PER_UNIT << 1) else {
                continue;
            };
            tried += 1;
            let mut search = Search::new(&problem, Stop::new(&progress, None), 1, None);
            search.restart_after = 0;
            let stalled = Individual::new(random_genes(&problem, 1));
            search.record(&stalled, plan.clone());
            let other = Individual::new(random_genes(&problem, 2));
            search.develop_all(std::slice::from_ref(&other));
            let mut pop = vec![stalled.clone(), other];
            // The first generation sets the epoch's best; DEEP_POLISH_EVERY more without a better plan.
            for generation in 0..DEEP_POLISH_EVERY {
                pop = search.between_generations(pop, 9);
                assert!(
                    pop.contains(&stalled),
                    "seed {seed}: polished after {generation} stalled generations"
                );
            }
            pop = search.between_generations(pop, 9);
            assert_eq!(pop.len(), 2);
            let found = pop.iter().filter_map(|i| i.plan()).find(|d| d.same_plan(&deeper));
            assert!(
                found.is_some(),
                "seed {seed}: the deeper polish's plan is not in the population"
            );
            let best = search.best().expect("a best plan");
            assert!(best.better_than(&plan) && !deeper.better_than(&best), "seed {seed}");
            assert_eq!(best.violation, 0.0);
            assert_eq!(best.n_noncontiguous, 0);
        }
        assert!(tried > 0, "no grid had a plan only the deeper chain search improves");
    }
}
