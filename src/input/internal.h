/*
 * What the input readers (src/input/) share behind include/cohortmatch/input.h:
 * the input object, the table of formats (one open/next/close trio per
 * format), and helpers every reader uses to name samples, record facts and
 * count skipped records (tables are read with table.h). Only src/input/
 * includes this.
 */
#ifndef COHORTMATCH_INPUT_INTERNAL_H
#define COHORTMATCH_INPUT_INTERNAL_H

#include <htslib/kstring.h>

#include "cohortmatch/input.h"
#include "table.h"

/// One format's reader. open() sets input->impl; next() hands back a batch; close() frees impl.
typedef struct cm_input_reader {
    cm_input_format format;
    int (*open)(cm_input *input, const cm_input_options *options, cm_error *err);
    int (*next)(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err);
    void (*close)(cm_input *input);
    void (*refresh_stats)(cm_input *input); // optional: copy the reader's own counts
} cm_input_reader;

struct cm_input {
    const cm_input_reader *reader;
    char *path;
    int index;
    void *impl;
    cm_genome_build build;
    // Samples named so far (a NULL name: the file names none).
    char **sample_names;
    size_t n_samples, m_samples;
    // Facts read so far; their texts are owned (strdup'd), the list grows.
    cm_input_fact *facts;
    size_t n_facts, m_facts;
    // Counts.
    cm_input_stats stats;
    cm_input_count *skipped;
    size_t n_skipped;
    // A reusable batch of alterations for the table and JSON readers.
    cm_alteration *batch;
    size_t m_batch;
};

/// Adds a sample (name copied; NULL: unnamed). Returns its index, or -1 when out of memory.
int cm_input_add_sample(cm_input *input, const char *name);

/// Records a fact of sample: name, value and where ("<path>:<where>") are copied. Returns 0,
/// or -1 when out of memory.
int cm_input_add_fact(cm_input *input, int sample, const char *name, const char *value,
                      const char *where);

/// As cm_input_add_fact(), where naming the file itself ("data_clinical_sample.txt:6": a
/// file of a folder input) rather than a place in the input's file.
int cm_input_add_fact_at(cm_input *input, int sample, const char *name, const char *value,
                         const char *where);

/// Declares a skip cause (static name) so that it is counted, in declaration order, even at 0.
/// Returns its index, or -1 when out of memory.
int cm_input_declare_skip(cm_input *input, const char *name);

/// Makes room for n alterations in input->batch. Returns it, or NULL when out of memory.
cm_alteration *cm_input_batch(cm_input *input, size_t n);

/// Readers of each format (vcf.c, purple.c, linx.c, orange.c, tso500.c).
extern const cm_input_reader cm_input_vcf;
extern const cm_input_reader cm_input_purple_purity;
extern const cm_input_reader cm_input_purple_gene_copy_number;
extern const cm_input_reader cm_input_purple_drivers;
extern const cm_input_reader cm_input_linx_fusions;
extern const cm_input_reader cm_input_orange;

/// A LINX EXON_DEL_DUP (a reported rearrangement within one gene: linx.c, orange.c) as the
/// exons the gene loses or gains, from the exons the fusion joins (fusedExonUp, the last exon
/// kept before the junction; fusedExonDown, the first after it) and the breakends' contexts
/// ("Intron 13", "Exon 14"; empty when the file has none). Sets a->exon, a->exon_last and
/// a->consequence (docs/alterations.md, "LINX fusions"): exon_loss_variant for exons
/// up+1..down-1, duplication & feature_elongation for exons down..up. Returns 1, or 0 when no
/// whole exon is lost or gained (or that cannot be told).
int cm_linx_exon_event(long long exon_up, long long exon_down, cm_slice context_up,
                       cm_slice context_down, cm_alteration *a);
extern const cm_input_reader cm_input_tso500;
extern const cm_input_reader cm_input_maf;        // cohort.c
extern const cm_input_reader cm_input_cbioportal; // cohort.c

#endif
