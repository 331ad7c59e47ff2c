/*
 * The reader's record prefilter (prefilter.c), private to src/vcf/: decides
 * from a record's raw text (or its BCF shared block) that no rule can match
 * it, so that the reader may skip the full parse, and counts what the full
 * parse would have counted for it.
 */
#ifndef COHORTMATCH_VCF_PREFILTER_H
#define COHORTMATCH_VCF_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include <htslib/vcf.h>

#include "cohortmatch/annot.h"
#include "cohortmatch/vcf.h"

typedef struct cm_prefilter cm_prefilter;

/// Creates a prefilter for the gene symbols and positions given (copied). annotation (the
/// reader's parser, borrowed; NULL when the file has none) tells the tag and field layout;
/// sample_columns (borrowed, n_samples long) are the selected samples' columns (-1 for the
/// pseudo-sample of a sites-only file). Returns NULL when out of memory.
cm_prefilter *cm_prefilter_new(const char *const *genes, size_t n_genes, const int64_t *positions,
                               size_t n_positions, const cm_annotation_parser *annotation,
                               const int *sample_columns, size_t n_samples);

/// Frees a prefilter; accepts NULL.
void cm_prefilter_free(cm_prefilter *prefilter);

/// Looks at one text record (a whole line, len bytes, not modified, columns already checked)
/// read with the header hdr as it stands. Returns 1 when the record can be skipped, having
/// added to stats what the full parse would have counted (records excepted), or 0 when it
/// must be parsed in full.
int cm_prefilter_text(cm_prefilter *prefilter, const bcf_hdr_t *hdr, const char *line, size_t len,
                      cm_vcf_stats *stats);

/// The same for a BCF record just read (it is unpacked as far as needed).
int cm_prefilter_bcf(cm_prefilter *prefilter, const bcf_hdr_t *hdr, bcf1_t *rec,
                     cm_vcf_stats *stats);

#endif
