/*
 * The MAF reader. It owns the file (through the table reader), the column
 * positions found in the header and one alteration, refilled per row; it
 * never sees sample facts and never prints.
 *
 * Liberal in what a MAF may look like (columns in any order and case,
 * comments anywhere, missing optional columns, NA and empty values, short
 * rows), strict in what would change a match: a position, a read count or a
 * protein change that is written but cannot be read is an error naming the
 * line and column, never a silently dropped row. Rows of genes no rule names
 * are skipped before their full parse when a gene filter is set.
 */
#include "cohortmatch/maf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <htslib/khash.h>

#include "cohortmatch/vcf.h" // cm_genome_build_name()

#include "table.h"

KHASH_SET_INIT_INT64(maf_positions)

// The columns the reader uses (header names in docs/cohort.md).
#define MAF_COLUMNS(X)                                                                             \
    X(HUGO, "Hugo_Symbol")                                                                         \
    X(SAMPLE, "Tumor_Sample_Barcode")                                                              \
    X(NORMAL, "Matched_Norm_Sample_Barcode")                                                       \
    X(BUILD, "NCBI_Build")                                                                         \
    X(CHROM, "Chromosome")                                                                         \
    X(START, "Start_Position")                                                                     \
    X(CLASS, "Variant_Classification")                                                             \
    X(REF, "Reference_Allele")                                                                     \
    X(ALLELE1, "Tumor_Seq_Allele1")                                                                \
    X(ALLELE2, "Tumor_Seq_Allele2")                                                                \
    X(MUTATION_STATUS, "Mutation_Status")                                                          \
    X(VALIDATION_STATUS, "Validation_Status")                                                      \
    X(ENTREZ, "Entrez_Gene_Id")                                                                    \
    X(HGVSC, "HGVSc")                                                                              \
    X(HGVSP_SHORT, "HGVSp_Short")                                                                  \
    X(HGVSP, "HGVSp")                                                                              \
    X(PROTEIN_CHANGE, "Protein_Change")                                                            \
    X(AMINO_ACID_CHANGE, "Amino_Acid_Change")                                                      \
    X(PROTEIN_POSITION, "Protein_position")                                                        \
    X(AMINO_ACIDS, "Amino_acids")                                                                  \
    X(TRANSCRIPT, "Transcript_ID")                                                                 \
    X(FEATURE, "Feature")                                                                          \
    X(EXON_NUMBER, "Exon_Number")                                                                  \
    X(EXON, "EXON")                                                                                \
    X(INTRON, "INTRON")                                                                            \
    X(T_DEPTH, "t_depth")                                                                          \
    X(T_REF, "t_ref_count")                                                                        \
    X(T_ALT, "t_alt_count")                                                                        \
    X(CONSEQUENCE, "Consequence")                                                                  \
    X(FILTER, "FILTER")                                                                            \
    X(CANONICAL, "CANONICAL")                                                                      \
    X(STRAND, "STRAND_VEP")

#define MAF_COLUMN_ENUM(name, text) COL_##name,
enum { MAF_COLUMNS(MAF_COLUMN_ENUM) N_COLUMNS };
#undef MAF_COLUMN_ENUM
#define MAF_COLUMN_NAME(name, text) text,
static const char *const column_names[N_COLUMNS] = {MAF_COLUMNS(MAF_COLUMN_NAME)};
#undef MAF_COLUMN_NAME

// Where a row's protein change may be written, in the order they are tried.
static const int protein_columns[] = {COL_HGVSP_SHORT, COL_HGVSP, COL_PROTEIN_CHANGE,
                                      COL_AMINO_ACID_CHANGE};
#define N_PROTEIN_COLUMNS ((int)(sizeof protein_columns / sizeof protein_columns[0]))

struct cm_maf_reader {
    cm_table table;
    int column[N_COLUMNS]; // position of each column, -1 when absent
    int cheap_limit;       // fields to split for a row the gene filter may skip
    cm_alteration alteration;
    cm_maf_stats stats;
    cm_genome_build build;
    long build_line;
    cm_gene_set *genes; // NULL: no gene filter
    khash_t(maf_positions) * positions;
    // cBioPortal's importer filter (cm_maf_set_importer_filter): off, its default, or a list.
    enum { IMPORTER_OFF, IMPORTER_DEFAULT, IMPORTER_LIST } importer;
    char *importer_list; // IMPORTER_LIST: the meta file's values, ','-separated
};

static const char *const skip_names[CM_MAF_SKIP_COUNT] = {
    "maf_no_gene",           "maf_mutation_status",         "maf_fusion_same_gene",  "maf_germline",
    "maf_validation_status", "maf_filtered_classification", "maf_invalid_chromosome"};

const char *cm_maf_skip_name(cm_maf_skip cause)
{
    return (unsigned)cause < CM_MAF_SKIP_COUNT ? skip_names[cause] : "unknown";
}

/* ---- Variant_Classification -> Sequence Ontology ---- */

#define SO(term) CM_SO_BIT(CM_SO_##term)

// vcf2maf's GetVariantClassification() read backwards: each class gives the SO term(s) that
// vcf2maf turns into it and that a rule means by it. Where vcf2maf folds several terms into one
// class the table keeps the term a rule would test (Splice_Site: donor and acceptor, told apart
// by HGVSc when it can be). The GDC specification's and Oncotator's other classes follow.
static const struct {
    const char *name;
    cm_consequence terms;
} classifications[] = {
    {"Missense_Mutation", SO(MISSENSE_VARIANT)},
    {"Nonsense_Mutation", SO(STOP_GAINED)},
    {"Frame_Shift_Del", SO(FRAMESHIFT_VARIANT)},
    {"Frame_Shift_Ins", SO(FRAMESHIFT_VARIANT)},
    {"In_Frame_Del", SO(INFRAME_DELETION)},
    {"In_Frame_Ins", SO(INFRAME_INSERTION)},
    {"Splice_Site", SO(SPLICE_DONOR_VARIANT) | SO(SPLICE_ACCEPTOR_VARIANT)},
    {"Translation_Start_Site", SO(START_LOST)},
    {"Nonstop_Mutation", SO(STOP_LOST)},
    {"Silent", SO(SYNONYMOUS_VARIANT)},
    {"Splice_Region", SO(SPLICE_REGION_VARIANT)},
    {"Intron", SO(INTRON_VARIANT)},
    {"RNA", SO(NON_CODING_TRANSCRIPT_EXON_VARIANT)},
    {"5'UTR", SO(FIVE_PRIME_UTR_VARIANT)},
    {"3'UTR", SO(THREE_PRIME_UTR_VARIANT)},
    {"5'Flank", SO(UPSTREAM_GENE_VARIANT)},
    {"3'Flank", SO(DOWNSTREAM_GENE_VARIANT)},
    {"IGR", SO(INTERGENIC_VARIANT)},
    {"Targeted_Region", SO(SEQUENCE_VARIANT)},
    {"Unknown", SO(SEQUENCE_VARIANT)},
    {"De_novo_Start_InFrame", SO(FIVE_PRIME_UTR_PREMATURE_START_CODON_GAIN_VARIANT)},
    {"De_novo_Start_OutOfFrame", SO(FIVE_PRIME_UTR_PREMATURE_START_CODON_GAIN_VARIANT)},
    // Oncotator and older TCGA MAFs.
    {"Start_Codon_SNP", SO(START_LOST)},
    {"Start_Codon_Del", SO(START_LOST)},
    {"Start_Codon_Ins", SO(START_LOST)},
    {"Stop_Codon_Del", SO(STOP_LOST)},
    {"Stop_Codon_Ins", SO(STOP_LOST)},
    {"Splice_Site_SNP", SO(SPLICE_DONOR_VARIANT) | SO(SPLICE_ACCEPTOR_VARIANT)},
    {"Splice_Site_Del", SO(SPLICE_DONOR_VARIANT) | SO(SPLICE_ACCEPTOR_VARIANT)},
    {"Splice_Site_Ins", SO(SPLICE_DONOR_VARIANT) | SO(SPLICE_ACCEPTOR_VARIANT)},
    {"lincRNA", SO(NON_CODING_TRANSCRIPT_EXON_VARIANT)},
};

cm_consequence cm_maf_classification_consequence(const char *value, size_t len)
{
    for (size_t i = 0; i < sizeof classifications / sizeof classifications[0]; i++)
        if (strlen(classifications[i].name) == len &&
            memcmp(classifications[i].name, value, len) == 0)
            return classifications[i].terms;
    return 0;
}

cm_consequence cm_maf_splice_site_side(cm_slice hgvsc)
{
    // An intron offset of 1 or 2 after a coding position: +1/+2 donor, -1/-2 acceptor
    // ("c.993+2T>G", "c.504_508+1dup", "c.994-1G>A"); "c.-5" (5' UTR) has no digit before '-'.
    cm_consequence side = 0;
    for (int i = 1; i + 1 < hgvsc.len; i++) {
        char sign = hgvsc.s[i];
        if ((sign != '+' && sign != '-') || hgvsc.s[i - 1] < '0' || hgvsc.s[i - 1] > '9')
            continue;
        int k = i + 1, offset = 0;
        while (k < hgvsc.len && hgvsc.s[k] >= '0' && hgvsc.s[k] <= '9' && offset < 1000)
            offset = offset * 10 + (hgvsc.s[k++] - '0');
        if (k == i + 1 || (offset != 1 && offset != 2))
            continue;
        side |= sign == '+' ? SO(SPLICE_DONOR_VARIANT) : SO(SPLICE_ACCEPTOR_VARIANT);
    }
    return side;
}

/* ---- Opening ---- */

int cm_maf_is_header(const char *line, size_t len)
{
    int has_gene = 0, has_sample = 0;
    const char *p = line, *end = line + len;
    while (p <= end) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        cm_slice field = {p, (int)((tab ? tab : end) - p)};
        has_gene |= cm_table_equals(field, "Hugo_Symbol");
        has_sample |= cm_table_equals(field, "Tumor_Sample_Barcode");
        if (!tab)
            break;
        p = tab + 1;
    }
    return has_gene && has_sample;
}

cm_maf_reader *cm_maf_open(const char *path, int threads, cm_error *err)
{
    cm_maf_reader *reader = calloc(1, sizeof *reader);
    if (!reader) {
        cm_error_set(err, path, 0, 0, "out of memory");
        return NULL;
    }
    if (cm_table_open(&reader->table, path, threads, err) < 0) {
        free(reader);
        return NULL;
    }
    cm_table *table = &reader->table;
    int got;
    while ((got = cm_table_next_line(table, err)) > 0)
        if (table->line.l > 0 && table->line.s[0] != '#')
            break;
    if (got <= 0) {
        if (got == 0)
            cm_error_set(err, path, 0, 0, "empty MAF: no header line");
        cm_maf_close(reader);
        return NULL;
    }
    if (cm_table_split(table, 0) < 0) {
        cm_error_set(err, path, 0, 0, "out of memory");
        cm_maf_close(reader);
        return NULL;
    }
    for (int c = 0; c < N_COLUMNS; c++)
        reader->column[c] = cm_table_column(table, column_names[c]);
    // VEP's SYMBOL and Feature stand in when a MAF lacks the MAF's own names for them.
    if (reader->column[COL_HUGO] < 0)
        reader->column[COL_HUGO] = cm_table_column(table, "SYMBOL");
    for (int c = 0; c <= COL_SAMPLE; c++)
        if (reader->column[c] < 0) {
            cm_error_set(err, path, (int)table->line_number, 0,
                         "not a MAF: the header has no %s column", column_names[c]);
            cm_maf_close(reader);
            return NULL;
        }
    reader->build_line = 0;
    cm_alteration_init(&reader->alteration);
    return reader;
}

int cm_maf_set_gene_filter(cm_maf_reader *reader, const char *const *genes, size_t n_genes,
                           const int64_t *positions, size_t n_positions)
{
    if (!(reader->genes = cm_gene_set_new(genes, n_genes)) ||
        !(reader->positions = kh_init(maf_positions)))
        return -1;
    for (size_t i = 0; i < n_positions; i++) {
        int absent;
        kh_put(maf_positions, reader->positions, positions[i], &absent);
        if (absent < 0)
            return -1;
    }
    // A row the filter may skip needs only its gene, sample, normal and position split.
    int last = reader->column[COL_HUGO];
    const int cheap[] = {COL_SAMPLE, COL_NORMAL, COL_START};
    for (size_t i = 0; i < sizeof cheap / sizeof cheap[0]; i++)
        if (reader->column[cheap[i]] > last)
            last = reader->column[cheap[i]];
    reader->cheap_limit = last + 2;
    return 0;
}

cm_genome_build cm_maf_genome_build(const cm_maf_reader *reader)
{
    return reader->build;
}

const cm_maf_stats *cm_maf_get_stats(const cm_maf_reader *reader)
{
    return &reader->stats;
}

int cm_maf_set_importer_filter(cm_maf_reader *reader, const char *filter)
{
    free(reader->importer_list);
    reader->importer_list = NULL;
    reader->importer = filter ? IMPORTER_LIST : IMPORTER_DEFAULT;
    if (filter && !(reader->importer_list = strdup(filter)))
        return -1;
    return 0;
}

void cm_maf_close(cm_maf_reader *reader)
{
    if (!reader)
        return;
    free(reader->importer_list);
    cm_table_close(&reader->table);
    cm_gene_set_free(reader->genes);
    if (reader->positions)
        kh_destroy(maf_positions, reader->positions);
    free(reader);
}

/* ---- Rows ---- */

static cm_slice field(const cm_maf_reader *reader, int column)
{
    return cm_table_field(&reader->table, reader->column[column]);
}

static int row_error(cm_maf_reader *reader, int column, cm_error *err, const char *what,
                     cm_slice value)
{
    return cm_error_set(err, reader->table.path, (int)reader->table.line_number,
                        reader->column[column] + 1, "%s '%.*s' is not %s", column_names[column],
                        value.len > 60 ? 60 : value.len, value.s, what);
}

/// A count column (t_depth, t_ref_count, t_alt_count): -1 when not given, else >= 0.
static int read_count(cm_maf_reader *reader, int column, long long *out, cm_error *err)
{
    *out = -1;
    cm_slice value = field(reader, column);
    if (cm_table_is_null(value))
        return 0;
    if (cm_table_parse_long(value, out) < 0 || *out < 0)
        return row_error(reader, column, err, "a read count", value);
    return 0;
}

static cm_genome_build parse_build(cm_slice value)
{
    static const char *const grch37[] = {"GRCh37", "37", "hg19", "GRCh37-lite", "b37"};
    static const char *const grch38[] = {"GRCh38", "38", "hg38"};
    for (size_t i = 0; i < sizeof grch37 / sizeof grch37[0]; i++)
        if (cm_table_equals(value, grch37[i]))
            return CM_BUILD_GRCH37;
    for (size_t i = 0; i < sizeof grch38 / sizeof grch38[0]; i++)
        if (cm_table_equals(value, grch38[i]))
            return CM_BUILD_GRCH38;
    return CM_BUILD_UNKNOWN;
}

/// "11/21" or "2-3/10" (VEP) -> 11 and 21; anything else (Excel's "11-Jun") gives 0.
static void read_number_of(cm_slice value, int *number, int *count)
{
    *number = *count = 0;
    long long n = 0, total = 0;
    int i = 0;
    while (i < value.len && value.s[i] >= '0' && value.s[i] <= '9' && n < 100000)
        n = n * 10 + (value.s[i++] - '0');
    if (i == 0)
        return;
    if (i < value.len && value.s[i] == '-') { // a range: keep its first number
        i++;
        while (i < value.len && value.s[i] >= '0' && value.s[i] <= '9')
            i++;
    }
    if (i < value.len && value.s[i] == '/') {
        int k = ++i;
        while (i < value.len && value.s[i] >= '0' && value.s[i] <= '9' && total < 100000)
            total = total * 10 + (value.s[i++] - '0');
        if (i == k)
            return;
    }
    if (i != value.len)
        return;
    *number = (int)n;
    *count = (int)total;
}

/// vcf2maf writes "p.X331_splice" for a splice site, older MAFs "MUTATED" for a change
/// without protein text, cBioPortal "Promoter" for TERT's 5'Flank rows: none is a protein
/// change, and none is an unreadable one.
static int is_not_a_protein_change(cm_slice text)
{
    static const char suffix[] = "_splice";
    int n = (int)sizeof suffix - 1;
    if (text.len > n && memcmp(text.s + text.len - n, suffix, (size_t)n) == 0)
        return 1;
    return cm_table_equals(text, "MUTATED") || cm_table_equals(text, "Promoter");
}

/// Reads the protein change from the first column that holds a readable one, then from
/// VEP's Protein_position and Amino_acids. A change written but unreadable everywhere is an
/// error at the first column that held text.
static int read_protein(cm_maf_reader *reader, cm_alteration *a, cm_error *err)
{
    int first_column = -1;
    cm_slice first_text = {"", 0};
    a->protein.kind = CM_PROTEIN_NONE;
    for (int i = 0; i < N_PROTEIN_COLUMNS; i++) {
        cm_slice text = field(reader, protein_columns[i]);
        if (cm_table_is_null(text))
            continue;
        if (first_column < 0) {
            first_column = protein_columns[i];
            first_text = text;
            a->hgvsp = text;
        }
        if (is_not_a_protein_change(text))
            return 0;
        cm_protein_change change;
        if (cm_protein_change_parse(text.s, (size_t)text.len, &change) == 0) {
            a->protein = change;
            a->hgvsp = text;
            return 0;
        }
    }
    cm_slice position = field(reader, COL_PROTEIN_POSITION),
             amino_acids = field(reader, COL_AMINO_ACIDS);
    if (!cm_table_is_null(position) && !cm_table_is_null(amino_acids)) {
        cm_protein_change change;
        if (cm_protein_change_from_vep(position.s, (size_t)position.len, amino_acids.s,
                                       (size_t)amino_acids.len, &change) == 0) {
            a->protein = change;
            return 0;
        }
    }
    if (first_column >= 0)
        return row_error(reader, first_column, err, "a protein change (HGVS p. notation)",
                         first_text);
    return 0;
}

/// The allele the tumour carries: Tumor_Seq_Allele2, else Tumor_Seq_Allele1 when Allele2 is
/// missing or equals the reference (cBioPortal's rule for the same ambiguity).
static cm_slice tumour_allele(const cm_maf_reader *reader, cm_slice ref)
{
    cm_slice allele2 = field(reader, COL_ALLELE2), allele1 = field(reader, COL_ALLELE1);
    int allele2_usable =
        !cm_table_is_null(allele2) &&
        !(allele2.len == ref.len && ref.len > 0 && memcmp(allele2.s, ref.s, (size_t)ref.len) == 0);
    if (allele2_usable)
        return allele2;
    int allele1_usable =
        !cm_table_is_null(allele1) &&
        !(allele1.len == ref.len && ref.len > 0 && memcmp(allele1.s, ref.s, (size_t)ref.len) == 0);
    return allele1_usable ? allele1 : allele2;
}

/// A "Fusion" row of an older cBioPortal MAF: the partner is read from "EML4-ALK fusion".
static int read_fusion(cm_maf_reader *reader, cm_alteration *a)
{
    a->kind = CM_ALTERATION_FUSION;
    a->protein.kind = CM_PROTEIN_NONE;
    cm_slice text = {"", 0};
    for (int i = 0; i < N_PROTEIN_COLUMNS && text.len == 0; i++)
        if (!cm_table_is_null(field(reader, protein_columns[i])))
            text = field(reader, protein_columns[i]);
    a->hgvsp = text;
    const char *space = memchr(text.s, ' ', (size_t)text.len);
    cm_slice pair = {text.s, space ? (int)(space - text.s) : text.len};
    cm_slice gene = a->gene;
    if (pair.len > gene.len + 1 && memcmp(pair.s, gene.s, (size_t)gene.len) == 0 &&
        pair.s[gene.len] == '-') {
        a->partner = (cm_slice){pair.s + gene.len + 1, pair.len - gene.len - 1};
        a->is_five_prime = 1;
    } else if (pair.len > gene.len + 1 &&
               memcmp(pair.s + pair.len - gene.len, gene.s, (size_t)gene.len) == 0 &&
               pair.s[pair.len - gene.len - 1] == '-') {
        a->partner = (cm_slice){pair.s, pair.len - gene.len - 1};
        a->is_five_prime = 0;
    }
    if (cm_table_equals(a->partner, "intragenic") ||
        (a->partner.len == gene.len && memcmp(a->partner.s, gene.s, (size_t)gene.len) == 0))
        return -1;
    return 0;
}

/// Whether value begins with word, ASCII case-insensitive (leading blanks aside).
static int starts_with_word(cm_slice value, const char *word)
{
    while (value.len > 0 && (value.s[0] == ' ' || value.s[0] == '"')) {
        value.s++;
        value.len--;
    }
    int len = (int)strlen(word);
    return value.len >= len && cm_table_equals((cm_slice){value.s, len}, word);
}

/// cBioPortal's chromosome names (MutationFilter.normalizeChr): 1-24, X, Y, NA, MT, each
/// with or without "chr", in any case.
static int is_importer_chromosome(cm_slice chrom)
{
    if (chrom.len > 3 && cm_table_equals((cm_slice){chrom.s, 3}, "chr")) {
        chrom.s += 3;
        chrom.len -= 3;
    }
    if (cm_table_equals(chrom, "X") || cm_table_equals(chrom, "Y") ||
        cm_table_equals(chrom, "MT") || cm_table_equals(chrom, "NA"))
        return 1;
    long long number;
    return chrom.len <= 2 && chrom.s[0] != '0' && cm_table_parse_long(chrom, &number) == 0 &&
           number >= 1 && number <= 24 && chrom.s[0] != '+' && chrom.s[0] != '-';
}

/// Whether the ','-separated list names the classification (blanks around items aside, any
/// case).
static int list_has(const char *list, cm_slice classification)
{
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        cm_slice item = {p, end ? (int)(end - p) : (int)strlen(p)};
        while (item.len > 0 && (item.s[0] == ' ' || item.s[0] == '\t')) {
            item.s++;
            item.len--;
        }
        while (item.len > 0 && (item.s[item.len - 1] == ' ' || item.s[item.len - 1] == '\t' ||
                                item.s[item.len - 1] == '\r'))
            item.len--;
        if (item.len > 0 && item.len == classification.len &&
            strncasecmp(item.s, classification.s, (size_t)item.len) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/// The skip cause of a row cBioPortal's importer would not load, or -1 (MutationFilter's
/// acceptMutation(): chromosome, then Variant_Classification).
static int importer_rejects(const cm_maf_reader *reader)
{
    cm_slice chrom = field(reader, COL_CHROM);
    if (reader->column[COL_CHROM] >= 0 && !cm_table_is_null(chrom) &&
        !is_importer_chromosome(chrom))
        return CM_MAF_SKIP_CHROMOSOME;
    cm_slice classification = field(reader, COL_CLASS);
    if (reader->importer == IMPORTER_LIST)
        return list_has(reader->importer_list, classification) ? CM_MAF_SKIP_CLASSIFICATION : -1;
    static const char *const filtered[] = {"Silent", "Intron", "3'UTR", "3'Flank",
                                           "5'UTR",  "IGR",    "RNA"};
    for (size_t i = 0; i < sizeof filtered / sizeof filtered[0]; i++)
        if (starts_with_word(classification, filtered[i]))
            return CM_MAF_SKIP_CLASSIFICATION;
    // 5'Flank rows are kept for TERT alone (Entrez 7015): its promoter mutations.
    if (starts_with_word(classification, "5'Flank") &&
        !cm_table_equals(field(reader, COL_HUGO), "TERT") &&
        !cm_table_equals(field(reader, COL_ENTREZ), "7015"))
        return CM_MAF_SKIP_CLASSIFICATION;
    return -1;
}

/// Fills the alteration from a fully split row. Returns 1 (an alteration), 0 (the row gives
/// none; counted) or -1 (err filled).
static int read_alteration(cm_maf_reader *reader, cm_error *err)
{
    cm_alteration *a = &reader->alteration;
    cm_alteration_init(a);
    a->sample = -1;
    a->allele = 1;
    a->gene = field(reader, COL_HUGO);
    if (cm_table_is_null(a->gene) || cm_table_equals(a->gene, "Unknown")) {
        reader->stats.skipped[CM_MAF_SKIP_NO_GENE]++;
        return 0;
    }
    // cBioPortal's importer compares the start of these values, in any case (MutationFilter).
    cm_slice status = field(reader, COL_MUTATION_STATUS);
    if (starts_with_word(status, "None") || starts_with_word(status, "LOH") ||
        starts_with_word(status, "Wildtype")) {
        reader->stats.skipped[CM_MAF_SKIP_MUTATION_STATUS]++;
        return 0;
    }
    if (starts_with_word(status, "Germline")) {
        reader->stats.skipped[CM_MAF_SKIP_GERMLINE]++;
        return 0;
    }
    cm_slice validation = field(reader, COL_VALIDATION_STATUS);
    if (starts_with_word(validation, "Redacted") || starts_with_word(validation, "Wildtype")) {
        reader->stats.skipped[CM_MAF_SKIP_VALIDATION_STATUS]++;
        return 0;
    }
    if (reader->importer != IMPORTER_OFF) {
        int cause = importer_rejects(reader);
        if (cause >= 0) {
            reader->stats.skipped[cause]++;
            return 0;
        }
    }
    cm_slice build_text = field(reader, COL_BUILD);
    if (!cm_table_is_null(build_text)) {
        cm_genome_build build = parse_build(build_text);
        if (reader->build_line == 0) {
            reader->build = build;
            reader->build_line = reader->table.line_number;
        } else if (build != reader->build) {
            return cm_error_set(err, reader->table.path, (int)reader->table.line_number,
                                reader->column[COL_BUILD] + 1,
                                "NCBI_Build '%.*s' differs from line %ld's (%s)", build_text.len,
                                build_text.s, reader->build_line,
                                cm_genome_build_name(reader->build));
        }
    }
    // Genome: Start_Position as written (MAF indels keep the MAF's '-' alleles, no anchor base).
    cm_slice chrom = field(reader, COL_CHROM), start = field(reader, COL_START);
    if (!cm_table_is_null(chrom))
        a->chrom = chrom;
    if (!cm_table_is_null(start)) {
        long long pos;
        if (cm_table_parse_long(start, &pos) < 0 || pos <= 0)
            return row_error(reader, COL_START, err, "a position (a whole number above 0)", start);
        a->pos = pos;
    }
    cm_slice ref = field(reader, COL_REF);
    if (!cm_table_is_null(ref))
        a->ref = ref;
    cm_slice alt = tumour_allele(reader, ref);
    if (!cm_table_is_null(alt))
        a->alt = alt;

    cm_slice classification = field(reader, COL_CLASS);
    if (cm_table_equals(classification, "Fusion")) {
        if (read_fusion(reader, a) < 0) {
            reader->stats.skipped[CM_MAF_SKIP_FUSION_SAME_GENE]++;
            return 0;
        }
        return 1;
    }

    // Annotation: the one transcript the MAF chose.
    cm_slice transcript = field(reader, COL_TRANSCRIPT);
    if (cm_table_is_null(transcript))
        transcript = field(reader, COL_FEATURE);
    if (!cm_table_is_null(transcript))
        a->transcript = transcript;
    cm_slice hgvsc = field(reader, COL_HGVSC);
    if (!cm_table_is_null(hgvsc))
        a->hgvsc = hgvsc;
    if (cm_table_equals(field(reader, COL_CANONICAL), "YES"))
        a->transcript_flags |= CM_TRANSCRIPT_CANONICAL;
    a->is_preferred = 1;
    cm_slice strand = field(reader, COL_STRAND);
    a->strand = cm_slice_equals(strand, "1") ? 1 : cm_slice_equals(strand, "-1") ? -1 : 0;
    cm_slice consequence = field(reader, COL_CONSEQUENCE);
    if (!cm_table_is_null(consequence)) {
        int n_unknown = 0;
        a->consequence = cm_consequence_parse(consequence.s, (size_t)consequence.len, &n_unknown);
        reader->stats.unknown_consequence_terms += (uint64_t)n_unknown;
    } else if (!cm_table_is_null(classification)) {
        a->consequence =
            cm_maf_classification_consequence(classification.s, (size_t)classification.len);
        if (a->consequence == 0) {
            a->consequence = CM_SO_BIT(CM_SO_OTHER);
            reader->stats.unknown_classifications++;
        } else if (a->consequence == (SO(SPLICE_DONOR_VARIANT) | SO(SPLICE_ACCEPTOR_VARIANT))) {
            cm_consequence side = cm_maf_splice_site_side(a->hgvsc);
            if (side)
                a->consequence = side;
        }
    }
    if (read_protein(reader, a, err) < 0)
        return -1;
    read_number_of(field(reader, COL_EXON_NUMBER), &a->exon, &a->exon_count);
    if (a->exon == 0)
        read_number_of(field(reader, COL_EXON), &a->exon, &a->exon_count);
    read_number_of(field(reader, COL_INTRON), &a->intron, &a->intron_count);

    // Sample: read counts give depth and VAF; t_depth 0 without counts means "not given".
    long long depth, ref_count, alt_count;
    if (read_count(reader, COL_T_DEPTH, &depth, err) < 0 ||
        read_count(reader, COL_T_REF, &ref_count, err) < 0 ||
        read_count(reader, COL_T_ALT, &alt_count, err) < 0)
        return -1;
    if (depth <= 0 && ref_count >= 0 && alt_count >= 0)
        depth = ref_count + alt_count;
    if (depth > 0)
        a->depth = depth > 2000000000 ? 2000000000 : (int)depth;
    if (alt_count >= 0 && ref_count >= 0 && alt_count + ref_count > 0)
        a->vaf = (double)alt_count / (double)(alt_count + ref_count);
    else if (alt_count >= 0 && depth > 0 && alt_count <= depth)
        a->vaf = (double)alt_count / (double)depth;
    if (!isnan(a->vaf)) { // read counts, as FORMAT/AD gives them in a VCF
        a->vaf_source = CM_VAF_READ_COUNTS;
        a->vaf_ad = a->vaf;
    }
    cm_slice filter = field(reader, COL_FILTER);
    a->is_pass = cm_table_is_null(filter) || cm_table_equals(filter, "PASS");
    return 1;
}

/// With a gene filter: whether the row may be skipped before its full parse.
static int is_filtered_out(const cm_maf_reader *reader)
{
    cm_slice gene = field(reader, COL_HUGO);
    if (cm_gene_set_has(reader->genes, gene))
        return 0;
    if (kh_size(reader->positions) > 0) {
        long long pos;
        if (cm_table_parse_long(field(reader, COL_START), &pos) == 0 &&
            kh_get(maf_positions, reader->positions, pos) != kh_end(reader->positions))
            return 0;
    }
    return 1;
}

int cm_maf_next(cm_maf_reader *reader, cm_maf_row *row, cm_error *err)
{
    cm_table *table = &reader->table;
    int got;
    while ((got = cm_table_next_line(table, err)) > 0)
        if (table->line.l > 0 && table->line.s[0] != '#')
            break;
    if (got <= 0)
        return got;
    reader->stats.rows++;
    int is_filtered = 0;
    if (reader->genes) {
        if (cm_table_split(table, reader->cheap_limit) < 0)
            return cm_error_set(err, table->path, (int)table->line_number, 0, "out of memory");
        is_filtered = is_filtered_out(reader);
    }
    if (!is_filtered && cm_table_split(table, 0) < 0)
        return cm_error_set(err, table->path, (int)table->line_number, 0, "out of memory");
    memset(row, 0, sizeof *row);
    row->line = table->line_number;
    row->sample = field(reader, COL_SAMPLE);
    row->normal = field(reader, COL_NORMAL);
    if (cm_table_is_null(row->sample))
        return cm_error_set(err, table->path, (int)table->line_number,
                            reader->column[COL_SAMPLE] + 1, "empty Tumor_Sample_Barcode");
    if (cm_table_is_null(row->normal))
        row->normal = (cm_slice){"", 0};
    if (is_filtered) {
        reader->stats.prefiltered++;
        return 1;
    }
    row->gene = field(reader, COL_HUGO);
    row->entrez = field(reader, COL_ENTREZ);
    int status = read_alteration(reader, err);
    if (status < 0)
        return -1;
    if (status > 0) {
        row->alteration = &reader->alteration;
        reader->stats.alterations++;
    }
    return 1;
}
