/*
 * Inputs: the first stage of the pipeline for every file a patient's (or a
 * cohort's) workup consists of. One interface over every format the tool
 * reads: VCF/BCF (through the VCF reader, vcf.h), Hartwig PURPLE, LINX and
 * ORANGE outputs, TSO500 CombinedVariantOutput.tsv, and the cohort formats: a
 * MAF, and a cBioPortal study folder read as one input (study.h). A format is
 * recognised from the file's content (banner lines, header columns, JSON keys,
 * VCF header lines), never from its name alone.
 *
 * The contract every format implements (docs/alterations.md, "Adding an input
 * format"):
 *
 *   cm_input_open()    reads what it needs to know the samples it has seen so
 *                      far (a VCF header; nothing yet for a MAF);
 *   cm_input_next()    hands back the next batch of alterations, borrowed until
 *                      the next call, each with its sample index, and 0 at the
 *                      end; a batch may be empty;
 *   samples            cm_input_n_samples() may grow while streaming (a cohort
 *                      file names its samples as rows come); an index, once
 *                      given, names the same sample until the input is closed;
 *   facts              cm_input_facts() lists the sample facts read so far (TMB,
 *                      MSI, purity, ...), each with its sample and source; the
 *                      list is complete once cm_input_next() returned 0;
 *   counts             every record read is counted, and every record skipped is
 *                      counted by cause (cm_input_get_stats()).
 *
 * An input never prints, never exits, keeps memory flat in the number of
 * records (only what a record needs, reused), and names its file and line (or
 * key) in every error.
 */
#ifndef COHORTMATCH_INPUT_H
#define COHORTMATCH_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"
#include "cohortmatch/study.h"
#include "cohortmatch/vcf.h"

/// The formats cohortmatch reads.
typedef enum cm_input_format {
    CM_INPUT_UNKNOWN = 0,             // not recognised
    CM_INPUT_VCF,                     // VCF/BCF: VEP, SnpEff, bcftools csq, PAVE, SV/CNV callers
    CM_INPUT_PURPLE_PURITY,           // PURPLE *.purple.purity.tsv
    CM_INPUT_PURPLE_GENE_COPY_NUMBER, // PURPLE *.purple.cnv.gene.tsv
    CM_INPUT_PURPLE_DRIVERS,          // PURPLE *.driver.catalog.somatic.tsv
    CM_INPUT_LINX_FUSIONS,            // LINX *.linx.fusion.tsv
    CM_INPUT_ORANGE,                  // Hartwig ORANGE JSON (both schema generations)
    CM_INPUT_TSO500,                  // TSO500 CombinedVariantOutput.tsv (LocalApp 2.x, DRAGEN)
    CM_INPUT_MAF,                     // a MAF (GDC, vcf2maf, cBioPortal data_mutations*.txt)
    CM_INPUT_CBIOPORTAL,              // a cBioPortal study folder (meta_*.txt, data_*.txt)
    CM_INPUT_FORMAT_COUNT
} cm_input_format;

/// The format's name as --input-format takes it and reports print it ("vcf",
/// "purple-purity", ...; "unknown" for CM_INPUT_UNKNOWN). Static storage.
const char *cm_input_format_name(cm_input_format format);

/// Parses an --input-format name. Returns 0 and sets *format, or -1.
int cm_input_format_parse(const char *name, cm_input_format *format);

/// Recognises a file from its first bytes (decompressed when gzip/BGZF): a MAF from its first
/// line that is not a '#' comment. A folder is a cBioPortal study when it holds a meta_*.txt
/// file or a data_clinical_sample.txt (cm_cbioportal_is_study()), else an error ("a folder,
/// not a file"). Returns the format (CM_INPUT_UNKNOWN when none fits), or -1 with err filled
/// when the file cannot be read. "-" (standard input) is a VCF/BCF without looking.
int cm_input_detect(const char *path, cm_input_format *format, cm_error *err);

/// The files of a folder, in name order (hidden files and sub-folders are left out): with
/// detect, those cm_input_detect() recognises in *paths and the others (an empty file too) in
/// *unrecognised; without, every file in *paths. Both are arrays of "folder/name" strings the
/// caller frees with cm_input_free_paths(). Returns 0, or -1 with err filled (the folder or a
/// file in it cannot be read).
int cm_input_list_folder(const char *folder, int detect, char ***paths, size_t *n,
                         char ***unrecognised, size_t *n_unrecognised, cm_error *err);

/// Frees what cm_input_list_folder() returned; accepts NULL.
void cm_input_free_paths(char **paths, size_t n);

/// How to open an input.
typedef struct cm_input_options {
    cm_input_format format; // CM_INPUT_UNKNOWN: recognise it (cm_input_detect())
    cm_vcf_options vcf;     // for VCF/BCF inputs (samples, annotation, genes BED, threads)
    int index;              // the input's index among the run's inputs (cm_alteration.input)
    // For MAF and cBioPortal inputs: the OncoTree release (required), the sample sheet and the
    // command line's facts that, with the clinical file, decide which samples have a tumour
    // type (the others are skipped and counted, study.h), and decompression threads.
    cm_study_options cohort;
} cm_input_options;

/// One sample fact an input read, in the profile's vocabulary: name is a built-in fact ("tmb",
/// "msi", "mmr", "age", "sex", "tumour_type") or a named biomarker ("purity", "ploidy", "hrd",
/// "signatures", ...); value is the text cm_profile_offer() takes ("13.72", "stable",
/// "deficient", "apobec"); a list is several facts of one name and source. where names the
/// file and the column, key or line it came from ("x.purple.purity.tsv:tmbPerMb").
typedef struct cm_input_fact {
    int sample;
    const char *name;
    const char *value;
    const char *where;
} cm_input_fact;

/// A cause of skipped records with its count (name as stats print it: "tso500_na_row").
typedef struct cm_input_count {
    const char *name; // static storage
    uint64_t value;
} cm_input_count;

/// Counts over an input.
typedef struct cm_input_stats {
    uint64_t records;              // records read (VCF records, table rows, JSON entries)
    uint64_t alterations;          // alterations handed back
    const cm_input_count *skipped; // skipped records (or alleles, entries) by cause
    size_t n_skipped;
} cm_input_stats;

typedef struct cm_input cm_input;

/// Opens an input (recognising its format unless options->format names one). Returns NULL
/// with err filled (file:line: what is wrong) when the file cannot be read, is not of a
/// known format, or its header is bad. Close with cm_input_close().
cm_input *cm_input_open(const char *path, const cm_input_options *options, cm_error *err);

/// The input's format (after recognition).
cm_input_format cm_input_get_format(const cm_input *input);

/// The path as given (borrowed).
const char *cm_input_path(const cm_input *input);

/// Number of samples the input has named so far (a file of one anonymous sample has one).
size_t cm_input_n_samples(const cm_input *input);

/// Name of sample i (borrowed), or NULL when the input does not name it (a PURPLE TSV).
const char *cm_input_sample_name(const cm_input *input, size_t i);

/// Reads the next batch. Returns 1 with *alterations (borrowed until the next call; *n may be
/// 0) set, 0 at the end, or -1 with err filled.
int cm_input_next(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err);

/// The sample facts read so far (borrowed, valid until cm_input_close()); sets *n.
const cm_input_fact *cm_input_facts(const cm_input *input, size_t *n);

/// Counts so far (borrowed; the skipped list is valid until the next cm_input_next()).
const cm_input_stats *cm_input_get_stats(cm_input *input);

/// The genome build the input states (VCF contigs, ORANGE refGenomeVersion), or
/// CM_BUILD_UNKNOWN.
cm_genome_build cm_input_genome_build(const cm_input *input);

/// The wrapped VCF reader of a VCF/BCF input (for the record prefilter and progress), else
/// NULL (borrowed).
cm_vcf_reader *cm_input_vcf_reader(cm_input *input);

/// Links the open inputs of one patient (call before reading any): a gene whose copy number
/// a PURPLE driver catalog among them calls (AMP, PARTIAL_AMP, DEL) is skipped from every PURPLE
/// gene copy-number table among them (counted as called_by_driver_catalog), so that one event
/// is one alteration. Returns 0, or -1 with err filled when out of memory.
int cm_input_link(cm_input *const *inputs, size_t n, cm_error *err);

/// The wrapped study of a MAF or cBioPortal input (for its counts of skipped samples), else
/// NULL (borrowed).
const cm_study *cm_input_study(const cm_input *input);

/// Hands the input the genes and positions the rules name, so that records of other genes are
/// skipped before their full parse (cm_vcf_set_gene_filter(), cm_study_set_gene_filter()); an
/// input of another format reads every record. Call before the first cm_input_next(). Returns
/// 0, or -1 when out of memory.
int cm_input_set_gene_filter(cm_input *input, const char *const *genes, size_t n_genes,
                             const int64_t *positions, size_t n_positions);

/// Closes the file and frees the input; accepts NULL.
void cm_input_close(cm_input *input);

#endif
