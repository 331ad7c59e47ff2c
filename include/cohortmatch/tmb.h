/*
 * Tumour mutational burden computed from the VCF itself (match --panel-size).
 *
 * Fed the same alteration stream as the matcher; counts, per sample, the
 * distinct somatic coding non-synonymous variants that pass the gates, and
 * divides by the panel size. The VCF is taken to hold somatic calls
 * (tumour-only or tumour/normal caller output): nothing here tells germline
 * from somatic. Definition (docs/cli.md): a small variant (SNV, MNV, indel)
 * whose FILTER is PASS, whose consequence on a preferred transcript is one of
 * missense, stop_gained, stop_lost, start_lost, frameshift, inframe insertion
 * or deletion, protein_altering, splice_donor or splice_acceptor, and whose
 * VAF is at least min_vaf (unknown VAF counts) and depth at least min_depth
 * (unknown depth counts). A variant counts once per sample, however many
 * transcripts or duplicate records name it.
 */
#ifndef COHORTMATCH_TMB_H
#define COHORTMATCH_TMB_H

#include <stddef.h>
#include <stdint.h>

#include "cohortmatch/alteration.h"

typedef struct cm_tmb_counter cm_tmb_counter;

/// Creates a counter for n_samples samples with the VAF and depth gates (NAN / -1: none).
/// Returns NULL when out of memory; free with cm_tmb_free().
cm_tmb_counter *cm_tmb_new(size_t n_samples, double min_vaf, int min_depth);

/// Frees the counter; accepts NULL.
void cm_tmb_free(cm_tmb_counter *counter);

/// Returns 1 if the alteration is of the kind TMB counts and passes the gates, else 0.
int cm_tmb_qualifies(const cm_tmb_counter *counter, const cm_alteration *alteration);

/// Offers one alteration (borrowed); a sample index beyond n_samples grows the counter.
/// Returns 0, or -1 when out of memory.
int cm_tmb_add(cm_tmb_counter *counter, const cm_alteration *alteration);

/// Number of distinct qualifying variants of a sample.
uint64_t cm_tmb_count(const cm_tmb_counter *counter, size_t sample);

/// Mutations per megabase of a sample: count / panel_megabases.
double cm_tmb_value(const cm_tmb_counter *counter, size_t sample, double panel_megabases);

#endif
