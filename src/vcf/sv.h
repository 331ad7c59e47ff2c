/*
 * Structural records for the reader (private to src/vcf/): copy-number
 * segments and breakends. The reader classifies each ALT, hands the record
 * and its annotation entries here, and gets back events (one per gene for a
 * copy-number change, one per gene pair for a fusion), which it turns into
 * alterations per sample. Breakend mates are joined across records by
 * MATEID, or by the position in the bracket notation; the first mate waits
 * in a table until the second comes.
 */
#ifndef COHORTMATCH_VCF_SV_H
#define COHORTMATCH_VCF_SV_H

#include <stddef.h>

#include <htslib/vcf.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"
#include "cohortmatch/vcf.h"

/// How an ALT allele is read.
typedef enum cm_sv_kind {
    CM_SV_NONE = 0,    // a sequence allele (or one that is skipped)
    CM_SV_COPY_NUMBER, // <DEL>, <DUP>, <DUP:TANDEM>, <CNV>, <CN0>...
    CM_SV_BREAKEND,    // t[p[, t]p], ]p]t, [p[t
    CM_SV_OTHER        // <INV> and other symbolic alleles: only an annotated gene fusion counts
} cm_sv_kind;

/// The kind of an ALT allele.
cm_sv_kind cm_sv_classify(const char *alt);

/// One event of a record: a copy-number change of gene, a fusion of gene and partner, or
/// (CM_ALTERATION_SMALL) an exon deletion of gene that SIMPLE_ANN names, partner then being
/// its transcript (empty when not one).
typedef struct cm_sv_event {
    cm_alteration_kind kind;
    int allele;
    cm_slice gene, partner; // borrowed until the next record
    int exon, exon_last;    // an exon deletion's exons (0: not given; exon_last 0: one exon)
    int is_five_prime;      // fusions: 1 gene is the 5' partner, 0 the 3' one, -1 unknown
    int gene_side;          // fusions of a breakend pair: 0 gene lies at this record's breakend,
                            // 1 at its mate's, -1 unknown (an annotated pair)
} cm_sv_event;

typedef struct cm_sv_reader cm_sv_reader;

/// Creates the state; loads genes_bed (may be NULL). Returns NULL with err filled
/// (file:line: what) on a bad BED line or tag list; free with cm_sv_free().
cm_sv_reader *cm_sv_new(const char *fusion_tags, const char *genes_bed, cm_error *err);

/// Frees the state and any waiting breakend; accepts NULL.
void cm_sv_free(cm_sv_reader *sv);

/// Reads the structural alleles of a record (kinds[a] for each allele, entries the record's
/// annotation). where names the record for messages that concern another record. Returns 0
/// with *events set (borrowed until the next call), or -1 with err->message set (no location).
int cm_sv_record(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, const uint8_t *kinds,
                 const cm_alteration *entries, size_t n_entries, long where,
                 const cm_sv_event **events, size_t *n_events, cm_vcf_stats *stats, cm_error *err);

/// Copy number of a sample on the current record: FORMAT/CN, else INFO/CN, else 2 x the fold
/// change (INFO/FOLD_CHANGE_LOG as log2, else INFO/FOLD_CHANGE); NAN when none. column < 0:
/// a sites-only file. Returns 0, or -1 with err->message set (a negative copy number).
int cm_sv_copy_number(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int column,
                      double *copy_number, cm_error *err);

/// The sample's own FORMAT/CN (NAN when the record has none for it). Returns 0, or -1 when
/// FORMAT/CN is not declared.
int cm_sv_sample_copy_number(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int column,
                             double *copy_number);

/// PURPLE's copy number at one breakend of the current record (INFO/PURPLE_CN: this record's
/// breakend first, its mate's second), side 0 or 1; NAN when the record has none.
double cm_sv_breakend_copy_number(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int side);

/// The caller's frame flag on the current record: INFO/FRAME_STATUS (nf-core/rnafusion, from
/// FusionInspector's PROT_FUSION_TYPE) INFRAME 1, FRAMESHIFT 0, anything else or none -1.
int cm_sv_frame(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec);

/// Reads that support the ALT in a sample, from Manta-style FORMAT/PR and FORMAT/SR (ref,alt
/// pairs); -1 when the record has neither.
int cm_sv_supporting_reads(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int column);

/// At the end of the file: a breakend whose MATEID never came is an error (err filled with
/// file:line); a bracket-only breakend without its mate is counted. Returns 0 or -1.
int cm_sv_finish(cm_sv_reader *sv, const char *path, cm_vcf_stats *stats, cm_error *err);

#endif
