/*
 * The VCF/BCF reader: the first stage of the pipeline. Reads .vcf, .vcf.gz
 * (BGZF), .bcf or standard input with htslib, one record at a time, selects
 * the samples, hands each record's annotation to the annotation parser
 * (annot.h) and returns the record's alterations: one per selected sample x
 * ALT allele the sample carries x annotation entry.
 *
 * Streaming and flat in memory: every buffer grows to the largest record and
 * is reused; nothing is allocated per record. Errors name the file and the
 * line (text VCF) or the record CHROM:POS (BCF). The reader never prints:
 * callers silence htslib's own logging (hts_set_log_level(HTS_LOG_OFF)).
 */
#ifndef COHORTMATCH_VCF_H
#define COHORTMATCH_VCF_H

#include <stddef.h>
#include <stdint.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/annot.h"
#include "cohortmatch/error.h"

typedef struct cm_vcf_options {
    const char *samples;    // comma list; NULL = the ##tumor_sample sample, else every sample
    int threads;            // extra BGZF decompression threads (hts_set_threads), 0 = none
    int require_annotation; // 1: a file without a supported annotation header is an error
    cm_annotation_kind annotation; // read this annotation (error if absent); NONE: VEP, else
                                   // SnpEff, else bcftools csq
    // "5',3'" INFO keys naming a fusion's genes (NULL: "GENEA,GENEB"), and a BED of gene
    // coordinates for copy-number records and breakends that name no gene (or NULL).
    const char *fusion_tags;
    const char *genes_bed;
    int input; // the input's index, written into every alteration (cm_alteration.input)
} cm_vcf_options;

/// Why an ALT allele (or an annotation entry) gave no alteration.
typedef enum cm_vcf_skip {
    CM_VCF_SKIP_SPANNING_DELETION = 0, // ALT '*'
    CM_VCF_SKIP_NON_REF,               // ALT <NON_REF> or <*> (gVCF)
    CM_VCF_SKIP_SYMBOLIC,              // <INV>, <INS>, single breakends...: not read
    CM_VCF_SKIP_NO_ALT,                // a record with ALT '.' (reference only)
    CM_VCF_SKIP_CSQ_ALLELE_UNMATCHED,  // an annotation entry whose allele names no ALT
    CM_VCF_SKIP_ANNOTATION_REFERENCE,  // an entry that points elsewhere (BCSQ '@POS', '*';
                                       // SnpEff -cancer 'ALT-REF')
    CM_VCF_SKIP_UNPAIRED_BREAKEND,     // a breakend (no MATEID) whose bracket mate never came
    CM_VCF_SKIP_COPY_NUMBER_NO_GENE,   // a copy-number record that names no gene (none overlaps)
    CM_VCF_SKIP_BREAKEND_NO_GENE,      // a breakend pair with no gene pair (intergenic, same gene)
    CM_VCF_SKIP_SIMPLE_ANN_NOT_READ,   // an INFO/SIMPLE_ANN entry that is no fusion of two genes
                                       // and no exon deletion (one gene's GENE_FUSION, ...)
    CM_VCF_SKIP_COUNT
} cm_vcf_skip;

/// Counts over the records read so far.
typedef struct cm_vcf_stats {
    uint64_t records;     // records read
    uint64_t alterations; // alterations returned
    uint64_t unannotated; // ALT alleles without any annotation entry (alterations with no gene)
    uint64_t not_carried; // sample x ALT pairs where the sample's GT/AF/AD show no ALT
    uint64_t unknown_consequence_terms;  // consequence terms outside the SO vocabulary
    uint64_t skipped[CM_VCF_SKIP_COUNT]; // ALT alleles (or entries) by cause
    uint64_t prefiltered; // records skipped before their full parse (cm_vcf_set_gene_filter):
                          // counted above as the full parse would count them, except
                          // unknown_consequence_terms, which needs the consequences read
} cm_vcf_stats;

/// Name of a skip cause as --stats prints it ("spanning_deletion", "symbolic_allele", ...).
const char *cm_vcf_skip_name(cm_vcf_skip cause);

/// Name of a genome build ("GRCh37", "GRCh38", "unknown"); static storage.
const char *cm_genome_build_name(cm_genome_build build);

typedef struct cm_vcf_reader cm_vcf_reader;

/// Opens path ("-" = standard input) and reads its header. Returns NULL with err filled when
/// the file is missing, not a VCF/BCF, truncated, has a bad header, an unknown sample in
/// options->samples, or (with require_annotation) no annotation. Close with cm_vcf_close().
cm_vcf_reader *cm_vcf_open(const char *path, const cm_vcf_options *options, cm_error *err);

/// Number of selected samples (a sites-only file has one pseudo-sample named ".").
size_t cm_vcf_n_samples(const cm_vcf_reader *reader);

/// Name of selected sample i (borrowed, valid until cm_vcf_close()).
const char *cm_vcf_sample_name(const cm_vcf_reader *reader, size_t i);

/// The genome build guessed from the chr1/1 contig length (248956422 GRCh38, 249250621 GRCh37).
cm_genome_build cm_vcf_genome_build(const cm_vcf_reader *reader);

/// The annotation the reader parses (CM_ANNOTATION_NONE when the file has none it can read),
/// and its INFO tag (borrowed; NULL when none).
cm_annotation_kind cm_vcf_annotation_kind(const cm_vcf_reader *reader);
const char *cm_vcf_annotation_tag(const cm_vcf_reader *reader);

/// Reads the next record. Returns 1 with *alterations (borrowed, valid until the next call;
/// *n may be 0) set, 0 at the end of the file, or -1 with err filled (file:line: message).
int cm_vcf_next(cm_vcf_reader *reader, const cm_alteration **alterations, size_t *n, cm_error *err);

/// Lets the reader skip, before their full parse, records that no rule can match: records whose
/// annotation names none of the n_genes gene symbols (SYMBOL compared whole), at none of the
/// n_positions POS values (those of `variant:` keys), with sequence ALTs only, no INFO/SVTYPE and
/// a readable GT (src/vcf/prefilter.c has every condition; in doubt a record is parsed). Only
/// VEP annotation is prefiltered. A skipped record is returned with no alterations and counted
/// as the full parse counts it (see cm_vcf_stats.prefiltered); the values of its INFO and FORMAT
/// fields are not checked. Call before the first cm_vcf_next(); genes and positions are copied.
/// Returns 0, or -1 when out of memory.
int cm_vcf_set_gene_filter(cm_vcf_reader *reader, const char *const *genes, size_t n_genes,
                           const int64_t *positions, size_t n_positions);

/// CHROM (up to size-1 bytes, into chrom) and POS of the last record read, for progress
/// messages; returns 0 before the first record.
int64_t cm_vcf_position(const cm_vcf_reader *reader, char *chrom, size_t size);

/// The line number of the last record read (text VCF; 0 for BCF).
long cm_vcf_line(const cm_vcf_reader *reader);

/// Counts so far (borrowed).
const cm_vcf_stats *cm_vcf_get_stats(const cm_vcf_reader *reader);

/// Closes the file and frees the reader; accepts NULL.
void cm_vcf_close(cm_vcf_reader *reader);

#endif
