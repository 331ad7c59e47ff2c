/*
 * Fuzz target: an annotation parser (src/annot/) on one record's INFO text.
 * The header's description is fixed (VEP's full default field list, with
 * HGVS, MANE, PICK and ALLELE_NUM); the input is "REF,ALT,...\n<INFO text>"
 * (no newline: the alleles are A,T and the whole input is the text), so the
 * allele mapping sees indels, multi-allelic records and '*' ALTs too.
 * Built once per annotator: VEP CSQ by default, SnpEff ANN with
 * CM_FUZZ_ANNOT_SNPEFF, bcftools BCSQ with CM_FUZZ_ANNOT_BCSQ, PAVE IMPACT with
 * CM_FUZZ_ANNOT_PAVE (targets annot_vep, annot_ann, annot_bcsq, annot_pave).
 */
#include <stdlib.h>
#include <string.h>

#include "cohortmatch/annot.h"
#include "fuzz.h"

#if defined(CM_FUZZ_ANNOT_SNPEFF)
#define CM_FUZZ_ANNOT_KIND CM_ANNOTATION_SNPEFF
#define CM_FUZZ_ANNOT_TAG "ANN"
#define CM_FUZZ_ANNOT_DESCRIPTION                                                                  \
    "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | "    \
    "Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | "                   \
    "cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | "             \
    "ERRORS / WARNINGS / INFO' "
#elif defined(CM_FUZZ_ANNOT_BCSQ)
#define CM_FUZZ_ANNOT_KIND CM_ANNOTATION_BCSQ
#define CM_FUZZ_ANNOT_TAG "BCSQ"
#define CM_FUZZ_ANNOT_DESCRIPTION                                                                  \
    "Local consequence annotation from BCFtools/csq, see "                                         \
    "http://samtools.github.io/bcftools/howtos/csq-calling.html for details. Format: "             \
    "Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change"
#elif defined(CM_FUZZ_ANNOT_PAVE)
#define CM_FUZZ_ANNOT_KIND CM_ANNOTATION_PAVE
#define CM_FUZZ_ANNOT_TAG "IMPACT"
#define CM_FUZZ_ANNOT_DESCRIPTION                                                                  \
    "Variant Impact [Gene, Transcript, CanonicalEffect, CanonicalCodingEffect, SpliceRegion, "     \
    "HgvsCodingImpact, HgvsProteinImpact, OtherReportableEffects, WorstCodingEffect, "             \
    "GenesAffected]"
#else
#define CM_FUZZ_ANNOT_KIND CM_ANNOTATION_VEP
#define CM_FUZZ_ANNOT_TAG "CSQ"
#define CM_FUZZ_ANNOT_DESCRIPTION                                                                  \
    "Consequence annotations from Ensembl VEP. Format: "                                           \
    "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|"  \
    "cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|Existing_variation|"           \
    "ALLELE_NUM|DISTANCE|STRAND|FLAGS|PICK|VARIANT_CLASS|SYMBOL_SOURCE|HGNC_ID|CANONICAL|"         \
    "MANE_SELECT|MANE_PLUS_CLINICAL|TSL|APPRIS|CCDS|ENSP"
#endif

enum { MAX_ALLELES = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cm_annotation_parser *parser;
    if (!parser) {
        cm_error err;
        cm_error_clear(&err);
        parser = cm_annotation_parser_new(CM_FUZZ_ANNOT_KIND, CM_FUZZ_ANNOT_TAG,
                                          CM_FUZZ_ANNOT_DESCRIPTION, "fuzz", &err);
        if (!parser)
            abort();
    }
    // One copy: the alleles (NUL-separated) and the INFO text, each NUL-terminated as
    // htslib hands them over.
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';

    char *alleles[MAX_ALLELES];
    int n_alleles = 0;
    char *text = copy;
    size_t len = size;
    char *newline = memchr(copy, '\n', size);
    static char default_ref[] = "A", default_alt[] = "T";
    if (newline) {
        *newline = '\0';
        text = newline + 1;
        len = size - (size_t)(text - copy);
        for (char *p = copy; p && n_alleles < MAX_ALLELES;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            alleles[n_alleles++] = p;
            p = comma ? comma + 1 : NULL;
        }
    }
    // htslib always hands over REF and at least one ALT, each non-empty.
    int usable = n_alleles >= 2;
    for (int i = 0; i < n_alleles; i++)
        usable &= alleles[i][0] != '\0';
    if (!usable) {
        alleles[0] = default_ref;
        alleles[1] = default_alt;
        n_alleles = 2;
    }
    uint8_t is_skipped[MAX_ALLELES];
    is_skipped[0] = 1;
    for (int i = 1; i < n_alleles; i++)
        is_skipped[i] = alleles[i][0] == '*' || alleles[i][0] == '<';

    const cm_alteration *entries = NULL;
    size_t n_entries = 0;
    cm_annotation_counts counts;
    memset(&counts, 0, sizeof counts);
    cm_error err;
    cm_error_clear(&err);
    // The text stops at its first NUL, as bcf_get_info_string() gives it.
    len = strlen(text);
    if (cm_annotation_parse(parser, text, len, alleles, n_alleles, is_skipped, &entries, &n_entries,
                            &counts, &err) == 0) {
        // Touch every slice the entries carry, so ASan checks they stay inside the text.
        volatile unsigned sum = 0;
        for (size_t i = 0; i < n_entries; i++) {
            const cm_slice *slices[] = {&entries[i].gene, &entries[i].transcript, &entries[i].hgvsc,
                                        &entries[i].hgvsp};
            for (size_t k = 0; k < sizeof slices / sizeof slices[0]; k++)
                for (int j = 0; j < slices[k]->len; j++)
                    sum += (unsigned char)slices[k]->s[j];
            if (entries[i].allele < 1 || entries[i].allele >= n_alleles)
                abort();
        }
        (void)sum;
    }
    free(copy);
    return 0;
}
