//! The population loop, behind a small trait so the GA library can be swapped: [`PopulationLoop`] gets our
//! operators ([`Search`]) and runs selection, crossover, mutation, reinsertion and termination. [`Genevo`]
//! runs it on the genevo crate: tournament selection, our crossover and mutation, development of the offspring
//! on every core followed by genevo's elitist reinsertion, and a termination on generations and [`Search`]'s
//! stop condition.

use genevo::algorithm::EvaluatedPopulation;
use genevo::genetic::{Children, FitnessFunction, Offspring, Parents};
use genevo::operator::{CrossoverOp, GeneticOperator, MutationOp, ReinsertionOp};
use genevo::prelude::{genetic_algorithm, simulate, Population, SimResult, Simulation, SimulationBuilder};
use genevo::reinsertion::elitist::ElitistReinserter;
use genevo::selection::tournament::TournamentSelector;
use genevo::simulation::State;
use genevo::termination::{StopFlag, Termination};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::operators::{Individual, Search};

/// A GA library's population loop over our operators.
pub trait PopulationLoop {
    /// Runs generations from `initial` (already developed) until `generations` are done or
    /// [`Search::should_end`]; calls `each` after every generation with the number done. Returns the number of
    /// generations done. The same `seed`, population and number of generations give the same result when
    /// nothing stops the search early.
    fn run(
        &self,
        search: &Search<'_>,
        initial: Vec<Individual>,
        seed: u64,
        generations: usize,
        each: &mut dyn FnMut(usize),
    ) -> usize;
}

/// The genevo crate's population loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Genevo {
    /// Parent pairs drawn per generation, as a fraction of the population (each pair gives one child).
    pub selection_ratio: f64,
    /// Individuals per tournament.
    pub tournament_size: usize,
}

impl Default for Genevo {
    fn default() -> Self {
        Genevo {
            selection_ratio: 0.5,
            tournament_size: 3,
        }
    }
}

impl PopulationLoop for Genevo {
    fn run(
        &self,
        search: &Search<'_>,
        initial: Vec<Individual>,
        seed: u64,
        generations: usize,
        each: &mut dyn FnMut(usize),
    ) -> usize {
        if initial.len() < 2 || generations == 0 || search.should_end() {
            return 0;
        }
        let fitness = Fit(search);
        let ga = genetic_algorithm()
            .with_evaluation(fitness.clone())
            .with_selection(TournamentSelector::new(
                self.selection_ratio,
                2,
                self.tournament_size,
                // Probability 1: the best of each tournament is picked, exactly one per tournament (below 1,
                // genevo 0.7.1 may pick several and then pair an odd number of parents, which panics).
                1.0,
                false,
            ))
            .with_crossover(Cross(search))
            .with_mutation(Mutate(search))
            .with_reinsertion(DevelopThenReinsert {
                search,
                inner: ElitistReinserter::new(fitness, false, 1.0),
            })
            .with_initial_population(Population::with_individuals(initial))
            .with_min_population_size(2)
            .build();
        let mut seed_bytes = [0u8; 32];
        ChaCha8Rng::seed_from_u64(seed).fill(&mut seed_bytes);
        let mut sim = simulate(ga)
            .until(Until {
                search,
                generations,
                done: 0,
            })
            .build_with_seed(seed_bytes);
        let mut done = 0;
        loop {
            match sim.step() {
                Ok(SimResult::Intermediate(_)) => {
                    done += 1;
                    each(done);
                }
                Ok(SimResult::Final(..)) => {
                    done += 1;
                    each(done);
                    break;
                }
                Err(_) => break,
            }
        }
        done
    }
}

/// genevo wants its operators printable; ours hold the search, which is not worth printing.
macro_rules! opaque_debug {
    ($($t:ident),*) => {$(
        impl std::fmt::Debug for $t<'_, '_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(stringify!($t))
            }
        }
    )*};
}
opaque_debug!(Fit, Cross, Mutate, DevelopThenReinsert, Until);

/// Fitness: [`Search::fitness`].
#[derive(Clone)]
struct Fit<'s, 'p>(&'s Search<'p>);

impl FitnessFunction<Individual, i64> for Fit<'_, '_> {
    fn fitness_of(&self, a: &Individual) -> i64 {
        self.0.fitness(a)
    }

    fn average(&self, a: &[i64]) -> i64 {
        if a.is_empty() {
            return 0;
        }
        (a.iter().map(|&x| x as i128).sum::<i128>() / a.len() as i128) as i64
    }

    fn highest_possible_fitness(&self) -> i64 {
        0
    }

    fn lowest_possible_fitness(&self) -> i64 {
        i64::MIN + 1
    }
}

/// Crossover: one child per pair of parents, [`Search::crossover`].
#[derive(Clone)]
struct Cross<'s, 'p>(&'s Search<'p>);

impl GeneticOperator for Cross<'_, '_> {
    fn name() -> String {
        "territory-crossover".into()
    }
}

impl CrossoverOp<Individual> for Cross<'_, '_> {
    fn crossover<R: Rng + Sized>(&self, parents: Parents<Individual>, rng: &mut R) -> Children<Individual> {
        match parents.as_slice() {
            [a, b, ..] => vec![self.0.crossover(a, b, rng)],
            [a] => vec![a.clone()],
            [] => vec![],
        }
    }
}

/// Mutation: [`Search::mutate`].
#[derive(Clone)]
struct Mutate<'s, 'p>(&'s Search<'p>);

impl GeneticOperator for Mutate<'_, '_> {
    fn name() -> String {
        "recom-or-center-move".into()
    }
}

impl MutationOp<Individual> for Mutate<'_, '_> {
    fn mutate<R: Rng + Sized>(&self, genome: Individual, rng: &mut R) -> Individual {
        self.0.mutate(genome, rng)
    }
}

/// Reinsertion: an immigrant joins the offspring, the offspring are developed on every core (the memetic step, the
/// expensive part of a generation), children that are a plan already in the population are dropped (they would
/// only crowd it; the same plan under other territory labels counts as the same, see [`Developed::same_plan`]),
/// then genevo's elitist reinsertion keeps the best of parents and children, and [`Search::between_generations`]
/// polishes or replaces a population that has stopped improving.
///
/// [`Developed::same_plan`]: super::develop::Developed::same_plan
#[derive(Clone)]
struct DevelopThenReinsert<'s, 'p> {
    search: &'s Search<'p>,
    inner: ElitistReinserter<Individual, i64, Fit<'s, 'p>>,
}

impl GeneticOperator for DevelopThenReinsert<'_, '_> {
    fn name() -> String {
        "develop-then-elitist".into()
    }
}

impl ReinsertionOp<Individual, i64> for DevelopThenReinsert<'_, '_> {
    fn combine<R: Rng + Sized>(
        &self,
        offspring: &mut Offspring<Individual>,
        population: &EvaluatedPopulation<Individual, i64>,
        rng: &mut R,
    ) -> Vec<Individual> {
        // One immigrant a generation, from fresh k-means++ centers: new material for a population that elitism
        // would otherwise let converge on one plan.
        if let Some(newcomer) = self.search.immigrant(rng.gen()) {
            offspring.push(newcomer);
        }
        self.search.develop_all(offspring);
        let old = population.individuals();
        let mut kept: Vec<Individual> = Vec::with_capacity(offspring.len());
        for child in offspring.drain(..) {
            let same_plan = |o: &Individual| match (o.plan(), child.plan()) {
                (Some(a), Some(b)) => a.same_plan(b),
                _ => false,
            };
            if !old.iter().any(same_plan) && !kept.iter().any(same_plan) {
                kept.push(child);
            }
        }
        let survivors = self.inner.combine(&mut kept, population, rng);
        // A population stalled on one plan is worked harder, then replaced (`Search::between_generations`).
        self.search.between_generations(survivors, rng.gen())
    }
}

/// Termination: after `generations`, or once the search should end (deadline, cancel or an error).
struct Until<'s, 'p> {
    search: &'s Search<'p>,
    generations: usize,
    done: usize,
}

impl<A: genevo::algorithm::Algorithm> Termination<A> for Until<'_, '_> {
    fn evaluate(&mut self, _state: &State<A>) -> StopFlag {
        self.done += 1;
        if self.done >= self.generations {
            StopFlag::StopNow(format!("{} generations", self.generations))
        } else if self.search.should_end() {
            StopFlag::StopNow("stopped".into())
        } else {
            StopFlag::Continue
        }
    }
}
