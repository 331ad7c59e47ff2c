/*
 * Cohort studies: a MAF, or a cBioPortal study folder, read as one stream of
 * alterations of many samples, each joined to its sample's facts (tumour
 * type, TMB, MSI, age, sex).
 *
 * A sample's facts come from the command line, else the sample sheet, else
 * the study's clinical files (cBioPortal). Normal samples and samples
 * without a usable OncoTree code are skipped and counted, never fatal: a
 * public cohort has some of each. Samples of a MAF appear while it streams,
 * so the profile array grows (and may move) between calls to
 * cm_study_next(); everything else is flat in memory: rows are read one at a
 * time and only the per-sample profiles are kept. docs/cohort.md documents
 * every rule here.
 */
#ifndef COHORTMATCH_STUDY_H
#define COHORTMATCH_STUDY_H

#include <stddef.h>
#include <stdint.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"
#include "cohortmatch/maf.h"
#include "cohortmatch/match.h"
#include "cohortmatch/oncotree.h"
#include "cohortmatch/profile.h"

typedef enum cm_study_kind {
    CM_STUDY_NONE = 0,
    CM_STUDY_MAF,       // a MAF file (plain or compressed), recognised by its header
    CM_STUDY_CBIOPORTAL // a folder with a cBioPortal clinical sample file
} cm_study_kind;

/// What a path holds: a cBioPortal study folder, a MAF (read from its first non-comment line,
/// never from its name), or CM_STUDY_NONE.
cm_study_kind cm_study_detect(const char *path);

typedef struct cm_study_options {
    const cm_oncotree *tree;        // required
    const cm_sample_sheet *sheet;   // NULL or empty: none
    const cm_sample_profile *facts; // command-line facts for every sample (tumour_type a code,
                                    // or NULL); NULL: none
    int threads;                    // BGZF decompression threads
} cm_study_options;

typedef struct cm_study_stats {
    uint64_t rows;        // data rows of every file read
    uint64_t alterations; // alterations returned
    uint64_t prefiltered; // rows of genes no rule names (cm_study_set_gene_filter)
    // Samples, once each.
    size_t samples;                     // matched: they have a tumour type
    size_t normal_samples;              // SAMPLE_TYPE normal, a TCGA/TARGET normal barcode, or
                                        // a MAF row whose tumour and normal barcodes are equal
    size_t no_tumour_type_samples;      // no ONCOTREE_CODE, sheet row or -t (a CANCER_TYPE
                                        // name is no code)
    size_t unknown_tumour_type_samples; // a code that is not in the OncoTree release
    size_t unlisted_samples;            // named by data rows, absent from the clinical file
    size_t retired_tumour_types;        // samples whose retired code was read as its successor
    uint64_t skipped_sample_rows;       // data rows of the samples skipped above
    // Rows.
    uint64_t maf_skipped[CM_MAF_SKIP_COUNT];
    uint64_t cna_no_gene, sv_no_gene, sv_same_gene, sv_germline;
    uint64_t duplicate_fusions; // a fusion of a sample given again (once per gene, as the older
                                // fusion file and MAF "Fusion" rows list it): kept once
    uint64_t unknown_classifications, unknown_consequence_terms;
} cm_study_stats;

typedef struct cm_study cm_study;

/// Opens a MAF or a cBioPortal study folder (its clinical files are read here). Returns NULL
/// with err filled (nothing readable at path, a malformed clinical file). Close with
/// cm_study_close().
cm_study *cm_study_open(const char *path, const cm_study_options *options, cm_error *err);

/// The kind of input opened.
cm_study_kind cm_study_kind_of(const cm_study *study);

/// As cm_vcf_set_gene_filter(): rows of genes none of the rules name (and, in a MAF, at none
/// of the positions) are not parsed in full. Call before the first cm_study_next(). Returns 0,
/// or -1 when out of memory.
int cm_study_set_gene_filter(cm_study *study, const char *const *genes, size_t n_genes,
                             const int64_t *positions, size_t n_positions);

/// Reads the next data row. Returns 1 with *alterations (borrowed until the next call; *n may
/// be 0) whose `sample` indexes cm_study_profiles(), 0 when every file is read, or -1 with
/// err filled (file:line:column: what is wrong).
int cm_study_next(cm_study *study, const cm_alteration **alterations, size_t *n, cm_error *err);

/// The matched samples so far and their facts (borrowed; the array may move and grow on
/// cm_study_next() for a MAF, whose samples appear as it is read).
size_t cm_study_n_samples(const cm_study *study);
const cm_sample_profile *cm_study_profiles(const cm_study *study);

/// Offers to profile the facts sample's clinical rows give (tumour type, TMB, MSI, age, sex),
/// each with origin file and its cell as source ("data_clinical_patient.txt:7:2"): profile
/// keeps the higher sources' values and records every disagreement as a conflict
/// (cm_profile_offer()). A MAF's samples have none. Returns 0, or -1 with err filled.
int cm_study_offer_file_facts(const cm_study *study, size_t sample, cm_sample_profile *profile,
                              cm_error *err);

/// The genome build the mutation rows read so far state (NCBI_Build), CM_BUILD_UNKNOWN when
/// none (it is known after the first row with one).
cm_genome_build cm_study_genome_build(const cm_study *study);

/// Counts so far (borrowed).
const cm_study_stats *cm_study_get_stats(const cm_study *study);

/// The names in a cBioPortal study folder that are not read (cm_cbioportal_files' ignored:
/// expression, segments, timelines, case_lists/, data files no meta file names ...), sorted;
/// borrowed, none for a MAF.
const char *const *cm_study_ignored_files(const cm_study *study, size_t *n);

/// The OncoTree codes that were not in the release, ", "-joined in the order first seen
/// (borrowed; "" when none), for the warning that says which samples were skipped.
const char *cm_study_unknown_codes(const cm_study *study);

/// Closes the files and frees the study and its profiles; accepts NULL.
void cm_study_close(cm_study *study);

/// The current code of a retired OncoTree code (GBM -> GB, MM -> PCM, ...; the history,
/// precursor and revocation lists of the bundled release, where they name one successor), or
/// NULL (static storage).
const char *cm_oncotree_successor(const char *code);

#endif
