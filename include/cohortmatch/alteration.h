/*
 * The alteration: the one data type every stage after the VCF reader shares.
 *
 * One per sample x ALT allele x transcript annotation (or x event, for copy
 * number and fusions). Text fields are slices (pointer + length) borrowed
 * from the record being read: they are valid until the reader moves to the
 * next record. A stage that keeps an alteration longer copies it with
 * cm_alteration_copy().
 */
#ifndef COHORTMATCH_ALTERATION_H
#define COHORTMATCH_ALTERATION_H

#include <stdint.h>

#include <htslib/kstring.h>

#include "cohortmatch/consequence.h"
#include "cohortmatch/hgvs.h"

/// A borrowed piece of text: not NUL-terminated; len 0 means absent.
typedef struct cm_slice {
    const char *s;
    int len;
} cm_slice;

/// Reference genome build (of a VCF, guessed from its chr1 contig length, or of a rule).
typedef enum cm_genome_build {
    CM_BUILD_UNKNOWN = 0,
    CM_BUILD_GRCH37,
    CM_BUILD_GRCH38
} cm_genome_build;

typedef enum cm_alteration_kind {
    CM_ALTERATION_SMALL = 0,   // SNV, MNV, indel
    CM_ALTERATION_COPY_NUMBER, // CNV segment or gene-level call
    CM_ALTERATION_FUSION       // gene fusion (breakend pair or annotated)
} cm_alteration_kind;

/// Transcript flags as the annotation gives them.
enum {
    CM_TRANSCRIPT_MANE_SELECT = 1 << 0,
    CM_TRANSCRIPT_CANONICAL = 1 << 1,
    CM_TRANSCRIPT_PICK = 1 << 2,
};

/// Copy-number call classes (a set of bits so that rules can ask for several).
enum {
    CM_CNV_AMPLIFICATION = 1 << 0,
    CM_CNV_GAIN = 1 << 1,
    CM_CNV_DELETION = 1 << 2, // heterozygous loss
    CM_CNV_HOMOZYGOUS_DELETION = 1 << 3,
};

/// Where an alteration's VAF came from (docs/alterations.md, "VAF and depth"); reports name
/// them AF and AD.
typedef enum cm_vaf_source {
    CM_VAF_UNKNOWN = 0,     // no VAF
    CM_VAF_ALLELE_FRACTION, // the caller's own fraction (VCF FORMAT/AF), used whenever given
    CM_VAF_READ_COUNTS      // allele read counts: VCF FORMAT/AD (the allele over the sum of AD),
                            // a MAF's t_alt_count / (t_ref_count + t_alt_count)
} cm_vaf_source;

typedef struct cm_alteration {
    cm_alteration_kind kind;
    int sample; // index among the samples the reader selected
    int allele; // ALT allele index in the record, 1-based
    // Genome
    cm_slice chrom;
    int64_t pos; // 1-based, as in the VCF
    cm_slice ref, alt;
    // Annotation (one transcript)
    cm_slice gene;
    cm_slice transcript;
    cm_slice hgvsc;
    cm_slice hgvsp;    // protein text as the annotation wrote it
    cm_slice messages; // the annotator's own notes on this entry (SnpEff ERRORS / WARNINGS /
                       // INFO, e.g. WARNING_TRANSCRIPT_INCOMPLETE), as written
    cm_consequence consequence;
    cm_protein_change protein; // CM_PROTEIN_NONE when the annotation has none
    int exon, exon_count;      // 0 when not in an exon
    int exon_last;             // the last exon when the alteration spans several (exons
                               // exon..exon_last: a deletion or duplication of exons), else 0
    int intron, intron_count;  // 0 when not in an intron
    unsigned transcript_flags; // CM_TRANSCRIPT_*
    int strand;                // the gene's strand: 1 forward, -1 reverse, 0 unknown (VEP
                               // STRAND, bcftools csq strand; SnpEff writes none)
    int is_preferred;          // the preferred transcript(s) of this gene for this allele: MANE
                               // Select, else canonical, else picked, else every transcript
    // Sample
    double vaf;    // NAN when unknown
    double vaf_ad; // what the allele read counts (FORMAT/AD) give, whichever source vaf
                   // is from; NAN when there are none: shown when AF and AD disagree
    cm_vaf_source vaf_source;
    int depth;         // -1 when unknown
    int is_pass;       // FILTER is PASS (or '.')
    int is_homozygous; // genotype has no reference allele (1/1)
    // Copy number (CM_ALTERATION_COPY_NUMBER)
    double copy_number; // absolute copies, NAN when unknown
    unsigned cnv;       // CM_CNV_* class, 0 when not a copy-number call
    // Fusion (CM_ALTERATION_FUSION): gene is one side, partner the other
    cm_slice partner;
    int is_five_prime;    // 1: gene is the 5' partner, 0: 3', -1: unknown
    int in_frame;         // 1 in frame, 0 out of frame, -1 unknown
    int is_mate_breakend; // annotation entries of a breakend ALT: the entry describes a feature at
                          // the mate's position, not the record's own (VEP >= 112 writes those
                          // under the ALT string, the record's own under "N." / ".N")
    // Source: where it was read (reports show it as "file:line" or "file:key")
    int input;    // index of the input among the run's inputs (cm_input_options.index), 0 first
    int line;     // line of a text input (VCF, TSV) the alteration comes from, 0 when none
    cm_slice key; // the table column, JSON path or file section it comes from, when useful
} cm_alteration;

/// The source's name as reports write it ("AF", "AD"), or NULL for CM_VAF_UNKNOWN.
const char *cm_vaf_source_name(cm_vaf_source source);

/// Initialises an alteration with every field absent/unknown.
void cm_alteration_init(cm_alteration *alteration);

/// An alteration whose text lives in its own buffer, for stages that keep it.
typedef struct cm_owned_alteration {
    cm_alteration alteration; // slices point into storage
    char *storage;
} cm_owned_alteration;

/// Copies src (and the text it borrows) into dst. Returns 0, or -1 when out of memory.
/// The caller frees dst with cm_owned_alteration_free().
int cm_alteration_copy(const cm_alteration *src, cm_owned_alteration *dst);

/// Frees the storage of an owned alteration; accepts NULL.
void cm_owned_alteration_free(cm_owned_alteration *owned);

/// Appends what tells the alteration's variant or event apart from another (sample and kind;
/// a small variant's chromosome without "chr", position and alleles, or its gene, exons and
/// HGVS when it has no coordinates; a copy-number event's gene, a fusion's two genes in a fixed
/// order): equal for the same variant or event read from two inputs or transcripts.
void cm_alteration_identity(const cm_alteration *alteration, kstring_t *out);

/// Compares two slices as text; returns 1 if equal.
int cm_slice_equals(cm_slice a, const char *text);

#endif
