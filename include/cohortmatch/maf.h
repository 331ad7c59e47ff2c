/*
 * The MAF reader: Mutation Annotation Format files (GDC, TCGA, vcf2maf,
 * cBioPortal's data_mutations*.txt) read row by row into alterations, one
 * per row, for many samples at once (Tumor_Sample_Barcode).
 *
 * Columns are found by their header names (any order, ASCII case-insensitive;
 * only Hugo_Symbol and Tumor_Sample_Barcode are required), so GDC MAFs with
 * 140 columns, vcf2maf's 114 and a minimal five-column MAF read alike. Rows
 * beginning with '#' are comments wherever they are. Streaming and flat in
 * memory: one line buffer, reused; nothing is allocated per row. The
 * reader knows nothing of samples' tumour types: study.h joins rows to
 * sample facts.
 *
 * What each column becomes, the Variant_Classification -> Sequence Ontology
 * table and what is skipped are documented in docs/cohort.md.
 */
#ifndef COHORTMATCH_MAF_H
#define COHORTMATCH_MAF_H

#include <stddef.h>
#include <stdint.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"

/// Why a row gave no alteration.
typedef enum cm_maf_skip {
    CM_MAF_SKIP_NO_GENE = 0,       // Hugo_Symbol empty, "Unknown" or NA: intergenic, as cBioPortal
    CM_MAF_SKIP_MUTATION_STATUS,   // Mutation_Status None, LOH or Wildtype (cBioPortal loads none)
    CM_MAF_SKIP_FUSION_SAME_GENE,  // a "Fusion" row whose partner is the gene itself (intragenic)
    CM_MAF_SKIP_GERMLINE,          // Mutation_Status Germline: not a somatic alteration
    CM_MAF_SKIP_VALIDATION_STATUS, // Validation_Status Redacted or Wildtype (cBioPortal loads none)
    CM_MAF_SKIP_CLASSIFICATION,    // cBioPortal's importer filter: Silent, Intron, UTRs, IGR, RNA,
                                   // 5'Flank but TERT's, or the meta file's list
    CM_MAF_SKIP_CHROMOSOME,        // cBioPortal: a Chromosome none of 1-24, X, Y, MT, NA (chr...)
    CM_MAF_SKIP_COUNT
} cm_maf_skip;

/// Name of a skip cause as the reports print it ("maf_no_gene", ...); static storage.
const char *cm_maf_skip_name(cm_maf_skip cause);

typedef struct cm_maf_stats {
    uint64_t rows;                       // data rows read (comments and header aside)
    uint64_t alterations;                // alterations returned
    uint64_t prefiltered;                // rows of genes no rule names (cm_maf_set_gene_filter)
    uint64_t unknown_classifications;    // rows whose Variant_Classification is not in the table
    uint64_t unknown_consequence_terms;  // Consequence terms outside the SO vocabulary
    uint64_t skipped[CM_MAF_SKIP_COUNT]; // rows by cause
} cm_maf_stats;

/// One data row.
typedef struct cm_maf_row {
    cm_slice sample;           // Tumor_Sample_Barcode (never empty)
    cm_slice normal;           // Matched_Norm_Sample_Barcode (empty when absent)
    cm_slice gene, entrez;     // Hugo_Symbol and Entrez_Gene_Id as written (empty when absent
                               // or the row was prefiltered)
    cm_alteration *alteration; // NULL when the row gives none (skipped or prefiltered); the
                               // caller sets alteration->sample; valid until the next row
    long line;                 // line number in the file
} cm_maf_row;

typedef struct cm_maf_reader cm_maf_reader;

/// Opens a MAF (plain or gzip/BGZF) and reads its header. Returns NULL with err filled when the
/// file is missing, empty, or its header lacks Hugo_Symbol or Tumor_Sample_Barcode. threads:
/// BGZF decompression threads (0: none). Close with cm_maf_close().
cm_maf_reader *cm_maf_open(const char *path, int threads, cm_error *err);

/// Returns 1 if a header line (tab-separated, len bytes) names the columns of a MAF:
/// Hugo_Symbol and Tumor_Sample_Barcode.
int cm_maf_is_header(const char *line, size_t len);

/// Reads the next data row. Returns 1 with *row filled, 0 at the end, or -1 with err filled
/// (file:line:column: an unreadable position, count, protein change, too few columns, an
/// empty Tumor_Sample_Barcode, an NCBI_Build that differs from earlier rows).
int cm_maf_next(cm_maf_reader *reader, cm_maf_row *row, cm_error *err);

/// Lets the reader skip the full parse of rows whose Hugo_Symbol is none of the n_genes symbols
/// and whose Start_Position is none of the n_positions values (those of `variant:` keys): such a
/// row comes back with its sample and no alteration, and its other values are not checked.
/// Call before the first cm_maf_next(); genes and positions are copied. Returns 0, or -1 when
/// out of memory.
int cm_maf_set_gene_filter(cm_maf_reader *reader, const char *const *genes, size_t n_genes,
                           const int64_t *positions, size_t n_positions);

/// Makes the reader skip, and count, the rows cBioPortal's importer does not load from a
/// study's mutation file (docs/cohort.md): a Chromosome it does not know, and the
/// Variant_Classification values of filter, a comma-separated list (the meta file's
/// variant_classification_filter; "" filters none), or, when filter is NULL, the importer's
/// default (Silent, Intron, 3'UTR, 3'Flank, 5'UTR, IGR, RNA, and 5'Flank but TERT's). Call
/// before the first cm_maf_next(); filter is copied. Returns 0, or -1 when out of memory.
int cm_maf_set_importer_filter(cm_maf_reader *reader, const char *filter);

/// The genome build of the rows read so far (NCBI_Build; CM_BUILD_UNKNOWN when not given).
cm_genome_build cm_maf_genome_build(const cm_maf_reader *reader);

/// Counts so far (borrowed).
const cm_maf_stats *cm_maf_get_stats(const cm_maf_reader *reader);

/// Closes the file and frees the reader; accepts NULL.
void cm_maf_close(cm_maf_reader *reader);

/// The Sequence Ontology terms of a Variant_Classification value (len bytes, case-sensitive
/// as the MAF specification writes them), or 0 when the value is not in the table. The table
/// inverts vcf2maf's SO -> classification mapping (docs/cohort.md lists it).
cm_consequence cm_maf_classification_consequence(const char *value, size_t len);

/// The SO terms of a Splice_Site row told apart by its HGVSc ("c.993+2T>G": donor, "c.994-1G>A":
/// acceptor); 0 when HGVSc does not say (then the row keeps both terms).
cm_consequence cm_maf_splice_site_side(cm_slice hgvsc);

#endif
